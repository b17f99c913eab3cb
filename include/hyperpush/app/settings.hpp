#pragma once
// The run's configuration, read typed: one struct per section, filled from the one table of keys
// (config_keys.cpp binds every key to its field here), so a task never spells a key. Where a lower
// layer has an options struct, the section is that struct (graph::TopologySpec,
// bilevel::InnerOptions, bilevel::HypergradientOptions, tree::LearnerOptions,
// explain::RelevanceOptions, comm::ExchangeOptions) and the keys land in its fields.
//
// A key with choices is an enum here, named by one table (choices<E>()) that the key table, the
// parser and every message use. Adding a key: a field below and one line in config_keys.cpp.
#include <cstdint>
#include <string>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/explain/relevance.hpp"
#include "hyperpush/explain/softmax_training.hpp"
#include "hyperpush/graph/topology.hpp"
#include "hyperpush/model/hyperparameter_kind.hpp"
#include "hyperpush/tree/learner.hpp"

namespace hyperpush::app {

class Config;

enum class ProblemKind { model, quadratic };
enum class ModelKind { logistic, softmax, ridge, mlp, cnn, torchscript };
enum class Backend { eigen, torch, cuda };
enum class Activation { tanh, softplus };
enum class Device { automatic, cpu, cuda };
enum class Dataset { fashion_mnist, breast_cancer, digits, wine, iris, libsvm, synthetic_mixture };
enum class Partition { iid, dirichlet };
enum class Optimizer { adam, sgd };

// One value of a choice key and its name in the config.
template <class E>
struct Choice {
  E value;
  const char* name;
};
// The choices of E in the order the reference lists them. Specialized for each enum above and for
// model::HyperKind, bilevel::InnerMethod, bilevel::HypergradientMethod, tree::LearnerKind,
// comm::Transport, comm::ConsensusMode.
template <class E>
const std::vector<Choice<E>>& choices();

template <>
const std::vector<Choice<ProblemKind>>& choices();
template <>
const std::vector<Choice<ModelKind>>& choices();
template <>
const std::vector<Choice<model::HyperKind>>& choices();
template <>
const std::vector<Choice<Backend>>& choices();
template <>
const std::vector<Choice<Activation>>& choices();
template <>
const std::vector<Choice<Device>>& choices();
template <>
const std::vector<Choice<Dataset>>& choices();
template <>
const std::vector<Choice<Partition>>& choices();
template <>
const std::vector<Choice<bilevel::InnerMethod>>& choices();
template <>
const std::vector<Choice<bilevel::HypergradientMethod>>& choices();
template <>
const std::vector<Choice<bilevel::Series>>& choices();
template <>
const std::vector<Choice<Optimizer>>& choices();
template <>
const std::vector<Choice<tree::LearnerKind>>& choices();
template <>
const std::vector<Choice<comm::Transport>>& choices();
template <>
const std::vector<Choice<comm::ConsensusMode>>& choices();

template <class E>
const char* name_of(E value) {
  for (const Choice<E>& choice : choices<E>())
    if (choice.value == value) return choice.name;
  return "?";
}

// A file named by a key: as written, and resolved (a relative path against the config file's
// folder, or against the working directory when it came from --set); both empty when unset.
struct FileName {
  std::string given, path;
  bool empty() const { return given.empty(); }
};

// Positive integers separated by commas ("64,32"), checked when used.
struct Widths {
  std::string key, text;
  // Throws hyperpush::Error naming the key when the text is not such a list.
  std::vector<int> values() const;
};

struct TopologyConfig : graph::TopologySpec {  // file: resolved
  std::int64_t check_rounds = 64;
};

struct ProblemConfig {
  ProblemKind kind = ProblemKind::model;
  FileName file;
};

struct ModelConfig {
  ModelKind kind = ModelKind::logistic;
  model::HyperKind hyper = model::HyperKind::l2;
  double l2 = 0, initial_decay = 0.1;
  Backend backend = Backend::eigen;
  Widths hidden, channels;
  int kernel = 5;
  Activation activation = Activation::tanh;
  FileName file;
  Device device = Device::automatic;
};

struct DataConfig {
  Dataset dataset = Dataset::breast_cancer;
  FileName train, test;
  double test_fraction = 0.2;
  std::int64_t max_train = 0;
  Partition partition = Partition::dirichlet;
  double alpha = 0.4, validation_fraction = 0.2;
  std::int64_t samples_per_agent = 100;
  int mixture_dim = 5, mixture_components = 3;
  bool standardize = true;
  std::int64_t standardize_rounds = 100;
};

struct InnerConfig : bilevel::InnerOptions {
  bool require_convergence = false;
};

struct OuterConfig {
  std::int64_t steps = 20;
  Optimizer optimizer = Optimizer::adam;
  double lr = 0.05;
  bool surrogate_tree = false, baseline_local = false;
};

struct AverageConfig {
  int dim = 16;
  std::int64_t rounds = 100, metrics_every = 10;
  bool estimates = false;
};

struct TreeConfig : tree::LearnerOptions {
  int eval_depth = 0;
  std::string epsilons, remove;  // the grid's lists, parsed by tree_grid.hpp
  int trials = 100, data_seeds = 1, tree_seeds = 1;
};

struct ExplainConfig {
  ModelKind model = ModelKind::softmax;  // softmax, or a torch network
  std::string metrics;                   // parsed by explain::parse_metrics
  int test_instances = 500, top_k = 5, examples = 8;
  explain::RelevanceOptions relevance;  // seed: the run's
  explain::SoftmaxTraining training;
};

struct InfluenceConfig {
  int top = 50, random = 50;
};

struct OutputConfig {
  std::string dir;
  bool progress = true;
};

struct CheckpointConfig {
  std::int64_t every = 0;
  std::string dir;
};

struct Settings {
  std::string task;  // a name of task_kinds()
  std::uint64_t seed = 0;
  int agents = 0, threads = 1;
  TopologyConfig topology;
  ProblemConfig problem;
  ModelConfig model;
  DataConfig data;
  InnerConfig inner;
  bilevel::HypergradientOptions hypergradient;
  OuterConfig outer;
  AverageConfig average;
  TreeConfig tree;
  ExplainConfig explain;
  InfluenceConfig influence;
  comm::ExchangeOptions exchange;  // comm.timeout, consensus.robust, faults.*; seed: the run's
  OutputConfig output;
  CheckpointConfig checkpoint;
};

// Every key of `config` in its field.
Settings read_settings(const Config& config);

}  // namespace hyperpush::app

#include "hyperpush/app/bilevel_setup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "hyperpush/comm/gather.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/consensus/push_sum.hpp"
#include "hyperpush/data/builtin.hpp"
#include "hyperpush/data/libsvm.hpp"
#include "hyperpush/data/partition.hpp"
#include "hyperpush/data/split.hpp"
#include "hyperpush/data/standardize.hpp"
#include "hyperpush/data/synthetic_mixture.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/graph/mixing_rate.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/quadratic_problem.hpp"
#include "torch_spec.hpp"
#ifdef HYPERPUSH_WITH_CUDA
#include "hyperpush/cuda/cuda_problem.hpp"
#endif

namespace hyperpush::app {
namespace {

model::LabelledData labelled(const data::Dataset& d) {
  model::LabelledData out;
  out.features.resize(static_cast<Eigen::Index>(d.rows), static_cast<Eigen::Index>(d.cols));
  for (std::size_t r = 0; r < d.rows; ++r)
    for (std::size_t c = 0; c < d.cols; ++c) out.features(r, c) = d.row(r)[c];
  out.labels =
      Eigen::Map<const Eigen::VectorXi>(d.labels.data(), static_cast<Eigen::Index>(d.rows));
  return out;
}

// The (train, validation, test) parts of the local agents [first, first + count), plus what every
// rank must know even when it hosts no agent.
struct AgentData {
  std::vector<data::AgentSplit> parts;
  int classes = 0;
  std::size_t features = 0;
};

AgentData agent_data(const DataConfig& config, std::uint64_t seed, int agents, int first,
                     int count) {
  const double validation = config.validation_fraction, test = config.test_fraction;
  AgentData out;
  auto& parts = out.parts;
  parts.resize(count);
  if (config.dataset == Dataset::synthetic_mixture) {
    const auto m = static_cast<std::size_t>(config.samples_per_agent);
    data::SyntheticMixtureSpec spec;
    spec.dim = config.mixture_dim;
    spec.components = config.mixture_components;
    spec.dirichlet_alpha = config.alpha;
    const auto local = [&](data::MixtureSampleSet set) {  // this rank's agents only
      return data::synthetic_mixture(agents, m, seed, spec, set, first, count);
    };
    const auto train = local(data::MixtureSampleSet::train);
    const auto valid = local(data::MixtureSampleSet::validation);
    const auto held = local(data::MixtureSampleSet::test);
    for (int i = 0; i < count; ++i) parts[i] = {train[i], valid[i], held[i]};
    out.classes = 2;
    out.features = static_cast<std::size_t>(spec.dim);
    return out;
  }
  if (validation == 0)
    throw Error(
        "data.validation_fraction = 0 leaves the agents without validation samples, and a "
        "bilevel task measures each agent's outer loss f_i on them; valid: > 0 (e.g. 0.2)");
  data::Dataset pool;
  if (config.dataset == Dataset::libsvm) {
    if (config.train.empty())
      throw Error("data.train: data.dataset = \"libsvm\" needs a training file");
    pool = data::read_libsvm(config.train.path);
  } else {
    pool = data::read_builtin(name_of(config.dataset),
                              config.dataset == Dataset::fashion_mnist ? "train" : "all");
  }
  const auto max_train = static_cast<std::size_t>(config.max_train);
  if (max_train > 0 && pool.rows > max_train) {
    auto order = data::shuffled_indices(pool.rows, seed, 1);
    order.resize(max_train);
    pool = data::subset(pool, order);
  }
  const auto shards =
      config.partition == Partition::iid
          ? data::partition_iid(pool.rows, agents, seed)
          : data::partition_dirichlet(pool.labels, pool.classes, agents, config.alpha, seed, 10);
  for (int i = 0; i < count; ++i)
    parts[i] =
        data::split_agent(data::subset(pool, shards[first + i]), validation, test, seed, first + i);
  out.classes = pool.classes;
  out.features = pool.cols;
  return out;
}

// Global mean and std of the training features: per-agent moments averaged by push-sum.
void standardize_by_push_sum(std::vector<data::AgentSplit>& parts, consensus::Gossip& gossip,
                             std::int64_t rounds, std::size_t features) {
  const int width = static_cast<int>(2 * features + 1);
  const consensus::Gossip::Phase phase(gossip, "standardize");
  consensus::PushSumAverage push_sum(gossip.exchange(width + 1));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto v = data::moments_to_vector(data::moments(parts[i].train));
    std::copy(v.begin(), v.end(), push_sum.value(static_cast<int>(i)));
  }
  for (std::int64_t t = 0; t < rounds; ++t) push_sum.round(gossip.next_round());
  std::vector<double> average(width);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    push_sum.estimate(static_cast<int>(i), average.data());  // (1/n) Σ_j moments_j
    const auto s = data::standardization(data::moments_from_vector(average));
    for (auto* part : {&parts[i].train, &parts[i].validation, &parts[i].test})
      data::standardize(*part, s.mean, s.scale);
  }
}

model::LinearSpec linear_spec(const ModelConfig& config, int classes) {
  model::LinearSpec spec;
  spec.kind = config.kind == ModelKind::softmax ? model::LinearKind::softmax
              : config.kind == ModelKind::ridge ? model::LinearKind::ridge
                                                : model::LinearKind::logistic;
  spec.hyper = config.hyper;
  spec.classes = classes;
  spec.l2 = config.l2;
  spec.initial_log_decay = std::log(config.initial_decay);
  return spec;
}

// Backend `torch`: the agents' problems on this rank's device (local rank mod device count).
std::vector<std::unique_ptr<model::LocalProblem>> torch_problems(
    const Settings& settings, const model::LinearSpec& linear, std::vector<data::AgentSplit>& parts,
    const comm::Communicator& comm) {
#ifdef HYPERPUSH_WITH_TORCH
  model::TorchSpec spec = torch_network_spec(settings, settings.model.kind, comm);
  spec.hyper = linear.hyper;
  spec.classes = linear.classes;
  spec.l2 = linear.l2;
  spec.initial_log_decay = linear.initial_log_decay;
  spec.seed = settings.seed;
  std::vector<std::unique_ptr<model::LocalProblem>> problems;
  for (auto& part : parts)
    problems.push_back(model::make_torch_problem(spec, labelled(part.train),
                                                 labelled(part.validation), labelled(part.test)));
  return problems;
#else
  (void)settings, (void)linear, (void)parts, (void)comm;
  throw Error(
      "model.backend = \"torch\": this hyperpush was built without LibTorch (CMake did not find "
      "Torch); install libtorch-dev (or pass Torch_DIR) and rebuild, or use backend = \"eigen\"");
#endif
}

// Backend `cuda`: the agents' linear problems with their data on this rank's GPU.
std::vector<std::unique_ptr<model::LocalProblem>> cuda_problems(
    const model::LinearSpec& spec, std::vector<data::AgentSplit>& parts,
    const comm::Communicator& comm) {
#ifdef HYPERPUSH_WITH_CUDA
  const int rank = comm.node_rank();
  std::vector<std::unique_ptr<model::LocalProblem>> problems;
  for (auto& part : parts)
    problems.push_back(model::make_cuda_problem(
        spec, labelled(part.train), labelled(part.validation), labelled(part.test), rank));
  return problems;
#else
  (void)spec, (void)parts, (void)comm;
  throw Error(
      "model.backend = \"cuda\": this hyperpush was built without CUDA (CMake did not find the "
      "CUDA toolkit and nvcc); install the CUDA toolkit and rebuild, or use backend = \"eigen\"");
#endif
}

}  // namespace

bilevel::AgentSet build_agents(const Settings& settings, consensus::Gossip& gossip,
                               std::vector<data::AgentSplit>* parts) {
  bilevel::AgentSet set;
  set.agents = gossip.agents();
  set.first = gossip.first_local();
  const int count = gossip.local_count();
  if (settings.problem.kind == ProblemKind::quadratic) {
    const std::string& path = settings.problem.file.path;
    if (path.empty()) throw Error("problem.file: problem.kind = \"quadratic\" needs a JSON file");
    auto file = model::read_quadratic_file(path);
    if (static_cast<int>(file.agents.size()) != set.agents)
      throw Error("problem.file: " + path + " has " + std::to_string(file.agents.size()) +
                  " agents but the run has agents = " + std::to_string(set.agents) +
                  "; set agents to the file's count");
    for (int i = 0; i < count; ++i)
      set.problems.push_back(model::make_quadratic_problem(file.agents[set.first + i], file.gamma));
  } else {
    auto data = agent_data(settings.data, settings.seed, set.agents, set.first, count);
    if (settings.data.standardize)
      standardize_by_push_sum(data.parts, gossip, settings.data.standardize_rounds, data.features);
    const ModelConfig& model = settings.model;
    const auto spec = linear_spec(model, data.classes);
    if (model.backend == Backend::torch) {
      set.problems = torch_problems(settings, spec, data.parts, gossip.comm());
    } else if (model.kind == ModelKind::mlp || model.kind == ModelKind::cnn ||
               model.kind == ModelKind::torchscript) {
      throw Error(std::string("model.kind: \"") + name_of(model.kind) +
                  "\" needs model.backend = \"torch\"; the " + name_of(model.backend) +
                  " backend has logistic, softmax and ridge");
    } else if (model.backend == Backend::cuda) {
      set.problems = cuda_problems(spec, data.parts, gossip.comm());
    } else {
      for (auto& part : data.parts)
        set.problems.push_back(model::make_linear_problem(
            spec, labelled(part.train), labelled(part.validation), labelled(part.test)));
    }
    if (parts) *parts = std::move(data.parts);
  }
  for (const auto& problem : set.problems) set.lambda.push_back(problem->initial_lambda());
  // d on every rank, also one hosting no agent (all agents share the model, so max = their d).
  set.dim = set.problems.empty() ? 0 : set.problems.front()->dim();
  set.dim =
      static_cast<int>(comm::max_over_ranks(gossip.comm(), {static_cast<double>(set.dim)})[0]);
  return set;
}

bilevel::InnerOptions inner_options(const InnerConfig& config, graph::Schedule& schedule) {
  bilevel::InnerOptions options = config;
  const bool automatic = options.step == 0 || options.mixing_rounds == 0;
  if (automatic && options.method != bilevel::InnerMethod::exact) {
    const auto mixing = graph::estimate_mixing_rate(schedule);
    options.mixing_rate = mixing.rate;
    options.symmetric_schedule = mixing.symmetric;
  }
  return options;
}

bilevel::InnerOptions with_progress(bilevel::InnerOptions options, Progress& progress,
                                    const std::string& what) {
  options.on_check = [&progress, &what](const bilevel::InnerReport& now, std::int64_t limit) {
    char detail[96];
    std::snprintf(detail, sizeof detail, "rounds, ‖Σ∇g(z̄)‖ = %.3g, consensus error %.3g",
                  now.gradient_norm, now.consensus_error);
    progress.update(what, now.rounds, limit, detail);
  };
  return options;
}

InnerConvergence::InnerConvergence(const InnerConfig& config)
    : method_(config.method), tolerance_(config.tolerance), required_(config.require_convergence) {}

std::string InnerConvergence::describe(const bilevel::InnerReport& report) const {
  char text[200];
  std::snprintf(text, sizeof text,
                "‖Σ∇g(z̄)‖ = %.3g, consensus error %.3g after %lld rounds of %s; inner.tolerance "
                "= %.3g",
                report.gradient_norm, report.consensus_error, static_cast<long long>(report.rounds),
                name_of(method_), tolerance_);
  return text;
}

std::string InnerConvergence::remedy() const {
  if (stalled_ > 0)
    return "the figures stopped falling (their floating-point floor with this many agents lies "
           "above the tolerance): raise inner.tolerance above them";
  return method_ == bilevel::InnerMethod::push_diging
             ? "raise inner.rounds, or choose a better-connected topology.kind"
             : "raise inner.rounds, or use inner.solver = \"push-diging\" (linear convergence)";
}

void InnerConvergence::record(const bilevel::InnerReport& report, const std::string& where) {
  ++solves_;
  worst_residual_ = std::max(worst_residual_, report.gradient_norm);
  worst_consensus_ = std::max(worst_consensus_, report.consensus_error);
  most_rounds_ = std::max(most_rounds_, report.rounds);
  if (report.converged) return;
  ++unconverged_;
  if (report.stalled) ++stalled_;
  if (required_)
    throw Divergence(where + ": the inner problem was not solved (" + describe(report) + "); " +
                     remedy());
}

void InnerConvergence::finish(int rank, const std::string& whose) const {
  if (rank != 0 || converged()) return;
  std::fprintf(stderr,
               "hyperpush: warning: %s%d of %d inner solves ended above inner.tolerance = %.3g "
               "(worst ‖Σ∇g(z̄)‖ = %.3g, consensus error %.3g, at most %lld rounds of %s): "
               "hyper-gradients are taken at an inexact x*(λ); %s (inner.require_convergence = "
               "true makes this an error)\n",
               whose.empty() ? "" : (whose + ": ").c_str(), unconverged_, solves_, tolerance_,
               worst_residual_, worst_consensus_, static_cast<long long>(most_rounds_),
               name_of(method_), remedy().c_str());
}

nlohmann::json InnerConvergence::state() const {
  return {solves_, unconverged_, worst_residual_, worst_consensus_, most_rounds_, stalled_};
}

void InnerConvergence::restore(const nlohmann::json& state) {
  solves_ = state.at(0);
  unconverged_ = state.at(1);
  worst_residual_ = state.at(2);
  worst_consensus_ = state.at(3);
  most_rounds_ = state.at(4);
  stalled_ = state.size() > 5 ? state.at(5).get<int>() : 0;  // checkpoints before the stall check
}

bilevel::HypergradientOptions hypergradient_options(const Settings& settings, std::int64_t b) {
  bilevel::HypergradientOptions options = settings.hypergradient;
  const bool series = options.method == bilevel::HypergradientMethod::hgp ||
                      options.method == bilevel::HypergradientMethod::server_neumann;
  if (options.series == bilevel::Series::chebyshev && !series)  // every rank reads the same config
    throw ConfigError(
        std::string("hypergradient.series = chebyshev: hypergradient.method '") +
            name_of(options.method) +
            "' sums no series; valid: series neumann, or method hgp or server-neumann",
        /*collective=*/true);
  const bool minibatches = options.batch > 0 || options.outer_batch > 0;
  const auto refuse = [](const std::string& what) {  // every rank reads the same config
    throw ConfigError(what, /*collective=*/true);
  };
  if (minibatches && !series)
    refuse(std::string("hypergradient.batch / outer_batch: hypergradient.method '") +
           name_of(options.method) + "' takes no Neumann steps; valid: 0, or method hgp or " +
           "server-neumann");
  if (minibatches && settings.problem.kind == ProblemKind::quadratic)
    refuse(
        "hypergradient.batch / outer_batch: a quadratic problem is no mean over samples; "
        "valid: 0, or problem.kind = model");
  if (options.batch > 0 && settings.model.hyper == model::HyperKind::per_sample)
    refuse(
        "hypergradient.batch: with model.hyper = per-sample each λ_k would be seen by one "
        "minibatch in m/b; valid: 0, or another model.hyper");
  if (minibatches && settings.model.backend == Backend::cuda)
    refuse(
        "hypergradient.batch / outer_batch: backend cuda has no minibatches; valid: 0, or "
        "model.backend = eigen or torch");
  options.seed = static_cast<std::uint64_t>(settings.seed);
  options.agreement_rounds = consensus::flooding_rounds(settings.agents, b);
  return options;
}

}  // namespace hyperpush::app

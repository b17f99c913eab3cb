// Task `explain`: similarity-based explanation of a classifier on the run's data set
// (specs/explain.md). explain.model picks it: `softmax` (softmax regression, closed form,
// explain/softmax_model.hpp) or a torch backend network (`mlp`, `cnn`, `torchscript`:
// torch/torch_problem.hpp, from the model.* keys). Trains the model (and the same architecture on
// the superclass labels of the identical subclass test) once by L-BFGS on
//   (1/N) Σ ℓ_i(θ0 + x) + ½ explain.l2 ‖x‖²   (θ0 = 0 for softmax, the network's initial draw)
// then for every metric of `explain.metrics`: the identical class test, the identical subclass
// test and the model randomization test (against Classifier::reinitialised(seed)) on
// `explain.test_instances` sampled test instances. Writes explain.json and prints a table.
//
// Retrieval is decentralized: agent a owns the training shard [a·N/n, (a+1)·N/n), scores it
// against the queries and keeps its top-k; the global top-k per query comes from merge consensus
// over the run's schedule ((n − 1)·B rounds, exact), so the results are the same bytes whatever
// the rank count. The model (trained on rank 0, broadcast), its Hessian and the randomization
// test's full score vectors are computed from the whole training set on every rank (rank 0 alone
// for the randomization test): in this task every rank reads the same data; a decentralized
// Hessian (push-sum Neumann, as for the hyper-gradient) is not implemented.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/dataset_config.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/data/split.hpp"
#include "hyperpush/data/standardize.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/explain/decentralized_top_k.hpp"
#include "hyperpush/explain/identical_class_test.hpp"
#include "hyperpush/explain/identical_subclass_test.hpp"
#include "hyperpush/explain/metric.hpp"
#include "hyperpush/explain/randomization_test.hpp"
#include "hyperpush/explain/relevance.hpp"
#include "hyperpush/explain/softmax_training.hpp"
#include "hyperpush/model/classifier.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/torch/torch_problem.hpp"
#include "run_facts.hpp"
#include "torch_spec.hpp"

namespace hyperpush::app {
namespace {

using Clock = std::chrono::steady_clock;
using explain::Samples;
using explain::SoftmaxModel;
using nlohmann::json;

// explain.* with the metrics parsed and the run's seed in the relevance options.
struct ExplainSettings {
  ModelKind model = ModelKind::softmax;
  std::vector<explain::Metric> metrics;
  int test_instances = 500, top_k = 5, examples = 8;
  explain::RelevanceOptions relevance;
  explain::SoftmaxTraining training;
};

ExplainSettings read_settings(const Settings& settings) {
  const ExplainConfig& config = settings.explain;
  ExplainSettings s{
      config.model,   {}, config.test_instances, config.top_k, config.examples, config.relevance,
      config.training};
  s.relevance.seed = settings.seed;
#ifndef HYPERPUSH_WITH_TORCH
  if (s.model != ModelKind::softmax)
    throw Error(std::string("explain.model = \"") + name_of(s.model) +
                "\": this hyperpush was built without LibTorch (CMake did not find Torch); "
                "install libtorch-dev (or pass Torch_DIR) and rebuild, or use explain.model = "
                "\"softmax\"");
#endif
  s.metrics = explain::parse_metrics(config.metrics, "explain.metrics");
  if (s.model == ModelKind::softmax)
    for (const explain::Metric m : s.metrics)
      if (explain::uses_hidden_layers(m))
        throw Error("explain.metrics: metric '" + explain::metric_name(m) +
                    "' needs a model with hidden layers; explain.model = \"softmax\" has none "
                    "(use \"mlp\" or \"cnn\")");
  return s;
}

// A trained classifier and how its training ended.
struct Trained {
  std::unique_ptr<model::Classifier> classifier;
  int iterations = 0;
  double loss = 0, gradient_norm = 0;
};

// Softmax regression, trained on rank 0, the same weights on every rank.
Trained train_softmax_and_share(MPI_Comm comm, int rank, const Samples& train,
                                const explain::SoftmaxTraining& options) {
  explain::SoftmaxFit fit;
  fit.model.weights.resize(train.x.cols() + 1, train.classes);
  on_all_ranks(comm, [&] {
    if (rank == 0) fit = train_softmax(train, options);
  });
  MPI_Bcast(fit.model.weights.data(), static_cast<int>(fit.model.weights.size()), MPI_DOUBLE, 0,
            comm);
  double stats[3] = {static_cast<double>(fit.iterations), fit.loss, fit.gradient_norm};
  MPI_Bcast(stats, 3, MPI_DOUBLE, 0, comm);
  Trained out;
  out.classifier = std::make_unique<SoftmaxModel>(std::move(fit.model));
  out.iterations = static_cast<int>(stats[0]);
  out.loss = stats[1];
  out.gradient_norm = stats[2];
  return out;
}

#ifdef HYPERPUSH_WITH_TORCH
// The network of explain.model for `classes` classes from the model.* keys: the l2 decay
// ½ explain.l2 ‖x‖² as the fixed ridge term (λ = −1000 in training: e^λ = 0) and θ0 drawn from
// random_bits(seed, Purpose::explain, 2, 0, 0), so that the randomization test's
// reinitialised(seed) is another draw than the training's start.
model::TorchSpec network_spec(const Settings& settings, const ExplainSettings& s, int classes,
                              MPI_Comm comm) {
  model::TorchSpec spec = torch_network_spec(settings, s.model, comm::from_mpi(comm));
  spec.hyper = model::HyperKind::l2;
  spec.classes = classes;
  spec.l2 = s.training.l2;
  spec.seed = random_bits(settings.seed, Purpose::explain, 2, 0, 0);
  return spec;
}
#endif

// The classifier of explain.model trained on `train` on rank 0, the same on every rank.
// Collective.
Trained train_and_share(const Settings& settings, MPI_Comm comm, int rank, const Samples& train,
                        const ExplainSettings& s) {
  if (s.model == ModelKind::softmax) return train_softmax_and_share(comm, rank, train, s.training);
#ifdef HYPERPUSH_WITH_TORCH
  model::TorchSpec spec;
  std::unique_ptr<model::LocalProblem> problem;
  on_all_ranks(comm, [&] {
    spec = network_spec(settings, s, train.classes, comm);
    problem = model::make_torch_problem(spec, {train.x, train.y}, {}, {});
  });
  Eigen::VectorXd x = Eigen::VectorXd::Zero(problem->dim());
  double stats[3] = {0, 0, 0};
  on_all_ranks(comm, [&] {
    if (rank != 0) return;
    explain::InnerTraining inner;
    inner.max_iterations = s.training.max_iterations;
    inner.tolerance = s.training.tolerance;
    const Eigen::VectorXd lambda = Eigen::VectorXd::Constant(problem->hyper_dim(), -1000.0);
    explain::InnerFit fit = explain::train_inner(*problem, lambda, x, inner);
    x = std::move(fit.x);
    stats[0] = fit.iterations, stats[1] = fit.loss, stats[2] = fit.gradient_norm;
  });
  MPI_Bcast(x.data(), static_cast<int>(x.size()), MPI_DOUBLE, 0, comm);
  MPI_Bcast(stats, 3, MPI_DOUBLE, 0, comm);
  Trained out;
  on_all_ranks(comm, [&] {
    out.classifier = model::make_torch_classifier(spec, static_cast<int>(train.x.cols()), x);
  });
  out.iterations = static_cast<int>(stats[0]);
  out.loss = stats[1];
  out.gradient_norm = stats[2];
  return out;
#else
  (void)settings, (void)comm, (void)rank, (void)train;
  throw Error(std::string("explain.model = \"") + name_of(s.model) +
              "\": this hyperpush was built without LibTorch (CMake did not find Torch); install "
              "libtorch-dev (or pass Torch_DIR) and rebuild, or use explain.model = \"softmax\"");
#endif
}

double accuracy(const model::Classifier& model, const Samples& s) {
  if (s.x.rows() == 0) return std::nan("");
  return static_cast<double>((model.predict(s.x).array() == s.y.array()).count()) /
         static_cast<double>(s.x.rows());
}

json nullable(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

json score_json(const explain::TestScore& s) {
  return {{"success_rate", nullable(s.success_rate)},
          {"count", s.count},
          {"top_k_success_rate", nullable(s.top_k_success_rate)},
          {"k", s.k}};
}

// The run's agents and their training shards [a·N/n, (a+1)·N/n).
struct Shards {
  int agents;
  Eigen::Index rows;
  Eigen::Index begin(int a) const { return rows * a / agents; }
  Eigen::Index size(int a) const { return begin(a + 1) - begin(a); }
};

// Global top-k training indices per query: local scoring, then merge consensus of the triples.
std::vector<std::vector<std::int64_t>> retrieve(consensus::Gossip& gossip, const Shards& shards,
                                                std::int64_t rounds,
                                                const explain::Relevance& relevance,
                                                const Eigen::MatrixXd& queries, int k) {
  std::vector<std::vector<explain::TopK>> local;
  for (int l = 0; l < gossip.local_count(); ++l) {
    const int a = gossip.first_local() + l;
    const explain::SimilarityIndex index(
        relevance.train_embedding().middleRows(shards.begin(a), shards.size(a)),
        relevance.similarity());
    local.push_back(index.top_k(queries, k, a));
  }
  const auto global =
      explain::decentralized_top_k(gossip, local, static_cast<int>(queries.rows()), k, rounds);
  std::vector<std::vector<std::int64_t>> out;
  if (gossip.local_count() == 0) return out;
  for (const auto& list : global[0]) {
    out.emplace_back();
    for (const auto& c : list)
      out.back().push_back(shards.begin(static_cast<int>(c.agent)) + c.index);
  }
  return out;
}

// explain.json's "network": the architecture of a torch network (null for softmax).
json network_json(const Settings& settings, ModelKind model) {
  json out;
  if (model == ModelKind::mlp)
    out = {{"hidden", settings.model.hidden.text},
           {"activation", name_of(settings.model.activation)}};
  if (model == ModelKind::cnn)
    out = {{"channels", settings.model.channels.text},
           {"kernel", settings.model.kernel},
           {"activation", name_of(settings.model.activation)}};
  if (model == ModelKind::torchscript) out = {{"file", settings.model.file.given}};
  if (model != ModelKind::softmax) {
    out["device"] = name_of(settings.model.device);
    out["standardized"] = settings.data.standardize;
  }
  return out;
}

// The model in words, for the printed account.
std::string describe_model(const Settings& settings, ModelKind model) {
  if (model == ModelKind::mlp)
    return "mlp (hidden " + settings.model.hidden.text + ", " + name_of(settings.model.activation) +
           ")";
  if (model == ModelKind::cnn)
    return "cnn (channels " + settings.model.channels.text + ", kernel " +
           std::to_string(settings.model.kernel) + ", " + name_of(settings.model.activation) + ")";
  if (model == ModelKind::torchscript) return "torchscript module " + settings.model.file.given;
  return "softmax regression";
}

// The data every rank reads, the queries and the run's settings.
struct ExplainData {
  ExplainSettings s;
  Samples train, test;
  std::vector<std::size_t> order;  // the seeded shuffle of the test part the queries come from
  Samples query;                   // its first explain.test_instances
};

// Set-up on every rank: the same config and data give the same errors everywhere.
ExplainData load(RunContext& c, std::uint64_t seed) {
  ExplainData d;
  on_all_ranks(c.comm, [&] {
    d.s = read_settings(c.settings);
    data::TrainTest data = load_train_test(c.settings.data, c.settings.seed);
    // Networks see standardized features (the training part's moments; a tanh network on raw
    // pixel values of up to 16 or 255 starts saturated and ends with large negative curvature).
    // The softmax regression keeps the raw features it was published with.
    if (d.s.model != ModelKind::softmax && c.settings.data.standardize) {
      const data::Standardization st = data::standardization(data::moments(data.train));
      data::standardize(data.train, st.mean, st.scale);
      data::standardize(data.test, st.mean, st.scale);
    }
    if (data.train.rows < static_cast<std::size_t>(c.agents))
      throw Error("explain: " + std::to_string(data.train.rows) + " training samples for " +
                  std::to_string(c.agents) + " agents; every agent needs a shard (lower agents" +
                  (c.settings.data.max_train > 0 ? " or raise data.max_train)" : ")"));
    if (static_cast<std::size_t>(d.s.top_k) >= data.train.rows)
      throw Error("explain.top_k = " + std::to_string(d.s.top_k) + " is not below the " +
                  std::to_string(data.train.rows) +
                  " training samples, so every test would pass or fail by counting; valid: 1 .. " +
                  std::to_string(data.train.rows - 1));
    d.train = explain::samples_of(data.train);
    d.test = explain::samples_of(data.test);
    d.train.classes = d.test.classes = std::max(data.train.classes, data.test.classes);
  });
  // Queries: the first test_instances of a seeded shuffle of the test part (stream 101).
  d.order = data::shuffled_indices(static_cast<std::size_t>(d.test.x.rows()), seed, 101);
  const Eigen::Index queries = std::min<Eigen::Index>(d.s.test_instances, d.test.x.rows());
  d.query.classes = d.train.classes;
  d.query.x.resize(queries, d.test.x.cols());
  d.query.y.resize(queries);
  for (Eigen::Index q = 0; q < queries; ++q) {
    d.query.x.row(q) = d.test.x.row(static_cast<Eigen::Index>(d.order[q]));
    d.query.y(q) = d.test.y(static_cast<Eigen::Index>(d.order[q]));
  }
  return d;
}

// The trained model, the superclass model of the identical subclass test (when there are at least
// 2 + 2 classes, else the test is trivial), the randomization test's model, and their predictions.
struct ExplainModels {
  Trained trained, trained_super;
  bool subclass = false;
  std::vector<int> superclass;
  Samples train_super;
  std::unique_ptr<model::Classifier> random_model;
  Eigen::VectorXi predicted, predicted_super;
  double train_seconds = 0;
};

ExplainModels train_models(RunContext& c, const ExplainData& d, std::uint64_t seed) {
  ExplainModels m;
  const int classes = d.train.classes;
  m.subclass = classes >= 4;
  const auto train_start = Clock::now();
  c.progress.update("explain: training", 0, m.subclass ? 2 : 1, "models");
  m.trained = train_and_share(c.settings, c.comm, c.rank, d.train, d.s);
  if (m.subclass) m.superclass = explain::random_superclasses(classes, seed);
  m.train_super = d.train;
  if (m.subclass) {
    c.progress.update("explain: training", 1, 2, "models");
    m.train_super.y = explain::superclass_labels(d.train.y, m.superclass);
    m.train_super.classes = 2;
    m.trained_super = train_and_share(c.settings, c.comm, c.rank, m.train_super, d.s);
  }
  m.random_model = m.trained.classifier->reinitialised(seed);
  m.train_seconds = std::chrono::duration<double>(Clock::now() - train_start).count();
  m.predicted = m.trained.classifier->predict(d.query.x);
  if (m.subclass) m.predicted_super = m.trained_super.classifier->predict(d.query.x);
  return m;
}

// How a metric did: its explain.json entry and its line of the printed table (rank 0).
struct MetricResult {
  json entry;
  std::string line;
};

// The retrieval of every metric, the three tests, and what explain.json keeps of them.
class MetricScoring {
 public:
  MetricScoring(RunContext& c, const ExplainData& d, const ExplainModels& m)
      : c_(c),
        d_(d),
        m_(m),
        gossip_(communicator(c), c.schedule, exchange_options(c)),
        retrieval_(gossip_, "top-k retrieval"),
        shards_{c.agents, d.train.x.rows()},
        rounds_(consensus::flooding_rounds(c.agents, c.schedule_check.b)) {}
  std::int64_t rounds() const { return rounds_; }

  // Collective; the result is rank 0's.
  MetricResult score(explain::Metric metric) {
    const ExplainSettings& s = d_.s;
    std::unique_ptr<explain::Relevance> relevance;
    on_all_ranks(c_.comm, [&] {
      relevance = std::make_unique<explain::Relevance>(metric, *m_.trained.classifier, d_.train,
                                                       s.relevance);
    });
    Eigen::MatrixXd q_emb;
    on_all_ranks(c_.comm, [&] { q_emb = relevance->query_embedding(d_.query.x, m_.predicted); });
    const auto top = retrieve(gossip_, shards_, rounds_, *relevance, q_emb, s.top_k);
    MetricResult out;
    out.entry["variant"] = relevance->variant();
    explain::TestScore class_score, subclass_score;
    if (c_.rank == 0) {
      class_score = explain::identical_class_test(top, m_.predicted, d_.train.y, s.top_k);
      out.entry["identical_class"] = score_json(class_score);
    }
    const bool scored = m_.subclass && subclass_test(metric, subclass_score);
    if (c_.rank != 0) return out;
    out.entry["identical_subclass"] = scored ? score_json(subclass_score) : json(nullptr);
    const double rho = randomization(metric, *relevance, q_emb, out.entry);
    const explain::CgStats& cg = relevance->cg_stats();
    if (cg.solves > 0)
      out.entry["cg"] = {{"solves", cg.solves},
                         {"not_converged", cg.not_converged},
                         {"max_iterations", cg.max_iterations},
                         {"worst_relative_residual", cg.worst_relative_residual}};
    const Eigen::Index examples = std::min<Eigen::Index>(s.examples, d_.query.x.rows());
    if (examples > 0) out.entry["examples"] = retrievals(top, examples);
    char line[200];
    std::snprintf(line, sizeof line, "  %-9s  %8.3f  %8.3f  %8.3f  %8.3f  %8.3f",
                  explain::metric_name(metric).c_str(), class_score.success_rate,
                  class_score.top_k_success_rate,
                  m_.subclass ? subclass_score.success_rate : std::nan(""),
                  m_.subclass ? subclass_score.top_k_success_rate : std::nan(""), rho);
    out.line = line;
    return out;
  }

 private:
  // The identical subclass test with the superclass model (collective); true on rank 0.
  bool subclass_test(explain::Metric metric, explain::TestScore& score) {
    std::unique_ptr<explain::Relevance> relevance;
    Eigen::MatrixXd q_super;
    on_all_ranks(c_.comm, [&] {
      try {
        relevance = std::make_unique<explain::Relevance>(metric, *m_.trained_super.classifier,
                                                         m_.train_super, d_.s.relevance);
        q_super = relevance->query_embedding(d_.query.x, m_.predicted_super);
      } catch (const Error& e) {
        throw Error(std::string(e.what()) + " (the superclass model of the subclass test)");
      }
    });
    const auto top = retrieve(gossip_, shards_, rounds_, *relevance, q_super, d_.s.top_k);
    if (c_.rank != 0) return false;
    score = explain::identical_subclass_test(top, d_.query.y, m_.predicted_super, m_.superclass,
                                             d_.train.y, d_.s.top_k);
    return true;
  }

  // The model randomization test (rank 0). Each model scores the queries at its own predictions.
  // A re-initialised network's Hessian may be indefinite beyond the damping: then IF / RIF have no
  // score to correlate (null, with the reason) and the run goes on.
  double randomization(explain::Metric metric, const explain::Relevance& relevance,
                       const Eigen::MatrixXd& q_emb, json& entry) const {
    double rho = std::nan("");
    try {
      const model::Classifier& random = *m_.random_model;
      const explain::Relevance relevance_random(metric, random, d_.train, d_.s.relevance);
      const Eigen::MatrixXd trained_scores = relevance.index().scores(q_emb);
      const Eigen::MatrixXd random_scores = relevance_random.index().scores(
          relevance_random.query_embedding(d_.query.x, random.predict(d_.query.x)));
      rho = explain::randomization_test(trained_scores, random_scores);
      entry["randomization"] = {{"spearman", nullable(rho)}};
    } catch (const Error& e) {
      entry["randomization"] = {{"spearman", nullptr}, {"error", e.what()}};
    }
    return rho;
  }

  // The first queries' retrievals: indices into the test and training parts of the run.
  json retrievals(const std::vector<std::vector<std::int64_t>>& top, Eigen::Index examples) const {
    json list = json::array();
    for (Eigen::Index q = 0; q < examples; ++q) {
      json top_list = json::array(), top_labels = json::array();
      for (const std::int64_t i : top[static_cast<std::size_t>(q)]) {
        top_list.push_back(i);
        top_labels.push_back(d_.train.y(i));
      }
      list.push_back({{"test_index", d_.order[static_cast<std::size_t>(q)]},
                      {"label", d_.query.y(q)},
                      {"predicted", m_.predicted(q)},
                      {"top", top_list},
                      {"top_labels", top_labels}});
    }
    return list;
  }

  RunContext& c_;
  const ExplainData& d_;
  const ExplainModels& m_;
  consensus::Gossip gossip_;
  consensus::Gossip::Phase retrieval_;  // every round of this gossip
  Shards shards_;
  std::int64_t rounds_;
};

// explain.json's figures about the run, the models and the settings.
json explain_summary(const RunContext& c, const ExplainData& d, const ExplainModels& m,
                     std::uint64_t seed, std::int64_t rounds) {
  const model::Classifier& model = *m.trained.classifier;
  json superclasses = json::array();
  for (const int v : m.superclass) superclasses.push_back(v);
  Samples test_super = d.test;
  if (m.subclass) test_super.y = explain::superclass_labels(d.test.y, m.superclass);
  const json training = {{"iterations", m.trained.iterations},
                         {"loss", m.trained.loss},
                         {"gradient_norm", m.trained.gradient_norm}};
  json out = {
      {"task", "explain"},
      {"model", name_of(d.s.model)},
      {"dataset", name_of(c.settings.data.dataset)},
      {"seed", seed},
      {"train_samples", d.train.x.rows()},
      {"test_samples", d.test.x.rows()},
      {"features", d.train.x.cols()},
      {"classes", d.train.classes},
      {"params", model.params()},
      {"train_accuracy", nullable(accuracy(model, d.train))},
      {"test_accuracy", nullable(accuracy(model, d.test))},
      {"training", training},
      {"superclasses", superclasses},
      {"superclass_test_accuracy",
       m.subclass ? nullable(accuracy(*m.trained_super.classifier, test_super)) : json(nullptr)},
      {"queries", d.query.x.rows()},
      {"top_k", d.s.top_k},
      {"projection_dim", d.s.relevance.projection_dim},
      {"damping", d.s.relevance.damping},
      {"hessian_samples", d.s.relevance.hessian_samples},
      {"l2", d.s.training.l2},
      {"fisher", "empirical: (1/N) sum_i g_i g_i^T + damping I"},
      {"agents", c.agents},
      {"flooding_rounds_per_retrieval", rounds}};
  out["network"] = network_json(c.settings, d.s.model);
  if (out["network"].is_null()) out.erase("network");
  return out;
}
}  // namespace

void run_explain(RunContext& c) {
  const auto start = Clock::now();
  const auto seed = c.settings.seed;
  const ExplainData d = load(c, seed);
  const ExplainModels m = train_models(c, d, seed);
  MetricScoring scoring(c, d, m);
  json metrics = json::object();
  std::vector<std::string> rows;
  int done = 0;
  for (const explain::Metric metric : d.s.metrics) {
    c.progress.update("explain: metrics", done++, static_cast<std::int64_t>(d.s.metrics.size()),
                      "metrics");
    MetricResult result = scoring.score(metric);
    if (c.rank != 0) continue;
    metrics[explain::metric_name(metric)] = std::move(result.entry);
    rows.push_back(std::move(result.line));
  }
  if (c.rank != 0) return;

  json out = explain_summary(c, d, m, seed, scoring.rounds());
  out["metrics"] = metrics;
  c.results->write("explain.json", out.dump(2) + "\n");
  json timings = run_facts(c);
  timings["seconds_total"] = std::chrono::duration<double>(Clock::now() - start).count();
  timings["seconds_training"] = m.train_seconds;
  c.results->write("timings.json", timings.dump(2) + "\n");

  const model::Classifier& model = *m.trained.classifier;
  std::printf(
      "hyperpush explain: %s on %s, %lld training / %lld test samples, %d parameters, test "
      "accuracy %.4f; %lld queries, top-%d, %d agents\n",
      describe_model(c.settings, d.s.model).c_str(), name_of(c.settings.data.dataset),
      static_cast<long long>(d.train.x.rows()), static_cast<long long>(d.test.x.rows()),
      model.params(), accuracy(model, d.test), static_cast<long long>(d.query.x.rows()), d.s.top_k,
      c.agents);
  std::printf("  %-9s  %8s  %8s  %8s  %8s  %8s\n", "metric", "class@1", "class@k", "sub@1", "sub@k",
              "rand-rho");
  for (const auto& line : rows) std::printf("%s\n", line.c_str());
}

}  // namespace hyperpush::app

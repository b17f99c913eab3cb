// Task `explain`: similarity-based explanation of a softmax regression on the run's data set
// (specs/explain.md). Trains the model (and the superclass model of the identical subclass test)
// once, then for every metric of `explain.metrics`: the identical class test, the identical
// subclass test and the model randomization test on `explain.test_instances` sampled test
// instances. Writes explain.json and prints a table.
//
// Retrieval is decentralized: agent a owns the training shard [a·N/n, (a+1)·N/n), scores it
// against the queries and keeps its top-k; the global top-k per query comes from merge consensus
// over the run's schedule ((n − 1)·B rounds, exact), so the results are the same bytes whatever
// the rank count. The model, its Hessian and the randomization test's full score vectors are
// computed from the whole training set on every rank (rank 0 alone for the randomization test):
// in this task every rank reads the same data; a decentralized Hessian (push-sum Neumann, as for
// the hyper-gradient) is not implemented.
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hyperpush/app/commands.hpp"
#include "hyperpush/app/dataset_config.hpp"
#include "hyperpush/app/task.hpp"
#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/data/split.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/explain/decentralized_top_k.hpp"
#include "hyperpush/explain/identical_class_test.hpp"
#include "hyperpush/explain/identical_subclass_test.hpp"
#include "hyperpush/explain/metric.hpp"
#include "hyperpush/explain/randomization_test.hpp"
#include "hyperpush/explain/relevance.hpp"
#include "hyperpush/explain/softmax_training.hpp"

namespace hyperpush::app {
namespace {

using Clock = std::chrono::steady_clock;
using explain::Samples;
using explain::SoftmaxModel;
using nlohmann::json;

struct ExplainSettings {
  std::vector<explain::Metric> metrics;
  int test_instances = 500, top_k = 5;
  explain::RelevanceOptions relevance;
  explain::SoftmaxTraining training;
};

ExplainSettings read_settings(const Config& config) {
  ExplainSettings s;
  s.metrics = explain::parse_metrics(config.string("explain.metrics"), "explain.metrics");
  s.test_instances = static_cast<int>(config.integer("explain.test_instances"));
  s.top_k = static_cast<int>(config.integer("explain.top_k"));
  s.relevance.damping = config.real("explain.damping");
  s.relevance.projection_dim = static_cast<int>(config.integer("explain.projection_dim"));
  s.relevance.dense_max_params = static_cast<int>(config.integer("explain.dense_max_params"));
  s.relevance.seed = static_cast<std::uint64_t>(config.integer("seed"));
  s.training.l2 = config.real("explain.l2");
  s.training.max_iterations = static_cast<int>(config.integer("explain.train_iterations"));
  return s;
}

// Trained on rank 0, the same weights on every rank.
SoftmaxModel train_and_share(MPI_Comm comm, int rank, const Samples& train,
                             const explain::SoftmaxTraining& options) {
  SoftmaxModel model;
  model.weights.resize(train.x.cols() + 1, train.classes);
  if (rank == 0) model = train_softmax(train, options).model;
  MPI_Bcast(model.weights.data(), static_cast<int>(model.weights.size()), MPI_DOUBLE, 0, comm);
  return model;
}

double accuracy(const SoftmaxModel& model, const Samples& s) {
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

}  // namespace

void run_explain(RunContext& c) {
  const auto start = Clock::now();
  const auto seed = static_cast<std::uint64_t>(c.config.integer("seed"));

  // Set-up on every rank: the same config and data give the same errors everywhere.
  ExplainSettings s;
  Samples train, test;
  on_all_ranks(c.comm, [&] {
    s = read_settings(c.config);
    const data::TrainTest data = load_train_test(c.config);
    if (data.test.rows == 0)
      throw Error("explain: the test part is empty; set data.test_fraction > 0");
    if (data.train.rows < static_cast<std::size_t>(c.agents))
      throw Error("explain: " + std::to_string(data.train.rows) + " training samples for " +
                  std::to_string(c.agents) +
                  " agents; every agent needs a shard (lower agents or raise data.max_train)");
    train = explain::samples_of(data.train);
    test = explain::samples_of(data.test);
    train.classes = test.classes = std::max(data.train.classes, data.test.classes);
  });
  const int classes = train.classes;
  const bool subclass = classes >= 4;  // 2 + 2 at least, else the test is trivial

  // Queries: the first test_instances of a seeded shuffle of the test part (stream 101).
  const auto order = data::shuffled_indices(static_cast<std::size_t>(test.x.rows()), seed, 101);
  const Eigen::Index queries = std::min<Eigen::Index>(s.test_instances, test.x.rows());
  Samples query;
  query.classes = classes;
  query.x.resize(queries, test.x.cols());
  query.y.resize(queries);
  for (Eigen::Index q = 0; q < queries; ++q) {
    query.x.row(q) = test.x.row(static_cast<Eigen::Index>(order[q]));
    query.y(q) = test.y(static_cast<Eigen::Index>(order[q]));
  }

  const auto train_start = Clock::now();
  c.progress.update("explain: training", 0, subclass ? 2 : 1, "models");
  const SoftmaxModel model = train_and_share(c.comm, c.rank, train, s.training);
  const std::vector<int> superclass =
      subclass ? explain::random_superclasses(classes, seed) : std::vector<int>{};
  Samples train_super = train;
  SoftmaxModel super_model;
  if (subclass) {
    train_super.y = explain::superclass_labels(train.y, superclass);
    train_super.classes = 2;
    super_model = train_and_share(c.comm, c.rank, train_super, s.training);
  }
  const SoftmaxModel random_model =
      explain::random_softmax_model(static_cast<int>(train.x.cols()), classes, seed);
  const double train_seconds = std::chrono::duration<double>(Clock::now() - train_start).count();

  const Eigen::VectorXi predicted = model.predict(query.x);
  const Eigen::VectorXi predicted_super =
      subclass ? super_model.predict(query.x) : Eigen::VectorXi();

  consensus::Gossip gossip(c.comm, c.schedule);
  const Shards shards{c.agents, train.x.rows()};
  const std::int64_t rounds = consensus::flooding_rounds(c.agents, c.schedule_check.b);

  json metrics = json::object();
  std::vector<std::string> rows;
  int done = 0;
  for (const explain::Metric metric : s.metrics) {
    const std::string& name = explain::metric_name(metric);
    c.progress.update("explain: metrics", done, static_cast<std::int64_t>(s.metrics.size()),
                      "metrics");
    std::unique_ptr<explain::Relevance> relevance;
    on_all_ranks(c.comm, [&] {
      relevance = std::make_unique<explain::Relevance>(metric, model, train, s.relevance);
    });
    const Eigen::MatrixXd q_emb = relevance->query_embedding(query.x, predicted);
    const auto top = retrieve(gossip, shards, rounds, *relevance, q_emb, s.top_k);

    json entry;
    entry["variant"] = relevance->variant();
    explain::TestScore class_score, subclass_score;
    if (c.rank == 0) {
      class_score = explain::identical_class_test(top, predicted, train.y, s.top_k);
      entry["identical_class"] = score_json(class_score);
    }
    if (subclass) {
      const explain::Relevance relevance_super(metric, super_model, train_super, s.relevance);
      const auto top_super =
          retrieve(gossip, shards, rounds, relevance_super,
                   relevance_super.query_embedding(query.x, predicted_super), s.top_k);
      if (c.rank == 0) {
        subclass_score = explain::identical_subclass_test(top_super, query.y, predicted_super,
                                                          superclass, train.y, s.top_k);
        entry["identical_subclass"] = score_json(subclass_score);
      }
    } else if (c.rank == 0) {
      entry["identical_subclass"] = nullptr;
    }
    if (c.rank == 0) {
      // Each model scores the queries at its own predictions.
      const explain::Relevance relevance_random(metric, random_model, train, s.relevance);
      const Eigen::MatrixXd trained_scores = relevance->index().scores(q_emb);
      const Eigen::MatrixXd random_scores = relevance_random.index().scores(
          relevance_random.query_embedding(query.x, random_model.predict(query.x)));
      const double rho = explain::randomization_test(trained_scores, random_scores);
      entry["randomization"] = {{"spearman", nullable(rho)}};
      metrics[name] = entry;
      char line[200];
      std::snprintf(line, sizeof line, "  %-9s  %8.3f  %8.3f  %8.3f  %8.3f  %8.3f", name.c_str(),
                    class_score.success_rate, class_score.top_k_success_rate,
                    subclass ? subclass_score.success_rate : std::nan(""),
                    subclass ? subclass_score.top_k_success_rate : std::nan(""), rho);
      rows.push_back(line);
    }
    ++done;
  }
  if (c.rank != 0) return;

  json superclasses = json::array();
  for (const int v : superclass) superclasses.push_back(v);
  const json out = {
      {"task", "explain"},
      {"model", "softmax"},
      {"dataset", c.config.string("data.dataset")},
      {"seed", seed},
      {"train_samples", train.x.rows()},
      {"test_samples", test.x.rows()},
      {"features", train.x.cols()},
      {"classes", classes},
      {"params", model.params()},
      {"train_accuracy", nullable(accuracy(model, train))},
      {"test_accuracy", nullable(accuracy(model, test))},
      {"superclasses", superclasses},
      {"superclass_test_accuracy", subclass ? nullable(accuracy(super_model,
                                                                [&] {
                                                                  Samples t = test;
                                                                  t.y = explain::superclass_labels(
                                                                      test.y, superclass);
                                                                  return t;
                                                                }()))
                                            : json(nullptr)},
      {"queries", queries},
      {"top_k", s.top_k},
      {"projection_dim", s.relevance.projection_dim},
      {"damping", s.relevance.damping},
      {"l2", s.training.l2},
      {"fisher", "empirical: (1/N) sum_i g_i g_i^T + damping I"},
      {"agents", c.agents},
      {"flooding_rounds_per_retrieval", rounds},
      {"metrics", metrics}};
  c.results->write("explain.json", out.dump(2) + "\n");
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const json timings = {
      {"ranks", c.ranks},
      {"host", host},
      {"seconds_total", std::chrono::duration<double>(Clock::now() - start).count()},
      {"seconds_training", train_seconds}};
  c.results->write("timings.json", timings.dump(2) + "\n");

  std::printf(
      "hyperpush explain: softmax regression on %s, %lld training / %lld test samples, %d "
      "parameters, test accuracy %.4f; %lld queries, top-%d, %d agents\n",
      c.config.string("data.dataset").c_str(), static_cast<long long>(train.x.rows()),
      static_cast<long long>(test.x.rows()), model.params(), accuracy(model, test),
      static_cast<long long>(queries), s.top_k, c.agents);
  std::printf("  %-9s  %8s  %8s  %8s  %8s  %8s\n", "metric", "class@1", "class@k", "sub@1", "sub@k",
              "rand-rho");
  for (const auto& line : rows) std::printf("%s\n", line.c_str());
}

}  // namespace hyperpush::app

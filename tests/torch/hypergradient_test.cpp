// HGP with the torch backend reproduces the Eigen backend's hyper-gradient: the same agents
// (identical data and λ_i) on a one-rank Gossip, inner problem solved by Newton, then HGP with a
// given α, with α from the push-sum power iteration, and with minibatches.
#include "hyperpush/bilevel/hypergradient.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>

#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush {
namespace {

constexpr int kAgents = 4, kFeatures = 5;

model::LabelledData draw(int agent, int part, int classes) {
  const int m = 25;
  model::LabelledData data;
  data.features.resize(m, kFeatures);
  data.labels.resize(m);
  for (int k = 0; k < m; ++k) {
    double score = 0;
    for (int j = 0; j < kFeatures; ++j) {
      data.features(k, j) = random_normal(7, Purpose::initial_value, 100 * agent + 10 * part, k, j);
      score += (j + 1 - 2.5) * data.features(k, j);
    }
    const double noise =
        random_normal(7, Purpose::initial_value, 100 * agent + 10 * part + 1, k, 0);
    data.labels[k] = classes == 2 ? (score + noise > 0 ? 1 : 0)
                                  : static_cast<int>(std::abs(std::floor(score + noise))) % classes;
  }
  return data;
}

struct Run {
  std::vector<model::Vector> z, v;
  double alpha = 0;
};

Run hgp(bool torch, model::LinearKind kind, model::HyperKind hyper, double alpha, int batch = 0,
        int outer_batch = 0) {
  const int classes = kind == model::LinearKind::softmax ? 3 : 2;
  graph::Schedule schedule(graph::TopologySpec{}, kAgents, 2);  // random-directed
  consensus::Gossip gossip(comm::Communicator::self(), schedule);
  bilevel::AgentSet agents;
  agents.agents = kAgents;
  agents.first = 0;
  // Per-class logit weights need a fixed ridge term (and start at λ = 0: the agents differ by l2).
  const bool per_class = hyper == model::HyperKind::per_class;
  for (int i = 0; i < kAgents; ++i) {
    const double decay = std::log(0.05 + 0.05 * i);
    const double l2 = per_class ? 0.05 + 0.02 * i : 0.0;
    if (torch) {
      model::TorchSpec spec;
      spec.kind = kind == model::LinearKind::softmax ? model::TorchKind::softmax
                                                     : model::TorchKind::logistic;
      spec.hyper = hyper;
      spec.classes = classes;
      spec.initial_log_decay = decay;
      spec.l2 = l2;
      spec.device = "cpu";
      agents.problems.push_back(model::make_torch_problem(
          spec, draw(i, 0, classes), draw(i, 1, classes), draw(i, 2, classes)));
    } else {
      model::LinearSpec spec;
      spec.kind = kind;
      spec.hyper = hyper;
      spec.classes = classes;
      spec.initial_log_decay = decay;
      spec.l2 = l2;
      agents.problems.push_back(model::make_linear_problem(
          spec, draw(i, 0, classes), draw(i, 1, classes), draw(i, 2, classes)));
    }
    agents.lambda.push_back(agents.problems.back()->initial_lambda());
  }
  agents.dim = agents.problems.front()->dim();
  bilevel::InnerOptions newton;
  newton.method = bilevel::InnerMethod::exact;
  bilevel::InnerSolver inner(gossip, agents, newton);
  inner.solve();
  bilevel::HypergradientOptions options;
  options.depth = 40;
  options.push_rounds = 4;
  options.alpha = alpha;
  options.agreement_rounds = 10;
  options.batch = batch;
  options.outer_batch = outer_batch;
  options.seed = 3;
  const auto result = bilevel::compute_hypergradient(gossip, agents, inner.z(), options);
  return {inner.z(), result.v, result.alpha};
}

void expect_same(const Run& fast, const Run& reference, double tolerance) {
  ASSERT_EQ(fast.v.size(), reference.v.size());
  for (std::size_t i = 0; i < reference.v.size(); ++i) {
    EXPECT_LT((fast.z[i] - reference.z[i]).norm(), tolerance * reference.z[i].norm()) << i;
    EXPECT_LT((fast.v[i] - reference.v[i]).norm(), tolerance * reference.v[i].norm())
        << "agent " << i << ": torch " << fast.v[i].transpose() << ", eigen "
        << reference.v[i].transpose();
  }
}

TEST(TorchHypergradient, LogisticL2EqualsEigen) {
  const auto reference = hgp(false, model::LinearKind::logistic, model::HyperKind::l2, 0.5);
  const auto fast = hgp(true, model::LinearKind::logistic, model::HyperKind::l2, 0.5);
  expect_same(fast, reference, 1e-9);
}

TEST(TorchHypergradient, SoftmaxPerFeatureWithPowerIterationEqualsEigen) {
  const auto reference = hgp(false, model::LinearKind::softmax, model::HyperKind::per_feature, 0);
  const auto fast = hgp(true, model::LinearKind::softmax, model::HyperKind::per_feature, 0);
  EXPECT_NEAR(fast.alpha, reference.alpha, 1e-9 * reference.alpha);
  expect_same(fast, reference, 1e-9);
}

// Per-class logit weights: λ_i ∈ R^C enters f_i too, so v_i starts at ∇_λ f_i ≠ 0.
TEST(TorchHypergradient, SoftmaxPerClassEqualsEigen) {
  const auto reference = hgp(false, model::LinearKind::softmax, model::HyperKind::per_class, 0.5);
  const auto fast = hgp(true, model::LinearKind::softmax, model::HyperKind::per_class, 0.5);
  expect_same(fast, reference, 1e-9);
}

// Minibatch HGP (hypergradient.batch, outer_batch): the torch backend's minibatches are the Eigen
// reference's rows (tests/model/minibatch_test.cpp holds those to problems built on the rows).
TEST(TorchHypergradient, SoftmaxPerClassWithMinibatchesEqualsEigen) {
  const auto reference =
      hgp(false, model::LinearKind::softmax, model::HyperKind::per_class, 0.5, 7, 9);
  const auto fast = hgp(true, model::LinearKind::softmax, model::HyperKind::per_class, 0.5, 7, 9);
  expect_same(fast, reference, 1e-9);
  const auto full = hgp(false, model::LinearKind::softmax, model::HyperKind::per_class, 0.5);
  EXPECT_GT((reference.v[0] - full.v[0]).norm(), 1e-6 * full.v[0].norm());  // minibatches used
}

}  // namespace
}  // namespace hyperpush

// Minibatch HGP (hypergradient.batch, outer_batch) is unbiased: every Neumann step draws its own
// minibatch, independent of the other steps', so the expectation of the product of the steps'
// (I − α H_m) is the product of the full-batch ones, and E[v] is the full-batch v exactly. Here,
// with exact averaging (server-neumann), the mean over K = 4000
// draws must lie within 5 standard errors of the full-batch hyper-gradient in every coordinate (a
// false alarm has probability ~6e-7 per coordinate for a normal mean), and that bound must be
// tight enough to see a bias of 10% of the hyper-gradient's scale max_i ‖v_i‖. The draws
// are a function of (seed, draw, agent, step): the same draw gives the same bits, another draw
// other ones.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush {
namespace {

constexpr int kAgents = 3, kFeatures = 4;

model::LabelledData draw_part(int agent, int part, int m, int classes) {
  model::LabelledData data;
  data.features.resize(m, kFeatures);
  data.labels.resize(m);
  for (int k = 0; k < m; ++k) {
    double score = 0;
    for (int j = 0; j < kFeatures; ++j) {
      data.features(k, j) = random_normal(11, Purpose::initial_value, 10 * agent + part, k, j);
      score += (j - 1.5) * data.features(k, j);
    }
    data.labels[k] = classes == 2 ? score > 0 : static_cast<int>(std::abs(std::floor(score))) % 3;
  }
  return data;
}

struct Agents {
  bilevel::AgentSet set;
  std::vector<model::Vector> z;
};

Agents agents_of(model::LinearKind kind, model::HyperKind hyper) {
  Agents a;
  a.set.agents = kAgents;
  const int classes = kind == model::LinearKind::softmax ? 3 : 2;
  for (int i = 0; i < kAgents; ++i) {
    model::LinearSpec spec;
    spec.kind = kind;
    spec.hyper = hyper;
    spec.classes = classes;
    spec.l2 = 0.05;
    a.set.problems.push_back(model::make_linear_problem(spec, draw_part(i, 0, 40, classes),
                                                        draw_part(i, 1, 30, classes), {}));
    a.set.lambda.push_back(a.set.problems.back()->initial_lambda());
  }
  a.set.dim = a.set.problems.front()->dim();
  for (int i = 0; i < kAgents; ++i) {  // any inner point will do: unbiasedness holds at every z
    model::Vector z(a.set.dim);
    for (int j = 0; j < z.size(); ++j)
      z[j] = 0.3 * random_normal(12, Purpose::initial_value, i, j, 0);
    a.z.push_back(z);
  }
  return a;
}

std::vector<model::Vector> hypergradient(const Agents& a, int batch, int outer_batch,
                                         std::int64_t draw) {
  graph::Schedule schedule(graph::TopologySpec{}, kAgents, 4);
  consensus::Gossip gossip(comm::Communicator::self(), schedule);
  bilevel::HypergradientOptions options;
  options.method = bilevel::HypergradientMethod::server_neumann;
  options.depth = 30;
  options.alpha = 0.5;
  options.batch = batch;
  options.outer_batch = outer_batch;
  options.seed = 5;
  options.draw = draw;
  return bilevel::compute_hypergradient(gossip, a.set, a.z, options).v;
}

void expect_unbiased(model::LinearKind kind, model::HyperKind hyper, int batch, int outer_batch) {
  const Agents a = agents_of(kind, hyper);
  const auto full = hypergradient(a, 0, 0, 0);
  constexpr int kDraws = 4000;
  std::vector<model::Vector> sum(kAgents), squares(kAgents);
  for (int i = 0; i < kAgents; ++i) {
    sum[i] = model::Vector::Zero(full[i].size());
    squares[i] = sum[i];
  }
  for (int k = 0; k < kDraws; ++k) {
    const auto v = hypergradient(a, batch, outer_batch, k);
    for (int i = 0; i < kAgents; ++i) {
      sum[i] += v[i];
      squares[i] += v[i].cwiseProduct(v[i]);
    }
  }
  double scale = 0;
  for (const auto& v : full) scale = std::max(scale, v.norm());
  for (int i = 0; i < kAgents; ++i)
    for (Eigen::Index j = 0; j < full[i].size(); ++j) {
      const double mean = sum[i][j] / kDraws;
      const double sd = std::sqrt((squares[i][j] - kDraws * mean * mean) / (kDraws - 1));
      const double bound = 5 * sd / std::sqrt(kDraws);
      EXPECT_GT(sd, 0) << "agent " << i << ": the minibatches changed nothing";
      EXPECT_LE(std::abs(mean - full[i][j]), bound)
          << "agent " << i << ", entry " << j << ": mean " << mean << ", full batch " << full[i][j]
          << ", sd " << sd;
      EXPECT_LE(bound, 0.1 * scale)
          << "agent " << i << ", entry " << j << ": too few draws to see a 10% bias";
    }
}

// Minibatches of 5 of 40 training samples make the steps' H_m differ enough that one minibatch
// for all steps (correlated draws) fails this test: its bias was 9 to 18 standard errors.
TEST(MinibatchHypergradient, LogisticL2IsUnbiased) {
  expect_unbiased(model::LinearKind::logistic, model::HyperKind::l2, 5, 0);
}

TEST(MinibatchHypergradient, SoftmaxPerClassWithOuterMinibatchesIsUnbiased) {
  expect_unbiased(model::LinearKind::softmax, model::HyperKind::per_class, 5, 10);
}

TEST(MinibatchHypergradient, DrawsAreAFunctionOfTheirKey) {
  const Agents a = agents_of(model::LinearKind::logistic, model::HyperKind::l2);
  const auto once = hypergradient(a, 8, 10, 3), again = hypergradient(a, 8, 10, 3),
             other = hypergradient(a, 8, 10, 4), all = hypergradient(a, 40, 30, 3),
             full = hypergradient(a, 0, 0, 0);
  for (int i = 0; i < kAgents; ++i) {
    EXPECT_EQ(once[i], again[i]);
    EXPECT_NE(once[i], other[i]);
    EXPECT_EQ(all[i], full[i]);  // a batch of the whole part is the full batch
  }
}

}  // namespace
}  // namespace hyperpush

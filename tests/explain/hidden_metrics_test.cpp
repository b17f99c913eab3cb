// The hidden-representation metrics last_* and all_* (specs/explain.md, "Metrics") against a
// per-pair implementation of their formulas on a network with two hidden layers, and their
// refusal on a model without hidden layers.
#include <gtest/gtest.h>

#include <cmath>

#include "explain_fixtures.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/explain/relevance.hpp"
#include "tiny_network.hpp"

namespace hyperpush::explain {
namespace {

using Representation = model::Classifier::Representation;

// φ(x) of one sample, by a forward pass of that sample alone.
Eigen::VectorXd phi(const model::Classifier& m, const Eigen::VectorXd& x, Representation r) {
  return m.hidden(x.transpose(), r).row(0).transpose();
}

double naive(Metric metric, const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  switch (metric) {
    case Metric::last_l2:
    case Metric::all_l2:
      return -(a - b).norm();
    case Metric::last_cos:
    case Metric::all_cos:
      return a.norm() * b.norm() > 0 ? a.dot(b) / (a.norm() * b.norm()) : 0.0;
    default:
      return a.dot(b);
  }
}

class HiddenMetric : public ::testing::TestWithParam<Metric> {};

TEST_P(HiddenMetric, MatchesThePerPairFormula) {
  const Metric metric = GetParam();
  const Representation rep =
      metric_name(metric).rfind("last_", 0) == 0 ? Representation::last : Representation::all;
  const test::TinyNetwork net(4, {5, 3}, 3, 31);
  const Samples train = test::random_samples(11, 4, 3, 32);
  const Samples queries = test::random_samples(4, 4, 3, 33);
  const Relevance r(metric, net, train, RelevanceOptions{});
  EXPECT_EQ(r.train_embedding().cols(), rep == Representation::last ? 3 : 8);
  EXPECT_NE(r.variant().find(rep == Representation::last ? "last hidden layer (width 3)"
                                                         : "all hidden layers (width 8)"),
            std::string::npos)
      << r.variant();
  const Eigen::MatrixXd s = r.index().scores(r.query_embedding(queries.x, net.predict(queries.x)));
  for (int q = 0; q < 4; ++q)
    for (int i = 0; i < 11; ++i) {
      const double expected = naive(metric, phi(net, queries.x.row(q).transpose(), rep),
                                    phi(net, train.x.row(i).transpose(), rep));
      EXPECT_NEAR(s(i, q), expected, 1e-12 * (1 + std::abs(expected)))
          << metric_name(metric) << " query " << q << " train " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Explain, HiddenMetric,
                         ::testing::Values(Metric::last_l2, Metric::last_cos, Metric::last_dot,
                                           Metric::all_l2, Metric::all_cos, Metric::all_dot),
                         [](const auto& info) { return metric_name(info.param); });

TEST(HiddenMetrics, DependOnTheModel) {
  const test::TinyNetwork net(4, {5, 3}, 3, 34);
  const auto random = net.reinitialised(35);
  const Samples train = test::random_samples(9, 4, 3, 36);
  const Relevance a(Metric::last_cos, net, train, {}), b(Metric::last_cos, *random, train, {});
  EXPECT_GT((a.train_embedding() - b.train_embedding()).norm(), 1e-3);
}

TEST(HiddenMetrics, RefusedOnAModelWithoutHiddenLayers) {
  const Samples train = test::random_samples(9, 4, 3, 37);
  const SoftmaxModel m = test::random_model(4, 3, 38);
  try {
    Relevance(Metric::all_dot, m, train, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "explain: metric 'all_dot' needs a model with hidden layers; this model has none");
  }
}

}  // namespace
}  // namespace hyperpush::explain

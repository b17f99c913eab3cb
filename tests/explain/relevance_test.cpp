// Every metric against a naive implementation of its formula (specs/explain.md, "Metrics") on a
// tiny problem: per-pair loops, explicit inverses and H̃^{-1/2} by eigendecomposition.
#include "hyperpush/explain/relevance.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <cmath>

#include "explain_fixtures.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::explain {
namespace {

constexpr double kDamping = 0.05;

// g(z) by the definition: ∂ℓ/∂θ_{j + q c} = (softmax(Xᵀx̃)_c − [y = c]) x̃_j.
Eigen::VectorXd naive_gradient(const SoftmaxModel& m, const Eigen::VectorXd& x, int y) {
  const int q = m.features() + 1, classes = m.classes();
  Eigen::VectorXd xt(q);
  xt << x, 1.0;
  Eigen::VectorXd z = m.weights.transpose() * xt;
  Eigen::VectorXd p = (z.array() - z.maxCoeff()).exp();
  p /= p.sum();
  Eigen::VectorXd g(q * classes);
  for (int c = 0; c < classes; ++c)
    for (int j = 0; j < q; ++j) g(j + q * c) = (p(c) - (c == y ? 1.0 : 0.0)) * xt(j);
  return g;
}

Eigen::MatrixXd naive_hessian(const SoftmaxModel& m, const Samples& s) {
  const int q = m.features() + 1, classes = m.classes(), p = q * classes;
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(p, p);
  for (int k = 0; k < s.x.rows(); ++k) {
    Eigen::VectorXd xt(q);
    xt << s.x.row(k).transpose(), 1.0;
    Eigen::VectorXd z = m.weights.transpose() * xt;
    Eigen::VectorXd pr = (z.array() - z.maxCoeff()).exp();
    pr /= pr.sum();
    for (int c = 0; c < classes; ++c)
      for (int d = 0; d < classes; ++d)
        for (int i = 0; i < q; ++i)
          for (int j = 0; j < q; ++j)
            h(i + q * c, j + q * d) += ((c == d ? pr(c) : 0.0) - pr(c) * pr(d)) * xt(i) * xt(j);
  }
  return h / static_cast<double>(s.x.rows());
}

double cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double n = a.norm() * b.norm();
  return n > 0 ? a.dot(b) / n : 0.0;
}

// R(query k, train i) by the formula of each metric.
double naive_relevance(Metric metric, const SoftmaxModel& m, const Samples& train,
                       const Eigen::VectorXd& x, int y, int i) {
  const Eigen::VectorXd xi = train.x.row(i).transpose();
  const Eigen::VectorXd g = naive_gradient(m, x, y), gi = naive_gradient(m, xi, train.y(i));
  const int p = m.params();
  const Eigen::MatrixXd damped_h =
      naive_hessian(m, train) + kDamping * Eigen::MatrixXd::Identity(p, p);
  switch (metric) {
    case Metric::x_l2:
      return -(x - xi).norm();
    case Metric::x_cos:
      return cosine(x, xi);
    case Metric::x_dot:
      return x.dot(xi);
    case Metric::grad_dot:
      return g.dot(gi);
    case Metric::grad_cos:
      return cosine(g, gi);
    case Metric::if_:
      return g.dot(damped_h.inverse() * gi);
    case Metric::rif: {
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(damped_h);
      const Eigen::MatrixXd root = eig.operatorInverseSqrt();
      return cosine(root * g, root * gi);
    }
    case Metric::fk: {
      Eigen::MatrixXd f = kDamping * Eigen::MatrixXd::Identity(p, p);
      for (int k = 0; k < train.x.rows(); ++k) {
        const Eigen::VectorXd gk = naive_gradient(m, train.x.row(k).transpose(), train.y(k));
        f += gk * gk.transpose() / static_cast<double>(train.x.rows());
      }
      return g.dot(f.inverse() * gi);
    }
  }
  return 0;
}

class EveryMetric : public ::testing::TestWithParam<Metric> {};

TEST_P(EveryMetric, MatchesTheNaiveFormula) {
  const Metric metric = GetParam();
  const Samples train = test::random_samples(12, 3, 3, 21);
  const Samples queries = test::random_samples(4, 3, 3, 22);
  const SoftmaxModel m = test::random_model(3, 3, 23);
  RelevanceOptions options;
  options.damping = kDamping;
  const Relevance r(metric, m, train, options);
  const Eigen::VectorXi labels = m.predict(queries.x);
  const Eigen::MatrixXd scores = r.index().scores(r.query_embedding(queries.x, labels));
  ASSERT_EQ(scores.rows(), 12);
  ASSERT_EQ(scores.cols(), 4);
  for (int q = 0; q < 4; ++q)
    for (int i = 0; i < 12; ++i) {
      const double expected =
          naive_relevance(metric, m, train, queries.x.row(q).transpose(), labels(q), i);
      EXPECT_NEAR(scores(i, q), expected, 1e-9 * (1 + std::abs(expected)))
          << metric_name(metric) << " query " << q << " train " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Explain, EveryMetric,
                         ::testing::Values(Metric::x_l2, Metric::x_cos, Metric::x_dot, Metric::if_,
                                           Metric::rif, Metric::fk, Metric::grad_dot,
                                           Metric::grad_cos),
                         [](const auto& info) { return metric_name(info.param) + "_"; });

TEST(GradientCosine, InvariantToScalingAGradientAndZeroForAZeroGradient) {
  Eigen::MatrixXd g(3, 4);
  g << 1, 2, 3, 4, -1, 0.5, 2, 0, 0, 0, 0, 0;
  Eigen::MatrixXd scaled = g;
  scaled.row(0) *= 1e6;
  scaled.row(1) *= 1e-3;
  Eigen::MatrixXd q(2, 4);
  q << 0.3, -1, 2, 1, 1, 1, 1, 1;
  Eigen::MatrixXd q_scaled = q;
  q_scaled.row(1) *= 42;
  const Eigen::MatrixXd a = SimilarityIndex(g, Similarity::cosine).scores(q);
  const Eigen::MatrixXd b = SimilarityIndex(scaled, Similarity::cosine).scores(q_scaled);
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_EQ(a(2, 0), 0.0);
  EXPECT_EQ(a(2, 1), 0.0);
  // Raw dot products are not invariant: the large-norm row dominates (why GC beats GD).
  const Eigen::MatrixXd d = SimilarityIndex(scaled, Similarity::dot).scores(q);
  EXPECT_GT(std::abs(d(0, 0)), 1e5);
}

TEST(GradientCosine, ProjectionKeepsCosinesApproximately) {
  const Samples train = test::random_samples(40, 6, 3, 31);
  const SoftmaxModel m = test::random_model(6, 3, 32);
  RelevanceOptions full, projected;
  projected.projection_dim = 2000;
  const Relevance a(Metric::grad_cos, m, train, full), b(Metric::grad_cos, m, train, projected);
  const Eigen::VectorXi labels = m.predict(train.x.topRows(5));
  const Eigen::MatrixXd sa = a.index().scores(a.query_embedding(train.x.topRows(5), labels));
  const Eigen::MatrixXd sb = b.index().scores(b.query_embedding(train.x.topRows(5), labels));
  EXPECT_LT((sa - sb).cwiseAbs().maxCoeff(), 0.15);  // O(1/√k)
  EXPECT_NE(b.variant().find("projected to k = 2000"), std::string::npos);
}

TEST(Relevance, AboveTheDenseLimitIfTakesConjugateGradientAndRifFkRefuse) {
  const Samples train = test::random_samples(10, 5, 3, 41);
  const SoftmaxModel m = test::random_model(5, 3, 42);
  RelevanceOptions options;
  options.dense_max_params = 10;  // P = 18
  EXPECT_THROW(Relevance(Metric::rif, m, train, options), Error);
  EXPECT_THROW(Relevance(Metric::fk, m, train, options), Error);
  EXPECT_NO_THROW(Relevance(Metric::grad_cos, m, train, options));
  EXPECT_NE(Relevance(Metric::if_, m, train, options).variant().find("CG with HVPs"),
            std::string::npos);
  options.projection_dim = 8;
  const Relevance r(Metric::rif, m, train, options);
  EXPECT_NE(r.variant().find("projected Hessian"), std::string::npos);
}

}  // namespace
}  // namespace hyperpush::explain

// Conjugate gradient (model/conjugate_gradient.hpp) against a dense Cholesky solve; its cap, its
// residual and its refusal of an indefinite matrix.
#include "hyperpush/model/conjugate_gradient.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::model {
namespace {

TEST(ConjugateGradient, SolvesLikeCholesky) {
  Eigen::MatrixXd b(30, 30);
  for (int i = 0; i < 30; ++i)
    for (int j = 0; j < 30; ++j) b(i, j) = random_normal(1, Purpose::initial_value, i, j, 9);
  Eigen::MatrixXd a = b.transpose() * b / 30;
  a.diagonal().array() += 0.1;
  Eigen::VectorXd rhs(30);
  for (int i = 0; i < 30; ++i) rhs(i) = random_normal(2, Purpose::initial_value, i, 0, 9);
  const CgResult r = conjugate_gradient(
      [&](const Eigen::VectorXd& p, Eigen::VectorXd& out) { out = a * p; }, rhs, 1e-13, 500);
  const Eigen::VectorXd expected = a.llt().solve(rhs);
  EXPECT_TRUE(r.converged);
  EXPECT_LT((r.v - expected).norm(), 1e-8 * expected.norm());
  EXPECT_LE(r.iterations, 500);
  // Exact arithmetic needs at most n = 30 steps; rounding adds a few.
  EXPECT_LE(r.iterations, 60);
}

TEST(ConjugateGradient, StopsAtTheIterationCapAndReportsTheResidual) {
  Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(50, 1, 1000);
  const Eigen::VectorXd rhs = Eigen::VectorXd::Ones(50);
  const auto apply = [&](const Eigen::VectorXd& p, Eigen::VectorXd& out) {
    out = d.cwiseProduct(p);
  };
  const CgResult r = conjugate_gradient(apply, rhs, 1e-12, 3);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_FALSE(r.converged);
  EXPECT_NEAR(r.relative_residual, (rhs - d.cwiseProduct(r.v)).norm() / rhs.norm(), 1e-10);
  EXPECT_TRUE(conjugate_gradient(apply, Eigen::VectorXd::Zero(50), 1e-6, 3).converged);
  // An indefinite matrix is refused, not silently solved.
  d(0) = -1;
  EXPECT_THROW(conjugate_gradient(apply, rhs, 1e-12, 100), Error);
}

// Truncated CG: with NegativeCurvature::stop the solve ends at the iterate before the direction
// of negative curvature. A = diag(1, −1), b = (1, 0.1): the first direction b has curvature
// 0.99 > 0, the second one −0.04.
TEST(ConjugateGradient, StopModeReturnsTheIterateBeforeNegativeCurvature) {
  const Eigen::Vector2d d(1, -1), rhs(1, 0.1);
  const auto apply = [&](const Eigen::VectorXd& p, Eigen::VectorXd& out) {
    out = d.cwiseProduct(p);
  };
  const CgResult r = conjugate_gradient(apply, rhs, 1e-12, 10, NegativeCurvature::stop);
  EXPECT_TRUE(r.negative_curvature);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 2);
  const double alpha = rhs.squaredNorm() / rhs.dot(d.cwiseProduct(rhs));  // the first step
  EXPECT_LT((r.v - alpha * rhs).norm(), 1e-15);
  // Negative curvature at once: v = 0.
  const auto negative = [](const Eigen::VectorXd& p, Eigen::VectorXd& out) { out = -p; };
  const CgResult first = conjugate_gradient(negative, rhs, 1e-12, 10, NegativeCurvature::stop);
  EXPECT_EQ(first.iterations, 1);
  EXPECT_EQ(first.v, Eigen::VectorXd::Zero(2));
  EXPECT_THROW(conjugate_gradient(negative, rhs, 1e-12, 10), Error);  // refuse: the default
}

}  // namespace
}  // namespace hyperpush::model

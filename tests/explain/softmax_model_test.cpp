// The closed-form gradients and Hessians of the explain layer against the model layer's softmax
// problem (finite differences of the per-sample loss, its dense Hessian), and the projected forms
// against projecting the full ones.
#include "hyperpush/explain/softmax_model.hpp"

#include <gtest/gtest.h>

#include "explain_fixtures.hpp"
#include "hyperpush/explain/gradient_projection.hpp"
#include "hyperpush/explain/softmax_training.hpp"
#include "hyperpush/model/linear_problem.hpp"

namespace hyperpush::explain {
namespace {

const Eigen::VectorXd kNoDecay = Eigen::VectorXd::Constant(1, -1000.0);  // e^λ = 0

std::unique_ptr<model::LocalProblem> problem_of(const Samples& s) {
  model::LinearSpec spec;
  spec.kind = model::LinearKind::softmax;
  spec.classes = s.classes;
  return model::make_linear_problem(spec, {s.x, s.y}, {}, {});
}

Eigen::VectorXd theta(const SoftmaxModel& m) {
  return Eigen::Map<const Eigen::VectorXd>(m.weights.data(), m.weights.size());
}

TEST(SoftmaxModel, PerSampleGradientIsTheModelLayersGradientOfThatSample) {
  const Samples s = test::random_samples(7, 3, 4, 1);
  const SoftmaxModel m = test::random_model(3, 4, 2);
  const Matrix g = m.loss_gradients(s.x, s.y);
  ASSERT_EQ(g.rows(), 7);
  ASSERT_EQ(g.cols(), 16);
  for (int k = 0; k < 7; ++k) {
    Samples one;
    one.classes = 4;
    one.x = s.x.row(k);
    one.y = s.y.segment(k, 1);
    const auto p = problem_of(one);
    Eigen::VectorXd expected(16);
    p->inner_gradient(theta(m), kNoDecay, expected);
    EXPECT_LT((g.row(k).transpose() - expected).norm(), 1e-12 * (1 + expected.norm())) << k;
  }
}

TEST(SoftmaxModel, MeanLossHessianIsTheModelLayersHessian) {
  const Samples s = test::random_samples(20, 3, 4, 3);
  const SoftmaxModel m = test::random_model(3, 4, 4);
  const Matrix h = m.mean_loss_hessian(s.x);
  const Matrix expected = problem_of(s)->hessian(theta(m), kNoDecay);
  EXPECT_LT((h - expected).norm(), 1e-12 * expected.norm());
}

TEST(SoftmaxModel, ProjectedFormsEqualProjectingTheFullOnes) {
  const Samples s = test::random_samples(15, 3, 3, 5);
  const SoftmaxModel m = test::random_model(3, 3, 6);
  const Matrix r = gradient_projection(5, m.params(), 9);
  const Matrix g = m.loss_gradients(s.x, s.y);
  EXPECT_LT((m.projected_loss_gradients(s.x, s.y, r) - g * r.transpose()).norm(), 1e-12 * g.norm());
  const Matrix h = m.mean_loss_hessian(s.x);
  EXPECT_LT((m.projected_mean_loss_hessian(s.x, s.y, r) - r * h * r.transpose()).norm(),
            1e-12 * h.norm());
}

TEST(SoftmaxModel, ProjectionIsSeededAndScaled) {
  const Matrix a = gradient_projection(64, 10, 1), b = gradient_projection(64, 10, 1);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, gradient_projection(64, 10, 2));
  // E[RᵀR] = I: columns have squared norm ≈ 1.
  for (int j = 0; j < 10; ++j) EXPECT_NEAR(a.col(j).squaredNorm(), 1.0, 0.5);
}

TEST(SoftmaxTraining, ReachesAStationaryPoint) {
  const Samples s = test::random_samples(60, 4, 3, 7);
  SoftmaxTraining options;
  options.l2 = 0.01;
  const SoftmaxFit fit = train_softmax(s, options);
  EXPECT_LT(fit.gradient_norm, 1e-7);
  // Stationarity of (1/m) Σ ℓ + ½ l2 ‖θ‖²: mean gradient + l2 θ = 0.
  const Eigen::VectorXd grad = fit.model.loss_gradients(s.x, s.y).colwise().mean().transpose() +
                               options.l2 * theta(fit.model);
  EXPECT_LT(grad.norm(), 1e-7);
  EXPECT_EQ(train_softmax(s, options).model.weights, fit.model.weights);  // deterministic
}

}  // namespace
}  // namespace hyperpush::explain

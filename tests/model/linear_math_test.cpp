// The host/device per-sample math (linear_math.hpp) against the Eigen reference problems and the
// textbook formulas, including logits where the naive formulas overflow.
#include "hyperpush/model/linear_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "hyperpush/model/linear_problem.hpp"

namespace hyperpush::model {
namespace {

namespace lm = linear_math;

const std::vector<double> kLogits = {-800, -745, -40, -20, -1.5, -1e-9, 0,
                                     1e-9, 0.3,  2,   20,  40,   745,   800};

// The Eigen reference on one sample with one feature, no bias and no decay (λ = −1000, so
// e^λ = 0 exactly): x = z, g = ℓ(z, y), ∇g = ℓ'(z, y), H·1 = ℓ''(z, y).
lm::SampleTerms reference_terms(LinearKind kind, double z, int label) {
  LinearSpec spec;
  spec.kind = kind;
  spec.bias = false;
  LabelledData train;
  train.features = Matrix::Ones(1, 1);
  train.labels = Eigen::VectorXi::Constant(1, label);
  const auto problem = make_linear_problem(spec, train, {}, {});
  const Vector x = Vector::Constant(1, z), lambda = Vector::Constant(1, -1000.0);
  const Vector one = Vector::Ones(1);
  Vector gradient(1), hvp(1);
  problem->inner_gradient(x, lambda, gradient);
  problem->hessian_vector(x, lambda, one, hvp);
  return {problem->inner_loss(x, lambda), gradient[0], hvp[0]};
}

TEST(LinearMath, LogisticTermsEqualTheEigenReference) {
  for (const double z : kLogits)
    for (const int y : {0, 1}) {
      const lm::SampleTerms t = lm::logistic_terms(z, y),
                            r = reference_terms(LinearKind::logistic, z, y);
      EXPECT_EQ(t.loss, r.loss) << "z = " << z << ", y = " << y;
      EXPECT_EQ(t.slope, r.slope) << "z = " << z << ", y = " << y;
      EXPECT_EQ(t.curvature, r.curvature) << "z = " << z << ", y = " << y;
    }
}

TEST(LinearMath, RidgeTermsEqualTheEigenReference) {
  for (const double z : {-40.0, -1.5, 0.0, 0.3, 2.0, 1e6})
    for (const int y : {0, 1}) {
      const lm::SampleTerms t = lm::ridge_terms(z, y), r = reference_terms(LinearKind::ridge, z, y);
      EXPECT_DOUBLE_EQ(t.loss, r.loss) << "z = " << z << ", y = " << y;
      EXPECT_EQ(t.slope, r.slope) << "z = " << z << ", y = " << y;
      EXPECT_EQ(t.curvature, 1.0);
      EXPECT_EQ(lm::ridge_residual(z, y), z - (2.0 * y - 1.0));
    }
}

TEST(LinearMath, MatchesTheNaiveFormulasWhereTheyDoNotOverflow) {
  for (const double z : {-30.0, -1.5, -1e-3, 0.0, 1e-3, 0.3, 2.0, 30.0}) {
    const double sigma = 1.0 / (1.0 + std::exp(-z));
    EXPECT_NEAR(lm::softplus(z), std::log(1.0 + std::exp(z)), 1e-15 * (1 + std::abs(z))) << z;
    EXPECT_NEAR(lm::sigmoid(z), sigma, 1e-15) << z;
    EXPECT_NEAR(lm::logistic_weight(z), sigma * (1 - sigma), 1e-15) << z;
    for (const int y : {0, 1}) {
      const lm::SampleTerms t = lm::logistic_terms(z, y);
      EXPECT_NEAR(t.loss, lm::softplus(z) - y * z, 1e-14 * (1 + std::abs(z)));
      EXPECT_NEAR(t.slope, sigma - y, 1e-15);
      EXPECT_EQ(t.curvature, lm::logistic_weight(z));
    }
  }
}

TEST(LinearMath, ExtremeLogitsStayFiniteAndExact) {
  for (const double z : kLogits) {
    EXPECT_TRUE(std::isfinite(lm::softplus(z))) << z;
    EXPECT_GE(lm::sigmoid(z), 0.0);
    EXPECT_LE(lm::sigmoid(z), 1.0);
    EXPECT_GE(lm::logistic_weight(z), 0.0);
    EXPECT_LE(lm::logistic_weight(z), 0.25 * (1 + 1e-15));  // ≤ 1/4 up to rounding
    // σ(z) + σ(−z) = 1 and the weight is symmetric.
    EXPECT_NEAR(lm::sigmoid(z) + lm::sigmoid(-z), 1.0, 4e-16);
    EXPECT_EQ(lm::logistic_weight(z), lm::logistic_weight(-z));
  }
  EXPECT_EQ(lm::softplus(800), 800.0);  // log(1 + e^800) overflows naively
  EXPECT_EQ(lm::softplus(-800), 0.0);
  EXPECT_EQ(lm::sigmoid(800), 1.0);
  EXPECT_EQ(lm::sigmoid(-800), 0.0);
  EXPECT_EQ(lm::logistic_weight(800), 0.0);
  EXPECT_EQ(lm::logistic_weight(0), 0.25);
  EXPECT_EQ(lm::sigmoid(0), 0.5);
  EXPECT_EQ(lm::softplus(0), std::log(2.0));
  // Confident and right: loss → 0, slope → 0; confident and wrong: loss ≈ |z|, slope ≈ ±1.
  EXPECT_EQ(lm::logistic_terms(800, 1).loss, 0.0);
  EXPECT_EQ(lm::logistic_terms(-800, 0).loss, 0.0);
  EXPECT_EQ(lm::logistic_terms(800, 0).loss, 800.0);
  EXPECT_EQ(lm::logistic_terms(-800, 1).loss, 800.0);
  EXPECT_EQ(lm::logistic_terms(800, 0).slope, 1.0);
  EXPECT_EQ(lm::logistic_terms(-800, 1).slope, -1.0);
  // Near 0 the weight is accurate to a few ulps: 1/4 − z²/16 + O(z⁴).
  EXPECT_NEAR(lm::logistic_weight(1e-4), 0.25 - 1e-8 / 16, 1e-16);
}

TEST(LinearMath, PredictionIsPositiveLogit) {
  EXPECT_EQ(lm::binary_prediction(1e-300), 1);
  EXPECT_EQ(lm::binary_prediction(0.0), 0);
  EXPECT_EQ(lm::binary_prediction(-2.0), 0);
}

}  // namespace
}  // namespace hyperpush::model

// The host/device per-sample math (linear_math.hpp) against the Eigen reference problems and the
// textbook formulas, including logits where the naive formulas overflow; the softmax rows read
// and written with a stride, as the kernels do on the GPU's column-major m × C matrices.
#include "hyperpush/model/linear_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
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

// --- softmax ---------------------------------------------------------------------------------

// One sample of one feature a = 1 and no bias: X is 1 × C, so x = z (its logits) and every
// derivative in x is the derivative in z. The reference's values at x = z for label y:
//   inner part (l2 decay e^{−1000} = 0, l2 = 0): ℓ, ∇ℓ = p − e_y, H w = (diag p − p pᵀ) w;
//   per-sample weights: J w = ∇ℓᵀ w (m = 1);
//   per-class offsets b (l2 = 1e-300, below every rounding): at z + b, f = ℓ, ∇_x f = p − e_y and
//   J w = (diag p − p pᵀ) w; and the prediction, the largest of z + b.
LabelledData one_sample(int label) {
  LabelledData part;
  part.features = Matrix::Ones(1, 1);
  part.labels = Eigen::VectorXi::Constant(1, label);
  return part;
}

LinearSpec softmax_spec(int classes, HyperKind hyper, double l2) {
  LinearSpec spec;
  spec.kind = LinearKind::softmax;
  spec.classes = classes;
  spec.hyper = hyper;
  spec.bias = false;
  spec.l2 = l2;
  return spec;
}

struct SoftmaxReference {
  double loss;
  Vector gradient, hvp, gradient_dot;  // ∇ℓ, (diag p − p pᵀ) w, ∇ℓᵀ w
  int prediction;
};

SoftmaxReference softmax_reference(const Vector& z, int label, const Vector& w,
                                   const Vector& offset) {
  const int classes = static_cast<int>(z.size());
  SoftmaxReference r;
  Vector scratch(1);
  if (offset.isZero()) {
    const auto p =
        make_linear_problem(softmax_spec(classes, HyperKind::l2, 0.0), one_sample(label), {}, {});
    const Vector lambda = Vector::Constant(1, -1000.0);
    r.loss = p->inner_loss(z, lambda);
    r.gradient.resize(classes);
    p->inner_gradient(z, lambda, r.gradient);
    r.hvp.resize(classes);
    p->hessian_vector(z, lambda, w, r.hvp);
    r.prediction = p->predict(z, lambda, LocalProblem::Part::train)[0];
    const auto weighted = make_linear_problem(softmax_spec(classes, HyperKind::per_sample, 1.0),
                                              one_sample(label), {}, {});
    weighted->cross_vector(z, Vector::Ones(1), w, scratch);
  } else {
    const auto p = make_linear_problem(softmax_spec(classes, HyperKind::per_class, 1e-300),
                                       one_sample(label), one_sample(label), {});
    r.loss = p->outer_loss(z, offset);
    r.gradient.resize(classes);
    p->outer_gradient_x(z, offset, r.gradient);
    r.hvp.resize(classes);
    p->cross_vector(z, offset, w, r.hvp);  // (1/m) Σ_k R_k, m = 1
    r.prediction = p->predict(z, offset, LocalProblem::Part::train)[0];
    scratch[0] = NAN;  // per-sample weights and offsets do not mix
  }
  r.gradient_dot = scratch;
  return r;
}

// Logit rows of C = 3 and 4 classes, from the centre to the far tails, with ties.
const std::vector<std::vector<double>> kLogitRows = {
    {0, 0, 0},        {1, 2, 3},       {3, 2, 1},          {2, 5, 5},           {-800, 0, 800},
    {1e3, 1e3, -1e3}, {-745, -40, 20}, {0.3, -1.5, 2, 40}, {1e-9, -1e-9, 0, 0}, {-20, 20, -20, 20}};

// A row of C values at entries c · stride of an array of `rows` rows, the others NaN (so a read
// outside the row shows), as one row k of a column-major rows × C matrix.
struct StridedRow {
  static constexpr std::ptrdiff_t kStride = 3;
  static constexpr int kRow = 1;
  explicit StridedRow(const Vector& v)
      : data(v.size() * kStride, std::numeric_limits<double>::quiet_NaN()) {
    for (Eigen::Index c = 0; c < v.size(); ++c) data[c * kStride + kRow] = v[c];
  }
  double* row() { return data.data() + kRow; }
  Vector values(Eigen::Index classes) const {
    Vector v(classes);
    for (Eigen::Index c = 0; c < classes; ++c) v[c] = data[c * kStride + kRow];
    return v;
  }
  // Every entry outside the row is still NaN.
  bool untouched_outside() const {
    for (std::size_t i = 0; i < data.size(); ++i)
      if (static_cast<std::ptrdiff_t>(i) % kStride != kRow && !std::isnan(data[i])) return false;
    return true;
  }
  std::vector<double> data;
};

void expect_softmax_math_equals_reference(const Vector& offset) {
  for (const auto& row : kLogitRows) {
    const Vector z = Eigen::Map<const Vector>(row.data(), static_cast<Eigen::Index>(row.size()));
    const int classes = static_cast<int>(z.size());
    Vector w(classes);
    for (int c = 0; c < classes; ++c) w[c] = 0.7 - 0.45 * c + 0.1 * c * c;
    const Vector b = offset.head(classes);
    for (int y = 0; y < classes; ++y) {
      SCOPED_TRACE(testing::Message()
                   << "z = " << z.transpose() << ", y = " << y << ", b = " << b.transpose());
      const SoftmaxReference r = softmax_reference(z, y, w, b);
      StridedRow logits(z), p(Vector::Zero(classes)), u(w), residual(Vector::Zero(classes));
      const double* b_or_null = b.isZero() ? nullptr : b.data();
      const double loss =
          lm::softmax_terms(classes, logits.row(), StridedRow::kStride, b_or_null, y, p.row());
      EXPECT_EQ(loss, r.loss);
      EXPECT_TRUE(std::isfinite(loss));
      EXPECT_NEAR(p.values(classes).sum(), 1.0, 1e-15);
      EXPECT_TRUE(p.untouched_outside());
      lm::softmax_residual(classes, p.row(), StridedRow::kStride, y, 1.0, residual.row());
      EXPECT_EQ(residual.values(classes), r.gradient);
      EXPECT_TRUE(residual.untouched_outside());
      // The HVP's row in place (r = u), as the kernel applies it to A W.
      lm::softmax_hvp_row(classes, p.row(), u.row(), StridedRow::kStride, 1.0, u.row());
      EXPECT_EQ(u.values(classes), r.hvp);
      EXPECT_TRUE(u.untouched_outside());
      if (b_or_null == nullptr) {
        StridedRow fresh(w);
        EXPECT_EQ(lm::softmax_gradient_dot(classes, p.row(), fresh.row(), StridedRow::kStride, y),
                  r.gradient_dot[0]);
      }
      EXPECT_EQ(lm::softmax_prediction(classes, logits.row(), StridedRow::kStride, b_or_null),
                r.prediction);
    }
  }
}

TEST(LinearMath, SoftmaxRowsEqualTheEigenReference) {
  expect_softmax_math_equals_reference(Vector::Zero(4));
}

TEST(LinearMath, SoftmaxRowsWithPerClassOffsetsEqualTheEigenReference) {
  Vector offset(4);
  offset << 0.5, -1.25, 0.0, 3.0;
  expect_softmax_math_equals_reference(offset);
  const double z[] = {1, 2, 3}, b[] = {2.5, 0, 0};
  EXPECT_EQ(lm::softmax_prediction(3, z, 1, b), 0);  // 3.5 > 2, 3
}

TEST(LinearMath, SoftmaxSampleWeightsScaleTheRows) {
  const Vector z = (Vector(3) << 0.2, -1.0, 2.5).finished(), w = Vector::Constant(3, 0.3);
  Vector p(3), scaled(3), unit(3);
  lm::softmax_terms(3, z.data(), 1, nullptr, 2, p.data());
  lm::softmax_residual(3, p.data(), 1, 2, 0.25, scaled.data());
  lm::softmax_residual(3, p.data(), 1, 2, 1.0, unit.data());
  EXPECT_EQ(scaled, 0.25 * unit);  // a power of two: exact
  lm::softmax_hvp_row(3, p.data(), w.data(), 1, 0.25, scaled.data());
  lm::softmax_hvp_row(3, p.data(), w.data(), 1, 1.0, unit.data());
  EXPECT_EQ(scaled, 0.25 * unit);
  // A constant u is in the kernel of diag p − p pᵀ (softmax is shift-invariant).
  EXPECT_LT(unit.cwiseAbs().maxCoeff(), 1e-16);
}

TEST(LinearMath, SoftmaxExtremeLogitsStayFinite) {
  const Vector z = (Vector(3) << -1e300, 0.0, 1e300).finished();
  Vector p(3);
  EXPECT_EQ(lm::softmax_terms(3, z.data(), 1, nullptr, 2, p.data()), 0.0);
  EXPECT_EQ(p, (Vector(3) << 0.0, 0.0, 1.0).finished());
  EXPECT_EQ(lm::softmax_terms(3, z.data(), 1, nullptr, 0, p.data()), 2e300);
  EXPECT_EQ(lm::softmax_prediction(3, z.data(), 1, nullptr), 2);
}

}  // namespace
}  // namespace hyperpush::model

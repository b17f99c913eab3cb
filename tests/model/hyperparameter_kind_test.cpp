// The hyperparameter algebra (hyperparameter_kind.hpp) over a backend's data terms: a SampleLoss
// that answers with fixed numbers shows what each kind adds to the data term, what it puts into
// each part (weights, offsets) and where J w and ∇_λ f come from.
#include "hyperpush/model/hyperparameter_kind.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/sample_loss.hpp"

namespace hyperpush::model {
namespace {

constexpr int kSamples = 4, kDim = 3, kClasses = 3;

// L(x) = Σ x_j, ∇L = 2 x, ∇²L w = 3 w, ∇ℓ_kᵀ w = Σ w_j, ∂L/∂b = 5, ∂/∂b ⟨∇L, w⟩ = Σ w_j; it keeps
// the weights and offsets the problem sets.
class FixedLoss final : public SampleLoss {
 public:
  int samples() const override { return kSamples; }
  int dim() const override { return kDim; }
  void set_sample_weights(const VectorRef& s) const override { weights = s; }
  void set_logit_offset(const VectorRef& b) const override { offset = b; }
  double value(const VectorRef& x) const override { return x.sum(); }
  void gradient(const VectorRef& x, VectorOut out) const override { out = 2 * x; }
  void hessian_vector(const VectorRef&, const VectorRef& w, VectorOut out) const override {
    out = 3 * w;
  }
  void sample_gradient_dots(const VectorRef&, const VectorRef& w, VectorOut out) const override {
    out.setConstant(w.sum());
  }
  void offset_gradient(const VectorRef&, VectorOut out) const override { out.setConstant(5); }
  void offset_cross_vector(const VectorRef&, const VectorRef& w, VectorOut out) const override {
    out.setConstant(w.sum());
  }
  Eigen::VectorXi predictions(const VectorRef&) const override {
    return Eigen::VectorXi::Zero(kSamples);
  }
  double accuracy(const VectorRef&) const override { return 0.5; }

  mutable Vector weights, offset;  // empty until set
};

struct Parts {
  FixedLoss *train, *validation, *test;
  std::unique_ptr<LocalProblem> problem;
};

Parts problem_of(HyperKind hyper, double l2) {
  LinearSpec spec;
  spec.kind = LinearKind::softmax;
  spec.hyper = hyper;
  spec.classes = kClasses;
  spec.l2 = l2;
  spec.initial_log_decay = -0.5;
  auto train = std::make_unique<FixedLoss>(), validation = std::make_unique<FixedLoss>(),
       test = std::make_unique<FixedLoss>();
  Parts parts{train.get(), validation.get(), test.get(), nullptr};
  parts.problem =
      make_linear_problem(spec, std::move(train), std::move(validation), std::move(test));
  return parts;
}

const Vector kX = (Vector(kDim) << 1, 2, 3).finished();
const Vector kW = (Vector(kDim) << 0.5, -1, 2).finished();

TEST(HyperparameterKind, SizesAndStartingPoints) {
  EXPECT_EQ(problem_of(HyperKind::l2, 0).problem->initial_lambda(), Vector::Constant(1, -0.5));
  EXPECT_EQ(problem_of(HyperKind::per_feature, 0).problem->initial_lambda(),
            Vector::Constant(kDim, -0.5));
  EXPECT_EQ(problem_of(HyperKind::per_sample, 1).problem->initial_lambda(), Vector::Ones(kSamples));
  EXPECT_EQ(problem_of(HyperKind::per_class, 1).problem->initial_lambda(), Vector::Zero(kClasses));
}

TEST(HyperparameterKind, L2DecayAddsItsRegularizerAndLeavesTheDataTermAlone) {
  const Parts p = problem_of(HyperKind::l2, 0.5);
  const Vector lambda = Vector::Constant(1, std::log(2.0));  // δ = e^λ + l2 = 2.5
  EXPECT_DOUBLE_EQ(p.problem->inner_loss(kX, lambda), 6 + 0.5 * 2.5 * 14);
  Vector out(kDim), j(1), f(1);
  p.problem->hessian_vector(kX, lambda, kW, out);
  EXPECT_TRUE(out.isApprox(5.5 * kW));
  EXPECT_TRUE(p.problem->hessian(kX, lambda).isApprox(5.5 * Matrix::Identity(kDim, kDim)));
  p.problem->cross_vector(kX, lambda, kW, j);
  EXPECT_DOUBLE_EQ(j[0], 2 * kX.dot(kW));  // e^λ xᵀw
  p.problem->outer_gradient_lambda(kX, lambda, f);
  EXPECT_EQ(f[0], 0.0);
  EXPECT_EQ(p.train->weights.size() + p.train->offset.size(), 0);
}

TEST(HyperparameterKind, PerFeatureDecayHasOneDecayPerEntry) {
  const Parts p = problem_of(HyperKind::per_feature, 0.0);
  const Vector lambda = Vector(Eigen::Vector3d(1, 2, 4).array().log());
  Vector out(kDim), j(kDim);
  p.problem->inner_gradient(kX, lambda, out);
  EXPECT_TRUE(out.isApprox(2 * kX + Vector(Eigen::Vector3d(1, 4, 12))));
  p.problem->cross_vector(kX, lambda, kW, j);
  EXPECT_TRUE(j.isApprox(Vector(Eigen::Vector3d(0.5, -4, 24))));  // e^λ ⊙ x ⊙ w
}

TEST(HyperparameterKind, PerSampleWeightsWeighTheTrainingPartOnly) {
  const Parts p = problem_of(HyperKind::per_sample, 0.1);
  const Vector lambda = Vector(Eigen::Vector4d(1, 2, 3, 4));
  p.problem->inner_loss(kX, lambda);
  p.problem->outer_loss(kX, lambda);
  EXPECT_EQ(p.train->weights, lambda / kSamples);  // s = λ/m
  EXPECT_EQ(p.validation->weights.size(), 0);
  Vector j(kSamples);
  p.problem->cross_vector(kX, lambda, kW, j);
  EXPECT_TRUE(j.isApprox(Vector::Constant(kSamples, kW.sum() / kSamples)));  // ∇ℓ_kᵀ w / m
  // No dense kernel in this backend: J from d products J e_j.
  EXPECT_TRUE(p.problem->cross_jacobian(kX, lambda)
                  .isApprox(Matrix::Constant(kSamples, kDim, 1.0 / kSamples)));
}

TEST(HyperparameterKind, PerClassOffsetsEnterEveryPartAndTheOuterLoss) {
  const Parts p = problem_of(HyperKind::per_class, 0.1);
  const Vector lambda = Vector(Eigen::Vector3d(0.1, -0.2, 0.3));
  Vector j(kClasses), f(kClasses);
  p.problem->cross_vector(kX, lambda, kW, j);
  EXPECT_TRUE(j.isApprox(Vector::Constant(kClasses, kW.sum())));  // the data term's ∂/∂b ⟨∇L, w⟩
  p.problem->outer_gradient_lambda(kX, lambda, f);
  EXPECT_EQ(f, Vector::Constant(kClasses, 5));  // the validation part's ∂L/∂b
  p.problem->test_metric(kX, lambda);
  for (const FixedLoss* part : {p.train, p.validation, p.test}) EXPECT_EQ(part->offset, lambda);
  EXPECT_EQ(p.train->weights.size(), 0);
}

TEST(HyperparameterKind, ChecksNameTheBackendAndTheKind) {
  EXPECT_THROW(check_decay(-1, 0, "x"), Error);
  EXPECT_THROW(check_decay(0, NAN, "x"), Error);
  EXPECT_NO_THROW(check_strong_convexity(HyperKind::l2, 0, "x"));
  try {
    check_strong_convexity(HyperKind::per_class, 0, "torch problem");
    FAIL() << "expected hyperpush::Error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "torch problem: per-class logit weights need l2 > 0 (got 0) to keep the inner "
                 "problem strongly convex");
  }
}

}  // namespace
}  // namespace hyperpush::model

// The torch backend on a CUDA device against the Eigen reference on the CPU (DESIGN.md's reference
// rule): gradients, HVPs (double backward on the device), J w and the outer oracles of the
// logistic, ridge and softmax models equal on identical inputs, < 1e-12 relative in double. Each
// check also runs with device "cpu", so the checks themselves run on every machine; the "cuda" ones
// skip with "no CUDA device: skipped" where LibTorch has no CUDA or no device answers. No MPI: the
// GPU check (scripts/gpu-check.sh) builds this file alone as test_torch_cuda.
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>

#include "../model/oracle_checks.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/torch_problem.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using test::random_part;

using test::relative_error;

// Whether the torch backend can use a CUDA device here (LibTorch with CUDA, a driver, a GPU).
bool torch_has_cuda() {
  try {
    torch_device_name("cuda", 0);
    return true;
  } catch (const Error&) {
    return false;
  }
}

constexpr int kTrain = 300, kValidation = 70, kTest = 50, kFeatures = 17, kClasses = 3;
constexpr double kL2 = 0.05, kSame = 1e-12;

struct Case {
  std::string device;
  LinearKind kind;
  HyperKind hyper;
};

std::string name_of(const Case& c) {
  const char* kinds[] = {"logistic", "softmax", "ridge"};
  const char* hypers[] = {"l2", "per_feature", "per_sample", "per_class"};
  return c.device + "_" + kinds[static_cast<int>(c.kind)] + "_" + hypers[static_cast<int>(c.hyper)];
}
std::string case_name(const testing::TestParamInfo<Case>& info) { return name_of(info.param); }
void PrintTo(const Case& c, std::ostream* os) { *os << name_of(c); }

TorchKind torch_kind(LinearKind kind) {
  switch (kind) {
    case LinearKind::logistic:
      return TorchKind::logistic;
    case LinearKind::softmax:
      return TorchKind::softmax;
    case LinearKind::ridge:
      return TorchKind::ridge;
  }
  return TorchKind::logistic;
}

// A λ of the kind's scale: log-decays around log 0.37, sample weights around 1, offsets N(0, 1).
Vector lambda_of(HyperKind hyper, int p, std::uint64_t seed) {
  switch (hyper) {
    case HyperKind::per_sample:
      return test::random_vector(p, seed, 1.0, 0.3);
    case HyperKind::per_class:
      return test::random_vector(p, seed);
    default:
      return test::random_vector(p, seed, -1.0, 0.5);
  }
}

class TorchOnDeviceEqualsEigen : public testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (GetParam().device == "cuda" && !torch_has_cuda()) GTEST_SKIP() << "no CUDA device: skipped";
    const int classes = GetParam().kind == LinearKind::softmax ? kClasses : 2;
    LinearSpec linear;
    linear.kind = GetParam().kind;
    linear.hyper = GetParam().hyper;
    linear.classes = classes;
    linear.l2 = kL2;
    TorchSpec spec;
    spec.kind = torch_kind(GetParam().kind);
    spec.hyper = GetParam().hyper;
    spec.classes = classes;
    spec.l2 = kL2;
    spec.device = GetParam().device;
    const auto train = random_part(kTrain, kFeatures, classes, 1);
    const auto validation = random_part(kValidation, kFeatures, classes, 2);
    const auto test = random_part(kTest, kFeatures, classes, 3);
    reference_ = make_linear_problem(linear, train, validation, test);
    torch_ = make_torch_problem(spec, train, validation, test);
  }

  // Every oracle at (x, λ), with two w (and the first again: the kept graph and loaded w).
  void expect_same_at(const Vector& x, const Vector& lambda) {
    const int d = reference_->dim(), p = reference_->hyper_dim();
    EXPECT_NEAR(torch_->inner_loss(x, lambda), reference_->inner_loss(x, lambda),
                kSame * std::abs(reference_->inner_loss(x, lambda)));
    EXPECT_LT(relative_error(test::inner_gradient(*torch_, x, lambda),
                             test::inner_gradient(*reference_, x, lambda)),
              kSame);
    const Vector w1 = test::random_vector(d, 11), w2 = test::random_vector(d, 12);
    for (const Vector* w : {&w1, &w2, &w1}) {
      EXPECT_LT(relative_error(test::hessian_vector(*torch_, x, lambda, *w),
                               test::hessian_vector(*reference_, x, lambda, *w)),
                kSame);
      EXPECT_LT(relative_error(test::cross_vector(*torch_, x, lambda, *w),
                               test::cross_vector(*reference_, x, lambda, *w)),
                kSame);
    }
    EXPECT_NEAR(torch_->outer_loss(x, lambda), reference_->outer_loss(x, lambda),
                kSame * std::abs(reference_->outer_loss(x, lambda)));
    Vector a(d), b(d), ap(p), bp(p);
    torch_->outer_gradient_x(x, lambda, a);
    reference_->outer_gradient_x(x, lambda, b);
    EXPECT_LT(relative_error(a, b), kSame);
    torch_->outer_gradient_lambda(x, lambda, ap);
    reference_->outer_gradient_lambda(x, lambda, bp);
    EXPECT_LT(relative_error(ap, bp), kSame);  // 0 = 0 but for per-class
    EXPECT_EQ(torch_->test_metric(x, lambda), reference_->test_metric(x, lambda));
    for (const auto part : {LocalProblem::Part::train, LocalProblem::Part::test})
      EXPECT_EQ(torch_->predict(x, lambda, part), reference_->predict(x, lambda, part));
  }

  std::unique_ptr<LocalProblem> reference_, torch_;
};

TEST_P(TorchOnDeviceEqualsEigen, GradientsAndProductsEqualTheReference) {
  ASSERT_EQ(torch_->dim(), reference_->dim());
  ASSERT_EQ(torch_->hyper_dim(), reference_->hyper_dim());
  EXPECT_EQ(torch_->initial_lambda(), reference_->initial_lambda());
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const Vector lambda = lambda_of(GetParam().hyper, p, 5);
  const Vector x1 = test::random_vector(d, 6, 0.0, 0.3), x2 = test::random_vector(d, 7, 0.0, 0.3);
  expect_same_at(Vector::Zero(d), lambda);  // every logit 0: the inner solvers' start
  expect_same_at(x1, lambda);
  expect_same_at(x2, lambda);
  expect_same_at(x1, lambda_of(GetParam().hyper, p, 9));         // a new λ at an earlier x
  expect_same_at(test::random_vector(d, 8, 0.0, 40.0), lambda);  // logits far in the tails
}

TEST_P(TorchOnDeviceEqualsEigen, DenseHessianEqualsTheReference) {
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const Vector x = test::random_vector(d, 6, 0.0, 0.3), lambda = lambda_of(GetParam().hyper, p, 5);
  const Matrix h = torch_->hessian(x, lambda), reference = reference_->hessian(x, lambda);
  EXPECT_LT((h - reference).norm() / reference.norm(), kSame);
}

INSTANTIATE_TEST_SUITE_P(TorchDevice, TorchOnDeviceEqualsEigen,
                         testing::Values(Case{"cuda", LinearKind::logistic, HyperKind::l2},
                                         Case{"cuda", LinearKind::logistic, HyperKind::per_feature},
                                         Case{"cuda", LinearKind::logistic, HyperKind::per_sample},
                                         Case{"cuda", LinearKind::ridge, HyperKind::l2},
                                         Case{"cuda", LinearKind::softmax, HyperKind::l2},
                                         Case{"cuda", LinearKind::softmax, HyperKind::per_feature},
                                         Case{"cuda", LinearKind::softmax, HyperKind::per_sample},
                                         Case{"cuda", LinearKind::softmax, HyperKind::per_class},
                                         Case{"cpu", LinearKind::logistic, HyperKind::l2},
                                         Case{"cpu", LinearKind::softmax, HyperKind::per_sample}),
                         case_name);

}  // namespace
}  // namespace hyperpush::model

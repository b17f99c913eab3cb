// The cuda backend against the Eigen reference (DESIGN.md's reference rule): every oracle of the
// logistic, ridge and softmax models, with every hyperparameter kind, equal on identical inputs
// (< 1e-12 relative, double). The device tests skip with "no CUDA device: skipped" on a machine
// without a GPU; the argument checks and the no-device error run everywhere.
#include "hyperpush/cuda/cuda_problem.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "../model/oracle_checks.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "support/linear_cases.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using test::random_part;
using test::random_vector;

#define SKIP_WITHOUT_DEVICE() \
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device: skipped"

constexpr int kTrain = 300, kValidation = 70, kTest = 50, kFeatures = 17, kClasses = 3;
constexpr double kL2 = 0.05, kSame = 1e-12;

using Case = test::LinearCase;
using test::lambda_of;
using test::name_of;

LinearSpec spec_of(const Case& c) {
  LinearSpec spec;
  spec.kind = c.kind;
  spec.hyper = c.hyper;
  spec.classes = c.kind == LinearKind::softmax ? kClasses : 2;
  spec.l2 = kL2;
  return spec;
}

class CudaEqualsEigen : public testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_DEVICE();
    const LinearSpec spec = spec_of(GetParam());
    const auto train = random_part(kTrain, kFeatures, spec.classes, 1);
    const auto validation = random_part(kValidation, kFeatures, spec.classes, 2);
    const auto test = random_part(kTest, kFeatures, spec.classes, 3);
    reference_ = make_linear_problem(spec, train, validation, test);
    cuda_ = make_cuda_problem(spec, train, validation, test);
  }

  void expect_same_at(const Vector& x, const Vector& lambda) {
    test::expect_same_oracles(*cuda_, *reference_, x, lambda, kSame);
  }

  std::unique_ptr<LocalProblem> reference_, cuda_;
};

TEST_P(CudaEqualsEigen, OraclesEqualTheReference) {
  ASSERT_EQ(cuda_->dim(), reference_->dim());
  ASSERT_EQ(cuda_->hyper_dim(), reference_->hyper_dim());
  EXPECT_EQ(cuda_->initial_lambda(), reference_->initial_lambda());
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const Vector lambda = lambda_of(GetParam().hyper, p, 5);
  const Vector x1 = random_vector(d, 6, 0.0, 0.3), x2 = random_vector(d, 7, 0.0, 0.3);
  expect_same_at(x1, lambda);
  expect_same_at(x2, lambda);
  expect_same_at(x1, lambda);  // back to an earlier x: the per-x cache is refreshed
  expect_same_at(x1, lambda_of(GetParam().hyper, p, 9));   // a new λ at the same x
  expect_same_at(random_vector(d, 8, 0.0, 40.0), lambda);  // logits far in the tails
}

TEST_P(CudaEqualsEigen, DenseMatricesEqualTheReference) {
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const Vector x = random_vector(d, 6, 0.0, 0.3), lambda = lambda_of(GetParam().hyper, p, 5);
  const Matrix h = cuda_->hessian(x, lambda), reference = reference_->hessian(x, lambda);
  EXPECT_LT((h - reference).norm() / reference.norm(), kSame);
  const Matrix j = cuda_->cross_jacobian(x, lambda), jr = reference_->cross_jacobian(x, lambda);
  EXPECT_LT((j - jr).norm() / jr.norm(), kSame);
}

INSTANTIATE_TEST_SUITE_P(Cuda, CudaEqualsEigen, testing::ValuesIn(test::all_linear_cases()),
                         test::case_name);

TEST(CudaProblem, EmptyValidationAndTestPartsBehaveLikeTheReference) {
  SKIP_WITHOUT_DEVICE();
  for (const Case c : {Case{LinearKind::logistic, HyperKind::l2},
                       Case{LinearKind::softmax, HyperKind::per_class}}) {
    SCOPED_TRACE(name_of(c));
    const LinearSpec spec = spec_of(c);
    const auto train = random_part(kTrain, kFeatures, spec.classes, 1);
    const auto reference = make_linear_problem(spec, train, {}, {});
    const auto cuda = make_cuda_problem(spec, train, {}, {});
    const Vector x = random_vector(reference->dim(), 6), lambda = reference->initial_lambda();
    EXPECT_EQ(cuda->outer_loss(x, lambda), 0.0);
    Vector g(cuda->dim()), gl(cuda->hyper_dim());
    cuda->outer_gradient_x(x, lambda, g);
    EXPECT_EQ(g, Vector::Zero(cuda->dim()));
    cuda->outer_gradient_lambda(x, lambda, gl);
    EXPECT_EQ(gl, Vector::Zero(cuda->hyper_dim()));
    EXPECT_TRUE(std::isnan(cuda->test_metric(x, lambda)));
    EXPECT_EQ(cuda->predict(x, lambda, LocalProblem::Part::test).size(), 0);
  }
}

TEST(CudaProblem, WithoutADeviceTheFactoryFailsClearly) {
  if (cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present: nothing to refuse";
  const auto train = random_part(10, 3, 2, 1);
  try {
    make_cuda_problem(LinearSpec{}, train, {}, {});
    FAIL() << "expected hyperpush::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.backend = \"cuda\": no CUDA device ("),
              std::string::npos)
        << e.what();
  }
}

// The message of the Error `make` throws; "" when it throws none.
template <class Make>
std::string error_of(Make make) {
  try {
    make();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(CudaProblem, RefusesBadInputsWithTheReferenceMessages) {
  // The checks run before any device is touched, so this runs without a GPU too.
  const auto good = random_part(10, 3, 2, 1), validation = random_part(5, 3, 2, 2);
  struct Bad {
    std::string what;
    LinearSpec spec;
    LabelledData train, validation, test;
  };
  std::vector<Bad> cases;
  auto add = [&](std::string what) {
    cases.push_back({std::move(what), LinearSpec{}, good, validation, {}});
    return &cases.back();
  };
  add("label outside {0, 1}")->train.labels[3] = 2;
  add("negative label")->validation.labels[1] = -1;
  add("NaN feature")->validation.features(2, 1) = std::nan("");
  add("infinite feature")->train.features(0, 0) = INFINITY;
  add("column count")->test = random_part(4, 2, 2, 3);
  add("rows vs labels")->validation.labels.resize(4);
  add("empty training part")->train = LabelledData{};
  add("negative l2")->spec.l2 = -1;
  add("infinite initial decay")->spec.initial_log_decay = INFINITY;
  add("three classes")->spec.classes = 3;
  add("per-sample weights without l2")->spec.hyper = HyperKind::per_sample;
  add("per-class offsets on logistic")->spec =
      spec_of({LinearKind::logistic, HyperKind::per_class});
  Bad* one_class = add("softmax with one class");
  one_class->spec = spec_of({LinearKind::softmax, HyperKind::l2});
  one_class->spec.classes = 1;
  Bad* per_class = add("per-class offsets without l2");
  per_class->spec = spec_of({LinearKind::softmax, HyperKind::per_class});
  per_class->spec.l2 = 0;
  Bad* none = add("no parameters");
  none->spec.bias = false;
  none->train.features.resize(10, 0);
  none->validation = {};
  for (const Bad& c : cases) {
    const std::string reference =
        error_of([&] { make_linear_problem(c.spec, c.train, c.validation, c.test); });
    ASSERT_FALSE(reference.empty()) << c.what << ": the reference accepted it";
    EXPECT_EQ(error_of([&] { make_cuda_problem(c.spec, c.train, c.validation, c.test); }),
              reference)
        << c.what;
  }
}

}  // namespace
}  // namespace hyperpush::model

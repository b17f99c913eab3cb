// The torch backend's linear models against the Eigen reference (DESIGN.md's reference rule), on
// the CPU and on a CUDA device: losses, gradients, HVPs (double backward), J w, the outer oracles,
// test metric and predictions of logistic, ridge and softmax with every hyperparameter kind equal
// on identical inputs, < 1e-12 relative in double. The "cuda" cases skip with "no CUDA device:
// skipped" where LibTorch has no CUDA or no device answers; the "cpu" ones run everywhere. No MPI:
// the GPU check (scripts/gpu-check.sh) builds this file alone as test_torch_cuda.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/torch/torch_problem.hpp"
#include "support/linear_cases.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using test::random_part;
using test::random_vector;

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
  test::LinearCase linear;
};
std::string name_of(const Case& c) { return c.device + "_" + test::name_of(c.linear); }
void PrintTo(const Case& c, std::ostream* os) { *os << name_of(c); }

// Every linear case on each device.
std::vector<Case> all_cases() {
  std::vector<Case> out;
  for (const char* device : {"cpu", "cuda"})
    for (const test::LinearCase& c : test::all_linear_cases()) out.push_back({device, c});
  return out;
}

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

class TorchEqualsEigen : public testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (GetParam().device == "cuda" && !torch_has_cuda()) GTEST_SKIP() << "no CUDA device: skipped";
    const test::LinearCase& c = GetParam().linear;
    const int classes = c.kind == LinearKind::softmax ? kClasses : 2;
    LinearSpec linear;
    linear.kind = c.kind;
    linear.hyper = c.hyper;
    linear.classes = classes;
    linear.l2 = kL2;
    TorchSpec spec;
    spec.kind = torch_kind(c.kind);
    spec.hyper = c.hyper;
    spec.classes = classes;
    spec.l2 = kL2;
    spec.device = GetParam().device;
    const auto train = random_part(kTrain, kFeatures, classes, 1);
    const auto validation = random_part(kValidation, kFeatures, classes, 2);
    const auto test = random_part(kTest, kFeatures, classes, 3);
    reference_ = make_linear_problem(linear, train, validation, test);
    torch_ = make_torch_problem(spec, train, validation, test);
  }

  std::unique_ptr<LocalProblem> reference_, torch_;
};

TEST_P(TorchEqualsEigen, EveryOracleAtSeveralPoints) {
  EXPECT_EQ(torch_->initial_lambda(), reference_->initial_lambda());
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const HyperKind hyper = GetParam().linear.hyper;
  const Vector lambda = test::lambda_of(hyper, p, 5);
  const Vector x1 = random_vector(d, 6, 0.0, 0.3), x2 = random_vector(d, 7, 0.0, 0.3);
  const auto same_at = [&](const Vector& x, const Vector& l) {
    test::expect_same_oracles(*torch_, *reference_, x, l, kSame);
  };
  same_at(Vector::Zero(d), lambda);  // every logit 0: the inner solvers' start
  same_at(x1, lambda);
  same_at(x2, lambda);
  same_at(x1, test::lambda_of(hyper, p, 9));        // a new λ at an earlier x
  same_at(random_vector(d, 8, 0.0, 40.0), lambda);  // logits far in the tails
}

TEST_P(TorchEqualsEigen, DenseHessianEqualsTheReference) {
  const int d = reference_->dim(), p = reference_->hyper_dim();
  const Vector x = random_vector(d, 6, 0.0, 0.3);
  const Vector lambda = test::lambda_of(GetParam().linear.hyper, p, 5);
  const Matrix h = torch_->hessian(x, lambda), reference = reference_->hessian(x, lambda);
  EXPECT_LT((h - reference).norm() / reference.norm(), kSame);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, TorchEqualsEigen, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& info) {
                           return name_of(info.param);
                         });

}  // namespace
}  // namespace hyperpush::model

// The torch backend's networks, which have no reference, against central finite differences (the
// mlp and the cnn, every hyperparameter kind), and its layouts. The linear models against the
// Eigen reference: torch_cuda_test.cpp (on the CPU and on a device).
#include "hyperpush/torch/torch_problem.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "../model/oracle_checks.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using test::random_part;

using test::relative_error;

constexpr int kTrain = 30, kValidation = 20, kTest = 10, kFeatures = 4;
constexpr double kL2 = 0.05, kSame = 1e-10;

// Large logits: log(1 + e^z) must not overflow nor lose the 1e-10 agreement.
TEST(TorchProblem, LogisticAgreesAtLargeLogits) {
  LinearSpec linear;
  TorchSpec spec;
  spec.device = "cpu";
  const auto train = random_part(kTrain, kFeatures, 2, 4);
  auto reference = make_linear_problem(linear, train, {}, {});
  auto fast = make_torch_problem(spec, train, {}, {});
  const Vector x = test::random_vector(reference->dim(), 5, 0, 40);
  const Vector lambda = reference->initial_lambda(), w = test::random_vector(reference->dim(), 6);
  EXPECT_NEAR(fast->inner_loss(x, lambda), reference->inner_loss(x, lambda),
              kSame * reference->inner_loss(x, lambda));
  EXPECT_LT(relative_error(test::inner_gradient(*fast, x, lambda),
                           test::inner_gradient(*reference, x, lambda)),
            kSame);
  EXPECT_LT(relative_error(test::hessian_vector(*fast, x, lambda, w),
                           test::hessian_vector(*reference, x, lambda, w)),
            kSame);
  EXPECT_EQ(fast->outer_loss(x, lambda), 0.0);  // no validation part
  EXPECT_TRUE(std::isnan(fast->test_metric(x, lambda)));
}

// The networks (an mlp on kFeatures inputs, a cnn on 8 × 8 images) against central differences,
// for every hyperparameter kind; `widths` are the mlp's hidden widths or the cnn's channels.
struct NetworkCase {
  TorchKind kind;
  int classes;
  std::vector<int> widths;
  int kernel;  // cnn
  Activation activation;
  HyperKind hyper;
  const char* name;
  int inputs() const { return kind == TorchKind::cnn ? 64 : kFeatures; }
};
void PrintTo(const NetworkCase& c, std::ostream* os) { *os << c.name; }

class NetworkOracles : public testing::TestWithParam<NetworkCase> {
 protected:
  void SetUp() override {
    const NetworkCase& c = GetParam();
    TorchSpec spec;
    spec.kind = c.kind;
    spec.classes = c.classes;
    (c.kind == TorchKind::cnn ? spec.channels : spec.hidden) = c.widths;
    spec.kernel = c.kernel;
    spec.activation = c.activation;
    spec.hyper = c.hyper;
    spec.l2 = kL2;
    spec.seed = 3;
    spec.device = "cpu";
    problem = make_torch_problem(spec, random_part(kTrain, c.inputs(), c.classes, 1),
                                 random_part(kValidation, c.inputs(), c.classes, 2),
                                 random_part(kTest, c.inputs(), c.classes, 3));
  }
  std::unique_ptr<LocalProblem> problem;
};

TEST_P(NetworkOracles, MatchFiniteDifferences) {
  const NetworkCase& c = GetParam();
  const int d = problem->dim(), p = problem->hyper_dim();
  EXPECT_EQ(d, c.kind == TorchKind::cnn
                   ? cnn_parameter_count(c.inputs(), c.widths, c.kernel, c.classes)
                   : mlp_parameter_count(c.inputs(), c.widths, c.classes));
  const Vector x = test::random_vector(d, 7, 0, 0.3);
  const Vector lambda = c.hyper == HyperKind::per_sample ? test::random_vector(p, 8, 1.0, 0.3)
                                                         : test::random_vector(p, 8, -1.0, 0.5);
  const Vector w = test::random_vector(d, 9);
  test::expect_inner_gradient_matches_differences(*problem, x, lambda);
  test::expect_hessian_vector_matches_differences(*problem, x, lambda, w);
  test::expect_cross_vector_matches_differences(*problem, x, lambda, w);
  test::expect_outer_gradients_match_differences(*problem, x, lambda);
  test::expect_cross_jacobian_matches_products(*problem, x, lambda, w);
  const Matrix h = problem->hessian(x, lambda);  // symmetric up to rounding of double backward
  EXPECT_LT((h - h.transpose()).norm(), 1e-12 * h.norm());
  if (c.hyper == HyperKind::per_class) {
    Vector gl(p);
    problem->outer_gradient_lambda(x, lambda, gl);
    EXPECT_GT(gl.norm(), 1e-3);  // λ enters f
    test::expect_offsets_decide_predictions(*problem, x,
                                            random_part(kTest, c.inputs(), c.classes, 3).labels);
  }
}

NetworkCase mlp(int classes, std::vector<int> hidden, Activation activation, HyperKind hyper,
                const char* name) {
  return {TorchKind::mlp, classes, std::move(hidden), 0, activation, hyper, name};
}
NetworkCase cnn(int classes, std::vector<int> channels, int kernel, Activation activation,
                HyperKind hyper, const char* name) {
  return {TorchKind::cnn, classes, std::move(channels), kernel, activation, hyper, name};
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, NetworkOracles,
    testing::Values(
        mlp(2, {6}, Activation::tanh, HyperKind::l2, "mlp_binary_tanh_l2"),
        mlp(3, {6, 5}, Activation::tanh, HyperKind::per_feature, "mlp_two_layers_per_feature"),
        mlp(3, {5}, Activation::softplus, HyperKind::per_sample, "mlp_softplus_per_sample"),
        mlp(3, {5}, Activation::tanh, HyperKind::per_class, "mlp_per_class"),
        cnn(2, {2, 3}, 3, Activation::tanh, HyperKind::l2, "cnn_binary_l2"),
        cnn(3, {2, 3}, 5, Activation::tanh, HyperKind::per_class, "cnn_three_classes_per_class"),
        cnn(3, {3}, 3, Activation::softplus, HyperKind::per_sample, "cnn_one_block_per_sample"),
        cnn(4, {2, 2}, 1, Activation::softplus, HyperKind::per_feature,
            "cnn_pointwise_per_feature")),
    [](const testing::TestParamInfo<NetworkCase>& info) { return std::string(info.param.name); });

// Odd sides floor at each pool (avg_pool2d): a 9 × 9 image pools to 4 × 4, then 2 × 2.
TEST(TorchProblem, CnnParameterCountFollowsTheLayout) {
  // conv 1 → 4 (5 × 5): 100 + 4; conv 4 → 8: 800 + 8; linear 8 · 2 · 2 → 1 (2 classes): 32 + 1.
  EXPECT_EQ(cnn_parameter_count(64, {4, 8}, 5, 2), 104 + 808 + 33);
  EXPECT_EQ(cnn_parameter_count(81, {4, 8}, 5, 2), 104 + 808 + 33);
  // linear 8 · 1 · 1 → 10 for 4 × 4 images, 10 classes.
  EXPECT_EQ(cnn_parameter_count(16, {4, 8}, 5, 10), 104 + 808 + 90);
  EXPECT_THROW(cnn_parameter_count(30, {4, 8}, 5, 2), Error);  // not a square
  EXPECT_THROW(cnn_parameter_count(9, {4, 8}, 5, 2), Error);   // 3 × 3: too small for 2 pools
  EXPECT_THROW(cnn_parameter_count(64, {4, 8}, 4, 2), Error);  // even kernel
}

// x = 0 is θ = θ0, not the saddle θ = 0: the first layer's weights get a gradient there.
TEST(TorchProblem, MlpStartsAwayFromTheSaddle) {
  TorchSpec spec;
  spec.kind = TorchKind::mlp;
  spec.hidden = {4};
  spec.device = "cpu";
  auto problem = make_torch_problem(spec, random_part(kTrain, kFeatures, 2, 1), {}, {});
  const Vector x = Vector::Zero(problem->dim());
  const Vector g = test::inner_gradient(*problem, x, problem->initial_lambda());
  EXPECT_GT(g.head(4 * kFeatures).norm(), 1e-3);
}

TEST(TorchProblem, DeviceSelection) {
  EXPECT_EQ(torch_device_name("cpu", 3), "cpu");
  const std::string automatic = torch_device_name("auto", 0);
  EXPECT_TRUE(automatic == "cpu" || automatic.rfind("cuda:", 0) == 0) << automatic;
  EXPECT_THROW(torch_device_name("gpu", 0), Error);
  if (automatic == "cpu") {
    EXPECT_THROW(torch_device_name("cuda", 0), Error);
    std::cout << "no CUDA device: torch-on-CUDA checks skipped\n";
  }
}

TEST(TorchProblem, RefusesBadInputs) {
  const auto train = random_part(kTrain, kFeatures, 2, 1);
  TorchSpec spec;
  spec.device = "cpu";
  spec.hyper = HyperKind::per_sample;
  EXPECT_THROW(make_torch_problem(spec, train, {}, {}), Error);  // l2 = 0
  spec = TorchSpec{};
  spec.device = "cpu";
  spec.classes = 3;
  EXPECT_THROW(make_torch_problem(spec, train, {}, {}), Error);  // logistic with 3 classes
  spec = TorchSpec{};
  spec.kind = TorchKind::mlp;
  spec.device = "cpu";
  spec.hidden = {};
  EXPECT_THROW(make_torch_problem(spec, train, {}, {}), Error);
  spec.hidden = {0};
  EXPECT_THROW(make_torch_problem(spec, train, {}, {}), Error);
  spec = TorchSpec{};
  spec.device = "cpu";
  auto bad = train;
  bad.labels[2] = 5;
  EXPECT_THROW(make_torch_problem(spec, bad, {}, {}), Error);
  bad = train;
  bad.features(1, 1) = std::nan("");
  EXPECT_THROW(make_torch_problem(spec, bad, {}, {}), Error);
  EXPECT_THROW(make_torch_problem(spec, {}, {}, {}), Error);
}

void expect_message(const TorchSpec& spec, const LabelledData& train, const std::string& message) {
  try {
    make_torch_problem(spec, train, {}, {});
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(TorchProblem, RefusesPerClassWithOneLogitOrWithoutL2) {
  const auto train = random_part(kTrain, kFeatures, 2, 1);
  TorchSpec spec;
  spec.device = "cpu";
  spec.hyper = HyperKind::per_class;
  spec.l2 = kL2;
  expect_message(spec, train,
                 "torch problem: per-class logit weights need a model with C >= 2 logits; "
                 "logistic has one logit per sample (use softmax)");
  spec.kind = TorchKind::mlp;
  expect_message(spec, train,
                 "torch problem: per-class logit weights need a model with C >= 2 logits; a "
                 "2-class mlp has one logit per sample (use softmax, or classes >= 3)");
  spec.kind = TorchKind::softmax;
  spec.l2 = 0;
  expect_message(spec, train,
                 "torch problem: per-class logit weights need l2 > 0 (got 0) to keep the inner "
                 "problem strongly convex");
  spec.l2 = kL2;  // softmax with 2 classes has 2 logits
  EXPECT_EQ(make_torch_problem(spec, train, {}, {})->hyper_dim(), 2);
}

TEST(TorchProblem, RefusesCnnShapesItCannotRun) {
  TorchSpec spec;
  spec.kind = TorchKind::cnn;
  spec.device = "cpu";
  expect_message(spec, random_part(kTrain, 30, 2, 1),
                 "torch problem: model.kind = \"cnn\" needs square one-channel images of q = "
                 "side² features; q = 30 is not the square of an integer");
  expect_message(spec, random_part(kTrain, 9, 2, 1),
                 "torch problem: model.kind = \"cnn\" with 2 conv blocks (model.channels) needs "
                 "images of side >= 4 (a 2 × 2 pool per block); q = 9 is 3 × 3");
  spec.kernel = 4;
  expect_message(spec, random_part(kTrain, 16, 2, 1),
                 "torch problem: cnn kernel 4 is invalid (model.kernel); expected an odd size >= 1 "
                 "('same' padding)");
  spec.kernel = 3;
  spec.channels = {};
  expect_message(spec, random_part(kTrain, 16, 2, 1),
                 "torch problem: a cnn needs at least one conv block (model.channels)");
  spec.channels = {4, 0};
  expect_message(spec, random_part(kTrain, 16, 2, 1),
                 "torch problem: cnn channel count 0 is invalid (model.channels); expected >= 1");
  spec = TorchSpec{};
  spec.kind = TorchKind::torchscript;
  spec.device = "cpu";
  expect_message(spec, random_part(kTrain, 16, 2, 1),
                 "torch problem: model.kind = \"torchscript\" needs a module file (model.file)");
}

}  // namespace
}  // namespace hyperpush::model

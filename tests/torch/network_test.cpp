// hyperpush's own networks against PyTorch's modules: the shipped TorchScript examples
// (examples/torchscript/export_model.py) have the architectures of the mlp (64 → 16 → 10, tanh)
// and of the default cnn (28 × 28, channels 4, 8, kernel 5, tanh, 10 classes) and the same θ
// layout, so at the same θ both give the same logits and hidden layers; a TorchScript classifier
// re-initialised from a seed is the same network as hyperpush's at that seed. And a TorchScript
// problem with per-class logit weights against finite differences. (These tests need the shipped
// examples: HYPERPUSH_SOURCE_DIR.)
#include "../../src/torch/network.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include <string>

#include "../model/oracle_checks.hpp"
#include "hyperpush/torch/torch_problem.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using at::Tensor;
using test::random_part;

const std::string kExamples = std::string(HYPERPUSH_SOURCE_DIR) + "/examples/torchscript/";

Tensor inputs(std::int64_t m, std::int64_t q, std::uint64_t seed) {
  const Vector v = test::random_vector(m * q, seed);
  return torch::from_blob(const_cast<double*>(v.data()), {m, q},
                          torch::TensorOptions().dtype(torch::kFloat64))
      .clone();
}

double relative_error(const Tensor& a, const Tensor& b) {
  return (a - b).norm().item<double>() / b.norm().item<double>();
}

void expect_same_network(const torch_backend::Network& ours, const torch_backend::Network& module,
                         std::int64_t q) {
  ASSERT_EQ(ours.dim(), module.dim());
  const Tensor theta = module.initial_parameters(0);
  const Tensor x = inputs(5, q, 3);
  EXPECT_LT(relative_error(ours.logits(theta, x), module.logits(theta, x)), 1e-13);
  const auto a = ours.hidden(theta, x), b = module.hidden(theta, x);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t l = 0; l < a.size(); ++l) EXPECT_LT(relative_error(a[l], b[l]), 1e-13) << l;
}

TEST(Networks, MlpEqualsPyTorchsLinearLayers) {
  const auto module =
      torch_backend::make_torchscript_network(kExamples + "digits_mlp.pt", 64, 10, torch::kCPU);
  const auto ours = torch_backend::make_mlp_network(64, {16}, 10, Activation::tanh);
  expect_same_network(*ours, *module, 64);
}

TEST(Networks, CnnEqualsPyTorchsConvAndPoolLayers) {
  const auto module =
      torch_backend::make_torchscript_network(kExamples + "small_cnn.pt", 784, 10, torch::kCPU);
  const auto ours = torch_backend::make_cnn_network(784, {4, 8}, 5, 10, Activation::tanh);
  expect_same_network(*ours, *module, 784);
}

TEST(Networks, ReinitialisedTorchScriptClassifierIsHyperpushsNetworkAtThatSeed) {
  TorchSpec script;
  script.kind = TorchKind::torchscript;
  script.file = kExamples + "small_cnn.pt";
  script.classes = 10;
  script.device = "cpu";
  TorchSpec cnn = script;
  cnn.kind = TorchKind::cnn;
  cnn.seed = 17;
  const int p = cnn_parameter_count(784, cnn.channels, cnn.kernel, 10);
  const auto random = make_torch_classifier(script, 784, Vector::Zero(p))->reinitialised(17);
  const auto ours = make_torch_classifier(cnn, 784, Vector::Zero(p));
  Matrix x(3, 784);
  for (int k = 0; k < 3; ++k) x.row(k) = test::random_vector(784, 30 + k);
  const Eigen::VectorXi y = Eigen::Vector3i(1, 4, 9);
  EXPECT_LT(test::relative_error(random->loss_gradients(x, y), ours->loss_gradients(x, y)), 1e-12);
}

// A TorchScript module with C = 10 logits (examples/torchscript/digits_mlp.pt, 64 → 16 → 10) takes
// per-class logit weights like hyperpush's own networks.
TEST(Networks, TorchScriptProblemWithPerClassWeightsMatchesFiniteDifferences) {
  TorchSpec spec;
  spec.kind = TorchKind::torchscript;
  spec.file = kExamples + "digits_mlp.pt";
  spec.classes = 10;
  spec.hyper = HyperKind::per_class;
  spec.l2 = 0.05;
  spec.device = "cpu";
  const auto problem =
      make_torch_problem(spec, random_part(30, 64, 10, 1), random_part(20, 64, 10, 2), {});
  ASSERT_EQ(problem->hyper_dim(), 10);
  EXPECT_EQ(problem->initial_lambda(), Vector::Zero(10));
  const Vector x = test::random_vector(problem->dim(), 7, 0, 0.1);
  const Vector lambda = test::random_vector(10, 8, 0, 0.5), w = test::random_vector(x.size(), 9);
  test::expect_hessian_vector_matches_differences(*problem, x, lambda, w);
  test::expect_cross_vector_matches_differences(*problem, x, lambda, w);
  Vector gl(10);
  problem->outer_gradient_lambda(x, lambda, gl);
  EXPECT_LT(test::relative_error(
                gl, test::central_gradient(
                        [&](const Vector& l) { return problem->outer_loss(x, l); }, lambda)),
            test::kTolerance);
}

}  // namespace
}  // namespace hyperpush::model

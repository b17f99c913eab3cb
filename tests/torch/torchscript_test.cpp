// [model] kind = "torchscript": the shipped examples/torchscript/digits_mlp.pt against its forward
// pass written by hand from its parameters, autograd's gradient and double-backward H v against
// central finite differences, and every refusal of make_torchscript_network with its message
// (modules that break the contract are written here with torch::jit::Module::define).
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../../src/torch/network.hpp"
#include "../model/oracle_checks.hpp"
#include "../support/scratch_dir.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush::model::torch_backend {
namespace {

using at::Tensor;
using hyperpush::test::ScratchDir;

const std::string kDigitsMlp =
    std::string(HYPERPUSH_SOURCE_DIR) + "/examples/torchscript/digits_mlp.pt";
const std::string kSmallCnn =
    std::string(HYPERPUSH_SOURCE_DIR) + "/examples/torchscript/small_cnn.pt";
const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

// N(0, 1) entries from a generator of the test's own (no global RNG).
Tensor normal(std::vector<std::int64_t> shape, std::uint64_t seed) {
  return at::randn(shape, at::make_generator<at::CPUGeneratorImpl>(seed), kDouble);
}

// ‖a − b‖ / max(1, ‖b‖).
double relative_error(const Tensor& a, const Tensor& b) {
  return (a - b).norm().item<double>() / std::max(1.0, b.norm().item<double>());
}

// The mean softmax (cross-entropy) loss of the logits at θ.
Tensor mean_loss(const Network& network, const Tensor& theta, const Tensor& features,
                 const Tensor& labels) {
  return -torch::log_softmax(network.logits(theta, features), 1)
              .gather(1, labels.unsqueeze(1))
              .mean();
}

Tensor gradient(const Network& network, const Tensor& theta, const Tensor& features,
                const Tensor& labels, bool create_graph = false) {
  const Tensor leaf = theta.detach().requires_grad_(true);
  return torch::autograd::grad({mean_loss(network, leaf, features, labels)}, {leaf}, {},
                               /*retain_graph=*/create_graph, create_graph)[0];
}

// H v = ∂/∂θ ⟨∇ loss, v⟩ by double backward, as the torch problem computes it.
Tensor hessian_vector(const Network& network, const Tensor& theta, const Tensor& features,
                      const Tensor& labels, const Tensor& v) {
  const Tensor leaf = theta.detach().requires_grad_(true);
  const Tensor g = torch::autograd::grad({mean_loss(network, leaf, features, labels)}, {leaf}, {},
                                         /*retain_graph=*/true, /*create_graph=*/true)[0];
  return torch::autograd::grad({g}, {leaf}, {v})[0];
}

// The message of the hyperpush::Error that make_torchscript_network throws ("" if none).
std::string refusal(const std::string& file, std::int64_t features, int classes) {
  try {
    make_torchscript_network(file, features, classes, torch::kCPU);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A module with one parameter w (q × 1, ones) and the given TorchScript source, saved to `file`.
std::string save_module(const ScratchDir& dir, const std::string& file, const std::string& source,
                        std::int64_t features = 3) {
  torch::jit::Module module("Contract");
  module.register_parameter("w", torch::ones({features, 1}, kDouble), false);
  module.define(source);
  module.save(dir.path(file));
  return dir.path(file);
}

TEST(TorchScriptNetwork, DigitsMlpEqualsItsForwardPassByHand) {
  const auto network = make_torchscript_network(kDigitsMlp, 64, 10, torch::kCPU);
  ASSERT_EQ(network->dim(), 64 * 16 + 16 + 16 * 10 + 10);
  const std::vector<std::vector<std::int64_t>> shapes = {{16, 64}, {16}, {10, 16}, {10}};
  EXPECT_EQ(network->parameter_shapes(), shapes);
  const Tensor theta0 = network->initial_parameters(1);
  EXPECT_TRUE(theta0.device().is_cpu());
  EXPECT_TRUE(theta0.equal(network->initial_parameters(2)));  // the file's, whatever the seed

  // θ away from θ0, so that the test sees θ and not the module's own tensors.
  const Tensor theta = theta0 + 0.1 * normal({network->dim()}, 1);
  const Tensor features = normal({7, 64}, 2);
  // layers.0.weight, layers.0.bias, layers.2.weight, layers.2.bias: row-major, in turn.
  const Tensor w1 = theta.narrow(0, 0, 1024).view({16, 64});
  const Tensor b1 = theta.narrow(0, 1024, 16);
  const Tensor w2 = theta.narrow(0, 1040, 160).view({10, 16});
  const Tensor b2 = theta.narrow(0, 1200, 10);
  const Tensor hidden = torch::tanh(features.mm(w1.t()) + b1);  // tanh(X W1ᵀ + b1)
  const Tensor logits = hidden.mm(w2.t()) + b2;                 // H W2ᵀ + b2

  const Tensor got = network->logits(theta, features);
  ASSERT_EQ(got.sizes(), logits.sizes());
  EXPECT_LT(relative_error(got, logits), 1e-13);
  const std::vector<Tensor> layers = network->hidden(theta, features);
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_LT(relative_error(layers[0], hidden), 1e-13);
  // The module's own tensors are back after the call: at θ0 it gives θ0's logits.
  const Tensor at_theta0 = network->logits(theta0, features);
  EXPECT_LT(relative_error(network->logits(theta0, features), at_theta0), 1e-15);
}

TEST(TorchScriptNetwork, GradientAndHessianVectorMatchFiniteDifferences) {
  const auto network = make_torchscript_network(kDigitsMlp, 64, 10, torch::kCPU);
  const std::int64_t d = network->dim();
  const Tensor theta = network->initial_parameters(0) + 0.1 * normal({d}, 3);
  const Tensor features = normal({20, 64}, 4);
  const Tensor labels = at::randint(10, {20}, at::make_generator<at::CPUGeneratorImpl>(5),
                                    torch::TensorOptions().dtype(torch::kInt64));

  // ∂ loss / ∂θ_i ≈ (loss(θ + h e_i) − loss(θ − h e_i)) / 2h, every coordinate.
  const Tensor g = gradient(*network, theta, features, labels);
  Tensor fd = torch::zeros({d}, kDouble);
  {
    torch::NoGradGuard no_grad;
    const double h = 1e-6;
    for (std::int64_t i = 0; i < d; ++i) {
      Tensor plus = theta.clone(), minus = theta.clone();
      plus[i] += h;
      minus[i] -= h;
      fd[i] = (mean_loss(*network, plus, features, labels) -
               mean_loss(*network, minus, features, labels)) /
              (2 * h);
    }
  }
  EXPECT_LT(relative_error(g, fd), 1e-5);

  // H v ≈ (∇ loss(θ + h v) − ∇ loss(θ − h v)) / 2h; several products in a row, as HGP takes them
  // (the graph executor would switch to optimized plans after its profiling runs).
  for (std::uint64_t k = 0; k < 4; ++k) {
    const Tensor v = normal({d}, 10 + k);
    const double h = 1e-5;
    const Tensor hv = hessian_vector(*network, theta, features, labels, v);
    const Tensor hv_fd = (gradient(*network, theta + h * v, features, labels) -
                          gradient(*network, theta - h * v, features, labels)) /
                         (2 * h);
    EXPECT_LT(relative_error(hv, hv_fd), 1e-5) << "direction " << k;
    EXPECT_GT(hv.norm().item<double>(), 1e-3) << "direction " << k;
  }
}

TEST(TorchScriptNetwork, SmallCnnGivesLogitsHiddenMapsAndHessianVectorProducts) {
  const auto network = make_torchscript_network(kSmallCnn, 784, 10, torch::kCPU);
  EXPECT_EQ(network->dim(), (4 * 25 + 4) + (8 * 4 * 25 + 8) + (392 * 10 + 10));
  const Tensor theta = network->initial_parameters(0);
  const Tensor features = normal({5, 784}, 6);
  EXPECT_EQ(network->logits(theta, features).sizes(), (std::vector<std::int64_t>{5, 10}));
  const std::vector<Tensor> layers = network->hidden(theta, features);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].sizes(), (std::vector<std::int64_t>{5, 4 * 14 * 14}));
  EXPECT_EQ(layers[1].sizes(), (std::vector<std::int64_t>{5, 8 * 7 * 7}));

  const Tensor labels = torch::arange(5, torch::TensorOptions().dtype(torch::kInt64));
  const Tensor v = normal({network->dim()}, 7);
  const double h = 1e-5;
  const Tensor hv = hessian_vector(*network, theta, features, labels, v);
  const Tensor hv_fd = (gradient(*network, theta + h * v, features, labels) -
                        gradient(*network, theta - h * v, features, labels)) /
                       (2 * h);
  EXPECT_LT(relative_error(hv, hv_fd), 1e-5);
}

TEST(TorchScriptNetwork, OneLogitForTwoClassesIsSqueezed) {
  const ScratchDir dir;
  const std::string file = save_module(dir, "logistic.pt",
                                       "def forward(self, x):\n"
                                       "  return x.mm(self.w)\n");
  const auto network = make_torchscript_network(file, 3, 2, torch::kCPU);
  const Tensor theta = torch::tensor({1.0, -2.0, 0.5}, kDouble);
  const Tensor features = normal({4, 3}, 8);
  const Tensor logits = network->logits(theta, features);
  ASSERT_EQ(logits.sizes(), (std::vector<std::int64_t>{4}));
  EXPECT_LT(relative_error(logits, features.mv(theta)), 1e-15);
  EXPECT_TRUE(network->hidden(theta, features).empty());  // no method hidden
}

TEST(TorchScriptNetwork, RefusesAMissingFile) {
  const ScratchDir dir;
  EXPECT_EQ(refusal(dir.path("none.pt"), 64, 10),
            dir.path("none.pt") +
                ": no such file; expected a TorchScript module saved by torch.jit.save "
                "(model.file)");
  EXPECT_EQ(refusal(dir.path(""), 64, 10),
            dir.path("") +
                ": not a regular file; expected a TorchScript module saved by torch.jit.save "
                "(model.file)");
}

TEST(TorchScriptNetwork, RefusesAFileThatIsNotTorchScript) {
  const ScratchDir dir;
  const std::string file = dir.write("model.pt", "not a zip archive\n");
  const std::string message = refusal(file, 64, 10);
  const std::string prefix = file + ": LibTorch cannot load it: ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  EXPECT_NE(message.find("; expected a TorchScript module saved by torch.jit.save (model.file)"),
            std::string::npos)
      << message;
}

TEST(TorchScriptNetwork, RefusesTheWrongFeatureCount) {
  const std::string message = refusal(kDigitsMlp, 10, 10);
  // LibTorch's own words sit between the two fixed parts.
  const std::string prefix = kDigitsMlp + ": forward fails on a 2 × 10 batch of zeros: ";
  const std::string suffix =
      "; the module must accept m × 10 double inputs (one sample per row, q = 10 features of the "
      "data)";
  ASSERT_GT(message.size(), prefix.size() + suffix.size()) << message;
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  EXPECT_EQ(message.substr(message.size() - suffix.size()), suffix) << message;
  EXPECT_NE(message.find("mat1 and mat2 shapes cannot be multiplied (2x10 and 64x16)"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;  // one line for the CLI
}

TEST(TorchScriptNetwork, RefusesTheWrongClassCount) {
  EXPECT_EQ(refusal(kDigitsMlp, 64, 3),
            kDigitsMlp +
                ": forward maps a 2 × 64 batch to logits of shape [2, 10]; expected 2 × 3 (m × C, "
                "C = 3 classes)");
  EXPECT_EQ(refusal(kDigitsMlp, 64, 2),
            kDigitsMlp +
                ": forward maps a 2 × 64 batch to logits of shape [2, 10]; expected 2 × 2 (m × C, "
                "C = 2 classes), or 2 × 1 or 2 for one logit");
}

TEST(TorchScriptNetwork, RefusesModulesThatBreakTheContract) {
  const ScratchDir dir;
  {
    torch::jit::Module module("NoParameters");
    module.define("def forward(self, x):\n  return x\n");
    module.save(dir.path("none.pt"));
  }
  EXPECT_EQ(refusal(dir.path("none.pt"), 3, 3),
            dir.path("none.pt") +
                ": the TorchScript module has no parameters (named_parameters() is empty); "
                "expected at least one");
  const std::string tuple =
      save_module(dir, "tuple.pt", "def forward(self, x):\n  return (x.mm(self.w), x)\n");
  EXPECT_EQ(refusal(tuple, 3, 2),
            tuple + ": forward returns a Tuple; expected one tensor of logits");
  const std::string single =
      save_module(dir, "float.pt", "def forward(self, x):\n  return x.mm(self.w).float()\n");
  EXPECT_EQ(refusal(single, 3, 2),
            single +
                ": forward returns logits of type Float; expected Double (create every tensor of "
                "the module in double precision)");
  const std::string detached =
      save_module(dir, "detached.pt", "def forward(self, x):\n  return x.mm(self.w.detach())\n");
  EXPECT_EQ(refusal(detached, 3, 2),
            detached +
                ": the logits do not depend on the module's parameters (does forward detach "
                "them?); expected a function of the parameters autograd can differentiate");
  const std::string hidden = save_module(dir, "hidden.pt",
                                         "def forward(self, x):\n  return x.mm(self.w)\n"
                                         "def hidden(self, x):\n  return x\n");
  EXPECT_EQ(refusal(hidden, 3, 2),
            hidden +
                ": the module's method hidden fails on a 2 × 3 batch of zeros: it returns a "
                "Tensor, not a list; expected a list of tensors, one per hidden layer, each 2 × …");
  const std::string rows = save_module(dir, "rows.pt",
                                       "def forward(self, x):\n  return x.mm(self.w)\n"
                                       "def hidden(self, x):\n  return [x.sum(0)]\n");
  EXPECT_EQ(refusal(rows, 3, 2),
            rows +
                ": the module's method hidden fails on a 2 × 3 batch of zeros: it returns a "
                "tensor of shape [3] for 2 samples; expected a list of tensors, one per hidden "
                "layer, each 2 × "
                "…");
}

TEST(TorchScriptNetwork, TiedParametersShareOneSliceOfTheta) {
  const ScratchDir dir;
  {
    torch::jit::Module module("Tied");
    const Tensor w = torch::ones({3, 1}, kDouble);
    module.register_parameter("a", w, false);
    module.register_parameter("b", w, false);
    module.define("def forward(self, x):\n  return x.mm(self.a) + x.mm(self.b)\n");
    module.save(dir.path("tied.pt"));
  }
  const auto network = make_torchscript_network(dir.path("tied.pt"), 3, 2, torch::kCPU);
  ASSERT_EQ(network->dim(), 3);
  EXPECT_EQ(network->parameter_shapes(), (std::vector<std::vector<std::int64_t>>{{3, 1}}));
  const Tensor theta = torch::tensor({1.0, -2.0, 0.5}, kDouble);
  const Tensor features = normal({4, 3}, 11);
  EXPECT_LT(relative_error(network->logits(theta, features), 2 * features.mv(theta)), 1e-15);
}

// m samples of q N(0, 1) features and labels cycling through [0, classes).
LabelledData labelled(int m, int q, int classes, std::uint64_t seed) {
  LabelledData part;
  part.features = Eigen::Map<const Matrix>(test::random_vector(m * q, seed).data(), m, q);
  part.labels.resize(m);
  for (int k = 0; k < m; ++k) part.labels[k] = (k * 7 + static_cast<int>(seed)) % classes;
  return part;
}

// A linear model written as a TorchScript module with zero weights (θ0 = 0, so θ = x) is the
// Eigen reference's linear model without bias: every oracle to 1e-10.
TEST(TorchScriptProblem, LinearModulesEqualTheEigenReference) {
  struct Case {
    LinearKind kind;
    HyperKind hyper;
    int classes;
  };
  for (const Case c : {Case{LinearKind::logistic, HyperKind::l2, 2},
                       Case{LinearKind::softmax, HyperKind::per_sample, 3}}) {
    SCOPED_TRACE(c.classes);
    const ScratchDir dir;
    constexpr int q = 4;
    torch::jit::Module module("Linear");
    if (c.kind == LinearKind::logistic) {  // one logit: m × 1, squeezed
      module.register_parameter("w", torch::zeros({q, 1}, kDouble), false);
      module.define("def forward(self, x):\n  return x.mm(self.w)\n");
    } else {  // C × q, row-major: the softmax reference's θ layout (class by class)
      module.register_parameter("w", torch::zeros({c.classes, q}, kDouble), false);
      module.define("def forward(self, x):\n  return x.mm(self.w.t())\n");
    }
    module.save(dir.path("linear.pt"));
    TorchSpec spec;
    spec.kind = TorchKind::torchscript;
    spec.file = dir.path("linear.pt");
    spec.hyper = c.hyper;
    spec.classes = c.classes;
    spec.l2 = 0.05;
    spec.device = "cpu";
    LinearSpec linear;
    linear.kind = c.kind;
    linear.hyper = c.hyper;
    linear.classes = c.classes;
    linear.bias = false;
    linear.l2 = spec.l2;
    const auto train = labelled(30, q, c.classes, 1), validation = labelled(20, q, c.classes, 2);
    const auto script = make_torch_problem(spec, train, validation, {});
    const auto reference = make_linear_problem(linear, train, validation, {});
    ASSERT_EQ(script->dim(), reference->dim());
    ASSERT_EQ(script->hyper_dim(), reference->hyper_dim());
    const Vector x = test::random_vector(script->dim(), 3);
    const Vector lambda = test::random_vector(script->hyper_dim(), 4, 1.0, 0.3);
    const Vector w = test::random_vector(script->dim(), 5);
    EXPECT_NEAR(script->inner_loss(x, lambda), reference->inner_loss(x, lambda), 1e-10);
    EXPECT_LT(test::relative_error(test::inner_gradient(*script, x, lambda),
                                   test::inner_gradient(*reference, x, lambda)),
              1e-10);
    EXPECT_LT(test::relative_error(test::hessian_vector(*script, x, lambda, w),
                                   test::hessian_vector(*reference, x, lambda, w)),
              1e-10);
    EXPECT_LT(test::relative_error(test::cross_vector(*script, x, lambda, w),
                                   test::cross_vector(*reference, x, lambda, w)),
              1e-10);
    EXPECT_NEAR(script->outer_loss(x, lambda), reference->outer_loss(x, lambda), 1e-10);
  }
}

// The shipped digits network as a local problem (hyper = l2, HPO's default): every oracle
// against central differences of the losses.
TEST(TorchScriptProblem, DigitsMlpOraclesMatchFiniteDifferences) {
  TorchSpec spec;
  spec.kind = TorchKind::torchscript;
  spec.file = kDigitsMlp;
  spec.classes = 10;
  spec.device = "cpu";
  const auto problem =
      make_torch_problem(spec, labelled(30, 64, 10, 1), labelled(20, 64, 10, 2), {});
  ASSERT_EQ(problem->dim(), 1210);
  const Vector x = test::random_vector(problem->dim(), 6, 0, 0.1);
  const Vector lambda = problem->initial_lambda(), w = test::random_vector(problem->dim(), 7);
  test::expect_inner_gradient_matches_differences(*problem, x, lambda);
  test::expect_hessian_vector_matches_differences(*problem, x, lambda, w);
  test::expect_cross_vector_matches_differences(*problem, x, lambda, w);
  test::expect_outer_gradients_match_differences(*problem, x, lambda);
}

TEST(TorchScriptNetwork, CudaGivesTheCpuLogits) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device: skipped";
  const auto cpu = make_torchscript_network(kDigitsMlp, 64, 10, torch::kCPU);
  const auto cuda = make_torchscript_network(kDigitsMlp, 64, 10, torch::kCUDA);
  EXPECT_TRUE(cuda->initial_parameters(0).device().is_cpu());
  const Tensor theta = cpu->initial_parameters(0) + 0.1 * normal({cpu->dim()}, 9);
  const Tensor features = normal({6, 64}, 10);
  const Tensor on_gpu =
      cuda->logits(theta.to(torch::kCUDA), features.to(torch::kCUDA)).to(torch::kCPU);
  EXPECT_LT(relative_error(on_gpu, cpu->logits(theta, features)), 1e-12);
}

}  // namespace
}  // namespace hyperpush::model::torch_backend

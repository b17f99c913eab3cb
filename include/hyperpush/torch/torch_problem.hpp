#pragma once
// Backend `torch`: local bilevel problems whose oracles come from LibTorch's autograd, in double
// precision, on the CPU or a CUDA device. Built only when CMake finds LibTorch (target
// hyperpush_torch); this header includes no LibTorch header (the implementation lives in
// src/torch/), so including it costs nothing.
//
// Models (θ the parameters the loss sees, x ∈ R^d the shared model of the consensus layer; inputs
// are the data's m × q feature rows; K = 1 logit with the logistic loss for 2 classes, else C
// logits with the softmax loss, for every network):
//   logistic, softmax, ridge  θ = x, the same losses, layout (θ = vec(X) column-major, X ∈
//                             R^{(q+1)×C}, bias row last), regularizers and data checks as the
//                             Eigen reference (linear_problem.hpp); the tests hold the two to
//                             1e-10. The bias is added to the logits (Z = F Wᵀ + 1 bᵀ), not a
//                             column of ones in the data.
//   mlp                       θ = θ0 + x: a fully connected network q → hidden… → K with tanh (or
//                             softplus) between layers (smooth, so Hessians exist everywhere).
//                             Layer l of widths (in, out) holds W_l (out × in, row-major) and then
//                             b_l (out) in θ; layers follow each other.
//   cnn                       θ = θ0 + x: one-channel square images, q = s² row-major pixels; per
//                             entry c_l of `channels` a block conv k × k (c_{l−1} → c_l, stride 1,
//                             zero 'same' padding k/2, k odd) → tanh / softplus → 2 × 2 average
//                             pool (stride 2; an odd side drops its last row and column, as
//                             avg_pool2d floors: s ≥ 2^blocks), then a linear layer from the
//                             flattened last maps (channel, row, column order) to K. θ holds per
//                             block the conv weight (c_l × c_{l−1} × k × k, row-major) and bias
//                             (c_l), then the linear weight (K × width, row-major) and bias (K):
//                             the order of PyTorch's named_parameters() for nn.Conv2d … nn.Linear
//                             (the tests hold it to PyTorch's modules, < 1e-13). Average pools and
//                             smooth activations keep it twice differentiable.
//   torchscript               θ = θ0 + x, θ0 = the parameters of the module in `file`
//                             (torch.jit.save, double precision; src/torch/network.hpp has the
//                             contract), whose forward maps m × q to m × C (or m / m × 1) logits.
// θ0 of the mlp and the cnn is a fixed Glorot-uniform draw (biases 0) keyed by (seed, layer,
// entry) (random.hpp, Purpose::mlp_initial), the same on every agent and rank: the inner solvers
// start at x = 0, which for a network must not be the saddle θ = 0, and the decay regularizes
// towards θ0 (as in L2-SP).
// Hyperparameter kinds (every model): those of model/hyperparameter_kind.hpp, g = Σ_k s_k ℓ_k +
// ½ Σ_j δ_j x_j² with ℓ_k the model's loss (per-class adds λ ∈ R^C to every row of logits in g and
// f, Z + 1 λᵀ: only for models with C ≥ 2 logits: softmax, an mlp or cnn with classes ≥ 3, a
// module with m × C outputs; a 2-class network has one logit and is refused). test_metric and
// predict: the largest logit (of Z + 1 λᵀ for per-class).
//
// Oracles: ∇_x g by reverse mode; H w and J w by double backward from one graph of ∇_x g(x, λ)
// built with create_graph and kept for the last (x, λ) seen, so the many HVPs HGP takes at one
// point cost one backward pass each (H w = ∂/∂x ⟨∇_x g, w⟩, J w = ∂/∂λ ⟨∇_x g, w⟩); ∇_λ f by one
// reverse pass (per-class; 0 otherwise). Costs: a gradient = one forward and backward over the
// training part; an HVP = one more backward through the kept graph (about 2× the gradient); the
// cnn's passes are convolutions (m · Σ_l c_{l−1} c_l k² s_l² multiply-adds), which LibTorch's CPU
// kernels run slowly in double: use it on small images or on a GPU.
//
// Flat vector ↔ tensors: the problem holds one d-element parameter leaf tensor x and one p-element
// λ leaf on its device, allocated once; an oracle call copies the caller's Eigen vector into the
// leaf (nothing when it equals the one already loaded; one host→device copy of d doubles on a
// GPU). Each layer's weight and bias are views (narrow + view) into the flat θ: no per-parameter
// tensors, no reallocation. Results come back as one d- (or p-) element device→host copy.
//
// Device: "cpu" forces the CPU; "auto" takes CUDA device (local_rank mod device count) when
// LibTorch has CUDA and a device answers, else the CPU (any error while probing = no GPU);
// "cuda" is "auto" that refuses to fall back. On the CPU, LibTorch's intra-op thread count is set
// to `threads` and the inter-op pool too on first use (process-wide; 1 by default: one MPI rank per
// core, and sums that do not depend on the machine: app/library_threads.hpp).
//
// Not thread-safe (see local_problem.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hyperpush/model/classifier.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

enum class TorchKind { logistic, softmax, ridge, mlp, cnn, torchscript };
enum class Activation { tanh, softplus };

struct TorchSpec {
  TorchKind kind = TorchKind::logistic;
  HyperKind hyper = HyperKind::l2;
  int classes = 2;   // softmax: C ≥ 2; logistic and ridge: 2; networks: any ≥ 2
  bool bias = true;  // linear kinds: a bias per logit (network layers always have biases)
  double l2 = 0.0;   // fixed ridge term, ≥ 0 (> 0 for per-sample and per-class)
  double initial_log_decay = -2.302585092994046;  // λ(0) for l2 / per-feature: log 0.1
  std::vector<int> hidden = {32};                 // mlp: hidden layer widths, each ≥ 1
  std::vector<int> channels = {4, 8};             // cnn: output channels of each conv block, ≥ 1
  int kernel = 5;                                 // cnn: odd convolution size k (k × k)
  Activation activation = Activation::tanh;       // mlp and cnn
  std::string file;                               // torchscript: the module's file
  std::uint64_t seed = 0;                         // mlp and cnn: the draw of θ0
  std::string device = "auto";                    // "auto", "cpu" or "cuda"
  int local_rank = 0;                             // the rank's index on its node (device choice)
  int threads = 1;                                // CPU intra-op threads; 0 = LibTorch's default
};

// Throws hyperpush::Error on the inputs make_linear_problem refuses, and on: an mlp without hidden
// layers or with a width < 1, a cnn without blocks, with a channel count < 1, an even kernel or
// images that are not square or smaller than 2^blocks on a side, a torchscript kind without a file
// or with a module the backend refuses (src/torch/network.hpp), per-class with one logit per sample
// or l2 = 0, an unknown device, device = "cuda" without a usable CUDA device.
std::unique_ptr<LocalProblem> make_torch_problem(const TorchSpec& spec, LabelledData train,
                                                 LabelledData validation, LabelledData test);

// The device make_torch_problem would use: "cpu" or "cuda:<k>".
std::string torch_device_name(const std::string& device, int local_rank);

// The model of `spec` at x (θ = θ0 + x for the networks, θ = x for the linear kinds) as a
// Classifier (model/classifier.hpp), on spec.device, for inputs of `features` columns (raw
// features: the classifier adds the bias or reshapes the images). Its loss is the model's own
// per-sample loss without regularizer and without per-class offsets (cross-entropy, logistic for
// one logit; ½ (z − t)² for ridge).
//   loss_gradients   linear kinds: one batched pass (∂ℓ/∂z by one backward, then the outer
//                    products with [x_k, 1]); networks: one forward and backward per sample.
//   mean_loss_hessian_vector  double backward through a graph of ∇_θ (mean ℓ) kept for the last
//                    (inputs, labels): one backward per product at the same data.
//   hidden           mlp: the activations after each hidden layer; cnn: the flattened pooled maps
//                    of each block; torchscript: the module's method `hidden` (none: m × 0);
//                    linear kinds: m × 0. `last` = the input of the final linear layer.
//   reinitialised(seed)  mlp, cnn: θ0 drawn from that seed, x = 0; torchscript: Glorot-uniform by
//                    the module's parameter shapes (the mlp / cnn draw, so a module of their
//                    architecture gets their θ0; tensors of < 2 dimensions 0); linear kinds:
//                    weight (j, c) ~ N(0, 1/(q + 1)) from random_normal(seed, Purpose::explain, 1,
//                    j, c), the explain layer's random_softmax_model.
// Throws hyperpush::Error as make_torch_problem does (the spec checks; a data-dependent check
// such as a cnn's image size against `features`), and when x is not of the model's size.
std::unique_ptr<Classifier> make_torch_classifier(const TorchSpec& spec, int features,
                                                  const Vector& x);

// The number of parameters of an mlp with q input features (d of its shared model).
int mlp_parameter_count(int features, const std::vector<int>& hidden, int classes);
// The number of parameters of a cnn on images of q = side² features; throws hyperpush::Error
// where make_torch_problem would refuse the shape.
int cnn_parameter_count(int features, const std::vector<int>& channels, int kernel, int classes);

}  // namespace hyperpush::model

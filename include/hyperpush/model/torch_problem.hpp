#pragma once
// Backend `torch`: local bilevel problems whose oracles come from LibTorch's autograd, in double
// precision, on the CPU or a CUDA device. Built only when CMake finds LibTorch (target
// hyperpush_torch); this header includes no LibTorch header (the implementation lives in
// src/torch/), so including it costs nothing.
//
// Models (θ the parameters the loss sees, x ∈ R^d the shared model of the consensus layer):
//   logistic, softmax, ridge  θ = x, the same losses, design matrix [features, 1], regularizers and
//                             data checks as the Eigen reference (linear_problem.hpp); the tests
//                             hold the two to 1e-10.
//   mlp                       θ = θ0 + x: a fully connected network q → hidden… → K with tanh (or
//                             softplus) between layers (smooth, so Hessians exist everywhere),
//                             K = 1 logit with the logistic loss for 2 classes, else C logits with
//                             the softmax loss. θ0 is a fixed Glorot-uniform draw (biases 0) keyed
//                             by (seed, layer, entry), the same on every agent and rank: the inner
//                             solvers start at x = 0, which for a network must not be the saddle
//                             θ = 0, and the decay regularizes towards θ0 (as in L2-SP).
//                             Layer l of widths (in, out) holds W_l (out × in, row-major) and then
//                             b_l (out) in θ; layers follow each other.
// Regularizers (every kind): l2 ½ (e^λ + l2) ‖x‖², per-feature ½ Σ_j (e^{λ_j} + l2) x_j² (λ ∈ R^d),
// per-sample (1/m) Σ_k λ_k ℓ_k + ½ l2 ‖x‖².
//
// Oracles: ∇_x g by reverse mode; H w and J w by double backward from one graph of ∇_x g(x, λ)
// built with create_graph and kept for the last (x, λ) seen, so the many HVPs HGP takes at one
// point cost one backward pass each (H w = ∂/∂x ⟨∇_x g, w⟩, J w = ∂/∂λ ⟨∇_x g, w⟩).
//
// Flat vector ↔ tensors: the problem holds one d-element parameter leaf tensor x and one p-element
// λ leaf on its device, allocated once; an oracle call copies the caller's Eigen vector into the
// leaf (nothing when it equals the one already loaded; one host→device copy of d doubles on a
// GPU). Each layer's W_l and b_l are views (narrow + view) into the flat θ: no per-parameter
// tensors, no reallocation. Results come back as one d- (or p-) element device→host copy.
//
// Device: "cpu" forces the CPU; "auto" takes CUDA device (local_rank mod device count) when
// LibTorch has CUDA and a device answers, else the CPU (any error while probing = no GPU);
// "cuda" is "auto" that refuses to fall back. On the CPU, LibTorch's intra-op thread count is set
// to `threads` (process-wide; 1 by default: one MPI rank per core).
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

enum class TorchKind { logistic, softmax, ridge, mlp };
enum class Activation { tanh, softplus };

struct TorchSpec {
  TorchKind kind = TorchKind::logistic;
  HyperKind hyper = HyperKind::l2;
  int classes = 2;   // softmax: C ≥ 2; logistic and ridge: 2; mlp: any ≥ 2
  bool bias = true;  // linear kinds: append a column of ones (mlp layers always have biases)
  double l2 = 0.0;   // fixed ridge term, ≥ 0 (> 0 for per-sample)
  double initial_log_decay = -2.302585092994046;  // λ(0) for l2 / per-feature: log 0.1
  std::vector<int> hidden = {32};                 // mlp: hidden layer widths, each ≥ 1
  Activation activation = Activation::tanh;       // mlp
  std::uint64_t seed = 0;                         // mlp: the draw of θ0
  std::string device = "auto";                    // "auto", "cpu" or "cuda"
  int local_rank = 0;                             // the rank's index on its node (device choice)
  int threads = 1;                                // CPU intra-op threads; 0 = LibTorch's default
};

// Throws hyperpush::Error on the inputs make_linear_problem refuses, and on: an mlp without hidden
// layers or with a width < 1, an unknown device, device = "cuda" without a usable CUDA device.
std::unique_ptr<LocalProblem> make_torch_problem(const TorchSpec& spec, LabelledData train,
                                                 LabelledData validation, LabelledData test);

// The device make_torch_problem would use: "cpu" or "cuda:<k>".
std::string torch_device_name(const std::string& device, int local_rank);

// The model of `spec` at x (θ = θ0 + x for the networks, θ = x for the linear kinds) as a
// Classifier (model/classifier.hpp), on spec.device, for inputs of `features` columns.
// reinitialised(seed) is the same spec with θ0 drawn from that seed and x = 0. Throws
// hyperpush::Error as make_torch_problem does, and when x is not of the model's size.
std::unique_ptr<Classifier> make_torch_classifier(const TorchSpec& spec, int features,
                                                  const Vector& x);

// The number of parameters of an mlp with q input features (d of its shared model).
int mlp_parameter_count(int features, const std::vector<int>& hidden, int classes);

}  // namespace hyperpush::model

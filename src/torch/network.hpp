#pragma once
// Private to the torch backend (includes LibTorch): the forward pass of a model as a pure
// function of its flat parameter vector θ, so that autograd differentiates through θ alone and
// the consensus layer's flat vector x maps to the model without copies (θ = θ0 + x for networks,
// θ = x for the linear kinds). Every tensor is double precision on the problem's device.
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush::model::torch_backend {

class Network {
 public:
  virtual ~Network() = default;

  // P: entries of θ.
  virtual std::int64_t dim() const = 0;
  // One logit per sample (m, logistic loss) or C logits (m × C, softmax loss), for features
  // m × q (one sample per row).
  virtual at::Tensor logits(const at::Tensor& theta, const at::Tensor& features) const = 0;
  // The hidden activations, one m × width tensor per hidden layer, first to last (empty for a
  // model without hidden layers or one that does not expose them).
  virtual std::vector<at::Tensor> hidden(const at::Tensor& theta,
                                         const at::Tensor& features) const {
    (void)theta;
    (void)features;
    return {};
  }
  // θ0, the parameters at x = 0 (on the CPU); drawn from `seed` where the model is initialised
  // by hyperpush, or the parameters a TorchScript file carries.
  virtual at::Tensor initial_parameters(std::uint64_t seed) const = 0;
  // The shapes of the model's parameter tensors in θ order (θ is their row-major entries one
  // after the other), for a re-initialisation that needs them (fan-in and fan-out of Glorot);
  // empty where initial_parameters(seed) already draws from the seed.
  virtual std::vector<std::vector<std::int64_t>> parameter_shapes() const { return {}; }
};

// A TorchScript module (torch.jit.save of a torch.nn.Module in double precision) whose forward
// maps a batch of samples m × q to logits (m × C, or m / m × 1 for one logit). Its parameters, in
// named_parameters() order, become θ0; forward is evaluated with every parameter replaced by its
// view into θ, in eval mode (dropout off, batch norm on its running statistics); tied parameters
// share one slice of θ. initial_parameters(seed) is the file's parameters whatever the seed;
// hidden() is the module's method `hidden` (a list of m × … tensors, each flattened to
// m × width) where it defines one, else empty. Throws hyperpush::Error (file missing or
// unreadable, LibTorch cannot load it, no parameters, forward failing on a 2 × q batch, an output
// that is not m × C with C = classes or m × 1 / m for classes = 2, not double, or not a function
// of the parameters). `features`: q; `device`: where the module runs.
std::unique_ptr<Network> make_torchscript_network(const std::string& file, std::int64_t features,
                                                  int classes, const torch::Device& device);

// The networks hyperpush builds itself (torch_problem.hpp has their θ layouts): the linear kinds
// (θ = x: initial_parameters is 0), the mlp and the cnn (θ0 Glorot-uniform from the seed,
// random.hpp Purpose::mlp_initial keyed (layer, entry, 0), biases 0).
std::unique_ptr<Network> make_linear_network(TorchKind kind, std::int64_t features, int classes,
                                             bool bias);
std::unique_ptr<Network> make_mlp_network(std::int64_t features, const std::vector<int>& hidden,
                                          int classes, Activation activation);
std::unique_ptr<Network> make_cnn_network(std::int64_t features, const std::vector<int>& channels,
                                          int kernel, int classes, Activation activation);

// The checks of a spec that do not need data (kind, classes, regularizer, hyperparameter kind,
// architecture), with `where` ("torch problem", "torch classifier") leading every message;
// throws hyperpush::Error. A cnn's input size is checked by make_network.
void check_spec(const TorchSpec& spec, const std::string& where);
// The network of `spec` for inputs of `features` columns (a TorchScript file is loaded onto
// `device`). Throws hyperpush::Error.
std::unique_ptr<Network> make_network(const TorchSpec& spec, std::int64_t features,
                                      const torch::Device& device, const std::string& where);
// ℓ_k of every sample from its logits z: ½ (z_k − t_k)² for ridge, log(1 + e^{z_k}) − t_k z_k for
// one logit, logsumexp(Z_k·) − Z_{k,y_k} for C; t = the labels as doubles, 2y − 1 for ridge.
at::Tensor sample_losses(const at::Tensor& logits, const at::Tensor& labels,
                         const at::Tensor& targets, bool ridge);
// θ = θ0 + x (networks) rather than θ = x (linear kinds).
bool has_initial_parameters(TorchKind kind);
// "cpu", or CUDA device (local_rank mod count) for "auto" / "cuda" (torch_problem.hpp).
torch::Device pick_device(const std::string& request, int local_rank);
// LibTorch's intra-op and (on the first call only: it cannot change once set) inter-op thread
// pools on the CPU to `threads`; 0 leaves LibTorch's defaults.
void set_cpu_threads(const torch::Device& device, int threads);

}  // namespace hyperpush::model::torch_backend

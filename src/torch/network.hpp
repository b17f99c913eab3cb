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
};

// A TorchScript module (torch.jit.save of a torch.nn.Module in double precision) whose forward
// maps a batch of samples m × q to logits (m × C, or m / m × 1 for one logit). Its parameters, in
// named_parameters() order, become θ0; forward is evaluated with every parameter replaced by its
// view into θ. Throws hyperpush::Error (file missing or unreadable, no parameters, forward failing
// on a sample of q features, an output that is not m × C with C = classes or m × 1 / m for
// classes = 2). `features`: q; `device`: where the module runs.
std::unique_ptr<Network> make_torchscript_network(const std::string& file, std::int64_t features,
                                                  int classes, const torch::Device& device);

}  // namespace hyperpush::model::torch_backend

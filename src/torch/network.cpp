// The spec → network step shared by the torch backend's problems and classifiers: the checks that
// need no data, the choice of network and of device.
#include "network.hpp"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <algorithm>
#include <mutex>

#include "hyperpush/error.hpp"

namespace hyperpush::model::torch_backend {
namespace {

const char* kind_name(TorchKind kind) {
  switch (kind) {
    case TorchKind::logistic:
      return "logistic";
    case TorchKind::softmax:
      return "softmax";
    case TorchKind::ridge:
      return "ridge";
    case TorchKind::mlp:
      return "mlp";
    case TorchKind::cnn:
      return "cnn";
    case TorchKind::torchscript:
      return "torchscript";
  }
  return "?";
}

}  // namespace

bool has_initial_parameters(TorchKind kind) {
  return kind == TorchKind::mlp || kind == TorchKind::cnn || kind == TorchKind::torchscript;
}

void check_spec(const TorchSpec& spec, const std::string& where) {
  const std::string kind = kind_name(spec.kind);
  check_decay(spec.l2, spec.initial_log_decay, where);
  const bool linear_binary = spec.kind == TorchKind::logistic || spec.kind == TorchKind::ridge;
  if (!linear_binary && spec.classes < 2)
    throw Error(where + ": " + kind + " needs classes >= 2, got " + std::to_string(spec.classes));
  if (linear_binary && spec.classes != 2)
    throw Error(where + ": " + kind + " needs classes = 2, got " + std::to_string(spec.classes) +
                "; use softmax or mlp for more classes");
  if (spec.hyper == HyperKind::per_class) {
    // One logit per sample leaves nothing per class to adjust (a TorchScript module's output is
    // known once it is loaded: make_network).
    if (linear_binary)
      throw Error(where + ": per-class logit weights need a model with C >= 2 logits; " + kind +
                  " has one logit per sample (use softmax)");
    if ((spec.kind == TorchKind::mlp || spec.kind == TorchKind::cnn) && spec.classes == 2)
      throw Error(where + ": per-class logit weights need a model with C >= 2 logits; a 2-class " +
                  kind + " has one logit per sample (use softmax, or classes >= 3)");
  }
  check_strong_convexity(spec.hyper, spec.l2, where);
  if (spec.kind == TorchKind::mlp) {
    if (spec.hidden.empty()) throw Error(where + ": an mlp needs at least one hidden layer");
    for (const int width : spec.hidden)
      if (width < 1)
        throw Error(where + ": hidden layer width " + std::to_string(width) +
                    " is invalid; expected >= 1");
  }
  if (spec.kind == TorchKind::cnn) {
    if (spec.channels.empty())
      throw Error(where + ": a cnn needs at least one conv block (model.channels)");
    for (const int width : spec.channels)
      if (width < 1)
        throw Error(where + ": cnn channel count " + std::to_string(width) +
                    " is invalid (model.channels); expected >= 1");
    if (spec.kernel < 1 || spec.kernel % 2 == 0)
      throw Error(where + ": cnn kernel " + std::to_string(spec.kernel) +
                  " is invalid (model.kernel); expected an odd size >= 1 ('same' padding)");
  }
  if (spec.kind == TorchKind::torchscript && spec.file.empty())
    throw Error(where + ": model.kind = \"torchscript\" needs a module file (model.file)");
}

std::unique_ptr<Network> make_network(const TorchSpec& spec, std::int64_t features,
                                      const torch::Device& device, const std::string& where) {
  switch (spec.kind) {
    case TorchKind::logistic:
    case TorchKind::softmax:
    case TorchKind::ridge:
      return make_linear_network(spec.kind, features, spec.classes, spec.bias);
    case TorchKind::mlp:
      return make_mlp_network(features, spec.hidden, spec.classes, spec.activation);
    case TorchKind::cnn:
      try {
        return make_cnn_network(features, spec.channels, spec.kernel, spec.classes,
                                spec.activation);
      } catch (const Error& e) {
        throw Error(where + ": " + e.what());
      }
    case TorchKind::torchscript:
      return make_torchscript_network(spec.file, features, spec.classes, device);
  }
  return nullptr;
}

at::Tensor sample_losses(const at::Tensor& z, const at::Tensor& labels, const at::Tensor& targets,
                         bool ridge) {
  if (ridge) return 0.5 * (z - targets).square();  // ½ (z − t)²
  if (z.dim() == 1)  // log(1 + e^z) − y z, with log(1 + e^z) = −log σ(−z) (stable)
    return -torch::log_sigmoid(-z) - targets * z;
  // logsumexp(Z_k·) − Z_{k,y_k}
  return -torch::log_softmax(z, 1).gather(1, labels.unsqueeze(1)).squeeze(1);
}

torch::Device pick_device(const std::string& request, int local_rank) {
  if (request != "auto" && request != "cpu" && request != "cuda")
    throw Error("torch problem: device = \"" + request +
                "\" is unknown; expected \"auto\", \"cpu\" or \"cuda\"");
  if (request == "cpu") return torch::kCPU;
  // Without a driver cudaGetDeviceCount returns an error rather than 0: any failure = no GPU.
  int count = 0;
  try {
    count = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
  } catch (...) {
    count = 0;
  }
  if (count <= 0) {
    if (request == "cuda")
      throw Error(
          "torch problem: device = \"cuda\" but no CUDA device is usable (LibTorch built "
          "without CUDA, no driver or no GPU); use \"auto\" or \"cpu\"");
    return torch::kCPU;
  }
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(std::max(local_rank, 0) % count)};
}

void set_cpu_threads(const torch::Device& device, int threads) {
  if (!device.is_cpu() || threads <= 0) return;
  at::set_num_threads(threads);
  static std::once_flag interop;
  std::call_once(interop, [threads] { at::set_num_interop_threads(threads); });
}

}  // namespace hyperpush::model::torch_backend

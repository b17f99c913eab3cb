#include "torch_spec.hpp"

namespace hyperpush::app {

model::TorchSpec torch_network_spec(const Config& config, const std::string& kind,
                                    const comm::Communicator& ranks) {
  model::TorchSpec spec;
  spec.kind = kind == "mlp"           ? model::TorchKind::mlp
              : kind == "cnn"         ? model::TorchKind::cnn
              : kind == "torchscript" ? model::TorchKind::torchscript
              : kind == "softmax"     ? model::TorchKind::softmax
              : kind == "ridge"       ? model::TorchKind::ridge
                                      : model::TorchKind::logistic;
  if (spec.kind == model::TorchKind::mlp) spec.hidden = config.widths("model.hidden");
  if (spec.kind == model::TorchKind::cnn) {
    spec.channels = config.widths("model.channels");
    spec.kernel = static_cast<int>(config.integer("model.kernel"));
  }
  if (spec.kind == model::TorchKind::torchscript) spec.file = config.path("model.file");
  spec.activation = config.string("model.activation") == "softplus" ? model::Activation::softplus
                                                                    : model::Activation::tanh;
  spec.device = config.string("model.device");
  spec.local_rank = ranks.node_rank();
  spec.threads = static_cast<int>(config.integer("threads"));
  return spec;
}

}  // namespace hyperpush::app

#include "torch_spec.hpp"

namespace hyperpush::app {

model::TorchSpec torch_network_spec(const Settings& settings, ModelKind kind,
                                    const comm::Communicator& ranks) {
  const ModelConfig& model = settings.model;
  model::TorchSpec spec;
  spec.kind = kind == ModelKind::mlp           ? model::TorchKind::mlp
              : kind == ModelKind::cnn         ? model::TorchKind::cnn
              : kind == ModelKind::torchscript ? model::TorchKind::torchscript
              : kind == ModelKind::softmax     ? model::TorchKind::softmax
              : kind == ModelKind::ridge       ? model::TorchKind::ridge
                                               : model::TorchKind::logistic;
  if (spec.kind == model::TorchKind::mlp) spec.hidden = model.hidden.values();
  if (spec.kind == model::TorchKind::cnn) {
    spec.channels = model.channels.values();
    spec.kernel = model.kernel;
  }
  if (spec.kind == model::TorchKind::torchscript) spec.file = model.file.path;
  spec.activation = model.activation == Activation::softplus ? model::Activation::softplus
                                                             : model::Activation::tanh;
  spec.device = name_of(model.device);
  spec.local_rank = ranks.node_rank();
  spec.threads = settings.threads;
  return spec;
}

}  // namespace hyperpush::app

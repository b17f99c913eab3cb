#pragma once
// The model.* keys of a torch backend network, read once for the bilevel tasks (model.backend =
// "torch") and the explain task (explain.model).
#include <string>

#include "hyperpush/app/settings.hpp"
#include "hyperpush/comm/communicator.hpp"
#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush::app {

// The torch model of `kind` (model.kind or explain.model) from the model.* keys: its architecture
// (model.hidden for mlp; model.channels and model.kernel for cnn; model.file for torchscript),
// model.activation, model.device, and the rank's index on its node (Communicator::node_rank, which
// picks the GPU). Hyper-parameter kind, classes, l2 and seed are the caller's.
model::TorchSpec torch_network_spec(const Settings& settings, ModelKind kind,
                                    const comm::Communicator& ranks);

}  // namespace hyperpush::app

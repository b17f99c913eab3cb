#pragma once
// The model.* keys of a torch backend network, read once for the bilevel tasks (model.backend =
// "torch") and the explain task (explain.model).
#include <mpi.h>

#include <string>

#include "hyperpush/app/config.hpp"
#include "hyperpush/torch/torch_problem.hpp"

namespace hyperpush::app {

// This rank's index among the ranks sharing its node: it picks the GPU (local rank mod count).
int local_rank(MPI_Comm comm);

// The torch model named `kind` (a value of model.kind or explain.model: mlp, cnn, torchscript,
// softmax, ridge, logistic) from the model.* keys: its architecture (model.hidden for mlp;
// model.channels and model.kernel for cnn; model.file for torchscript), model.activation,
// model.device, and the rank's local_rank. Hyper-parameter kind, classes, l2 and seed are the
// caller's.
model::TorchSpec torch_network_spec(const Config& config, const std::string& kind, MPI_Comm comm);

}  // namespace hyperpush::app

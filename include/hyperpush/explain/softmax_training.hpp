#pragma once
// Fits the softmax regression that the explain task explains: minimises the model layer's softmax
// inner loss (model/linear_problem.hpp)
//   (1/m) Σ_k ℓ_k(θ) + ½ l2 ‖θ‖²
// by L-BFGS (memory 10, Armijo backtracking from step 1), deterministic and single-threaded. Cost
// per iteration: one or a few passes over the data (2 m q C flops each).
#include <Eigen/Core>

#include "hyperpush/explain/samples.hpp"
#include "hyperpush/explain/softmax_model.hpp"

namespace hyperpush::explain {

struct SoftmaxTraining {
  int max_iterations = 500;
  double l2 = 1e-3;         // ridge term, ≥ 0
  double tolerance = 1e-8;  // stop once ‖∇‖ is below it
};

struct SoftmaxFit {
  SoftmaxModel model;
  int iterations = 0;
  double loss = 0, gradient_norm = 0;
};

// Throws hyperpush::Error on what make_linear_problem refuses (no samples, bad labels, ...).
SoftmaxFit train_softmax(const Samples& train, const SoftmaxTraining& options);

}  // namespace hyperpush::explain

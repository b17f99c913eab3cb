#pragma once
// Fits the model that the explain task explains: minimises a local problem's inner loss
// g(x, λ) at fixed λ (model/local_problem.hpp) by L-BFGS (memory 10, Armijo backtracking from
// step 1, from a given start), deterministic for a deterministic problem. train_inner takes any
// problem (the torch backend's networks: (1/m) Σ_k ℓ_k(θ0 + x) + ½ (e^λ + l2) ‖x‖²);
// train_softmax is the model layer's softmax problem (model/linear_problem.hpp)
//   (1/m) Σ_k ℓ_k(θ) + ½ l2 ‖θ‖²   (λ = −1000: e^λ = 0, the fixed ridge term alone)
// as a SoftmaxModel. Cost per iteration: one gradient and one or a few losses (passes over the
// data; 2 m q C flops each for the softmax regression).
#include <Eigen/Core>

#include "hyperpush/explain/samples.hpp"
#include "hyperpush/explain/softmax_model.hpp"
#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::explain {

struct InnerTraining {
  int max_iterations = 500;
  double tolerance = 1e-8;  // stop once ‖∇_x g‖ is below it
};

struct InnerFit {
  Eigen::VectorXd x;
  int iterations = 0;
  double loss = 0, gradient_norm = 0;
};

// Minimises problem.inner_loss(·, lambda) from `start` (of problem.dim() entries).
InnerFit train_inner(const model::LocalProblem& problem, const Eigen::VectorXd& lambda,
                     const Eigen::VectorXd& start, const InnerTraining& options);

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

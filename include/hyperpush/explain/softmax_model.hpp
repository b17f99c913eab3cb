#pragma once
// Softmax regression as the explain layer sees it: the weights X ∈ R^{q×C} of the model layer's
// softmax problem (model/linear_problem.hpp, q = features + 1 with the bias last, θ = vec(X)
// column-major, so parameter j + q·c is feature j's weight for class c), as a model::Classifier
// whose every query is closed form (specs/explain.md, "Notation"):
//   per-sample loss gradient  g(z) = vec(x̃ (p − e_y)ᵀ),   x̃ = [x, 1], p = softmax(Xᵀ x̃)
//   Hessian of the mean loss  H = (1/m) Σ_k (diag p_k − p_k p_kᵀ) ⊗ x̃_k x̃_kᵀ
//   Hessian-vector product    H vec(V) = (1/m) vec(X̃ᵀ R),  R_k = p_k ∘ z_k − p_k (p_kᵀ z_k),
//                             z_k = Vᵀ x̃_k (one m × q × C product each way)
// It has no hidden layers: hidden() is m × 0.
// (cross-entropy only: the training regularizer is not part of H; the damping δ of IF plays its
// role). A random projection R (k × P) is applied without forming the m × P gradient matrix:
//   G Rᵀ = Σ_c diag(p_c − y_c) (X̃ R_cᵀ),   R_c = columns c·q .. c·q + q − 1 of R.
#include <Eigen/Core>
#include <cstdint>
#include <memory>

#include "hyperpush/model/classifier.hpp"

namespace hyperpush::explain {

using Matrix = Eigen::MatrixXd;

class SoftmaxModel : public model::Classifier {
 public:
  Matrix weights;  // q × C, the last row is the bias

  int features() const override { return static_cast<int>(weights.rows()) - 1; }
  int classes() const override { return static_cast<int>(weights.cols()); }
  int params() const override { return static_cast<int>(weights.size()); }

  // m × C class probabilities of the rows of x (m × features), by a stable softmax.
  Matrix probabilities(const Matrix& x) const;
  // Largest logit per row (lowest class on ties).
  Eigen::VectorXi predict(const Matrix& x) const override;
  // Per-sample loss gradients at `labels`, one row per sample (m × P).
  Matrix loss_gradients(const Matrix& x, const Eigen::VectorXi& labels) const override;
  // The same gradients times Rᵀ (m × k), never forming m × P.
  Matrix projected_loss_gradients(const Matrix& x, const Eigen::VectorXi& labels,
                                  const Matrix& projection) const override;
  // H over the rows of x (P × P), or R H Rᵀ (k × k) with a projection R (k × P); both as
  // blockdiag_c(X̃ᵀ diag(p_c) X̃) − VᵀV with V_k = p_k ⊗ x̃_k, one product each. H does not
  // depend on the labels.
  Matrix mean_loss_hessian(const Matrix& x) const;
  Matrix mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels) const override;
  Matrix projected_mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels,
                                     const Matrix& projection) const override;
  model::Vector mean_loss_hessian_vector(const Matrix& x, const Eigen::VectorXi& labels,
                                         const model::VectorRef& v) const override;
  // m × 0: no hidden layers.
  Matrix hidden(const Matrix& x, Representation representation) const override;
  // random_softmax_model(features(), classes(), seed).
  std::unique_ptr<model::Classifier> reinitialised(std::uint64_t seed) const override;
};

// The re-initialised model of the randomization test: weights N(0, 1/q) drawn from
// random_normal(seed, Purpose::explain, 1, j, c) for weight (j, c) (random.hpp).
SoftmaxModel random_softmax_model(int features, int classes, std::uint64_t seed);

}  // namespace hyperpush::explain

#pragma once
// A trained classifier at fixed parameters θ ∈ R^P, queried on arbitrary inputs: what the explain
// layer needs from a model (specs/explain.md, "Notation"). Implemented in closed form by the
// explain layer's softmax regression (explain/softmax_model.hpp) and by autograd for the torch
// backend's networks (torch/torch_problem.hpp: make_torch_classifier).
//
// Losses are the per-sample classification losses alone (cross-entropy, or the logistic loss for
// one logit), without any regularizer: g(z) = ∇_θ ℓ(z; θ). Inputs are m × features matrices, one
// sample per row, as the data layer reads them (the classifier adds a bias or reshapes images
// itself). Not thread-safe (implementations may cache).
#include <Eigen/Core>
#include <cstdint>
#include <memory>

#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

class Classifier {
 public:
  virtual ~Classifier() = default;

  virtual int params() const = 0;    // P
  virtual int classes() const = 0;   // C
  virtual int features() const = 0;  // columns of the inputs

  // The predicted class of every row: the largest logit (the lowest class on ties), or z > 0 for
  // a model with one logit.
  virtual Eigen::VectorXi predict(const Matrix& x) const = 0;

  // Per-sample loss gradients at `labels`, one row per sample (m × P).
  virtual Matrix loss_gradients(const Matrix& x, const Eigen::VectorXi& labels) const = 0;
  // The same gradients times Rᵀ (m × k) for a projection R (k × P). Default: loss_gradients of
  // blocks of 256 rows times Rᵀ, so memory stays 256 · P beside the m × k result.
  virtual Matrix projected_loss_gradients(const Matrix& x, const Eigen::VectorXi& labels,
                                          const Matrix& projection) const;

  // H v, H the Hessian of the mean loss over (x, labels), v ∈ R^P.
  virtual Vector mean_loss_hessian_vector(const Matrix& x, const Eigen::VectorXi& labels,
                                          const VectorRef& v) const = 0;
  // Dense H (P × P). Default: P Hessian-vector products (symmetrised).
  virtual Matrix mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels) const;
  // R H Rᵀ (k × k) for a projection R (k × P). Default: k Hessian-vector products H (Rᵀ e_j)
  // (symmetrised).
  virtual Matrix projected_mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels,
                                             const Matrix& projection) const;

  // Hidden representations: `last` = the input of the final linear layer (φ_last), `all` = every
  // hidden layer's activations concatenated (φ_all); m × width. A model without hidden layers
  // returns an m × 0 matrix.
  enum class Representation { last, all };
  virtual Matrix hidden(const Matrix& x, Representation representation) const = 0;

  // A classifier of the same architecture with freshly initialised parameters drawn from `seed`
  // (the model randomization test).
  virtual std::unique_ptr<Classifier> reinitialised(std::uint64_t seed) const = 0;
};

}  // namespace hyperpush::model

#pragma once
// The data term of a linear model on one data part (training, validation or test):
//   L(x; s) = Σ_k s_k ℓ_k(x),   ℓ_k depends on x only through the logits of sample k (a_kᵀ x, or
//   a_kᵀ X for softmax), a_k the k-th row of the design matrix A (m × q),
// with its derivatives in x. The weights s ∈ R^m come from the hyperparameter kind (1/m each, or
// λ_k/m for per-sample weights); see linear_problem.hpp for the losses. Internal to the model
// layer.
//
// Per-x cache: what depends on x alone (logits, ℓ_k and its derivatives in the logits, softmax
// probabilities) is computed once per distinct x and kept with a copy of that x, because HGP calls
// hessian_vector many times at the same x with different w. So an HVP costs one pass over A and O(m
// C) more, with no allocation. Not thread-safe (mutable cache).
#include <Eigen/Core>
#include <limits>
#include <memory>

#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model::detail {

// Row-major: a sample's features are contiguous, so a block of rows can be used twice while it is
// in L1 (binary_linear_loss.cpp); A·v and Aᵀ·r are still single GEMVs.
using DesignMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class SampleLoss {
 public:
  // design: m × q, one sample per row (bias column included); labels: m, already validated.
  SampleLoss(DesignMatrix design, Eigen::VectorXi labels)
      : design_(std::move(design)), labels_(std::move(labels)) {}
  virtual ~SampleLoss() = default;
  SampleLoss(const SampleLoss&) = delete;
  SampleLoss& operator=(const SampleLoss&) = delete;

  int samples() const { return static_cast<int>(design_.rows()); }
  virtual int dim() const = 0;

  // L(x; s), ∇_x L, ∇²_xx L w and the dense ∇²_xx L (symmetric).
  virtual double value(const VectorRef& x, const VectorRef& s) const = 0;
  virtual void gradient(const VectorRef& x, const VectorRef& s, VectorOut out) const = 0;
  virtual void hessian_vector(const VectorRef& x, const VectorRef& s, const VectorRef& w,
                              VectorOut out) const = 0;
  virtual Matrix hessian(const VectorRef& x, const VectorRef& s) const = 0;

  // out_k = ∇ℓ_k(x)ᵀ w (m entries), and the m × d matrix whose row k is ∇ℓ_k(x)ᵀ: the mixed
  // derivative of per-sample weights.
  virtual void sample_gradient_dots(const VectorRef& x, const VectorRef& w,
                                    VectorOut out) const = 0;
  virtual Matrix sample_gradients(const VectorRef& x) const = 0;

  // Per-class logit offsets b ∈ R^C added to every sample's logits, Z = A X + 1 bᵀ (the per-class
  // hyperparameter kind); 0 until set. The value and derivatives above then hold at Z + 1 bᵀ, and
  //   offset_gradient:     ∂L/∂b = Σ_k s_k (P_k − Y_k)
  //   offset_cross_vector: ∂/∂b ⟨∇_x L, w⟩ = Σ_k s_k R_k,  R = P ⊙ (U − rowsum(P ⊙ U)), U = A W
  // Only the softmax loss has offsets; the others throw hyperpush::Error (one logit per sample).
  virtual void set_logit_offset(const VectorRef& offset) const;
  virtual void offset_gradient(const VectorRef& x, const VectorRef& s, VectorOut out) const;
  virtual void offset_cross_vector(const VectorRef& x, const VectorRef& s, const VectorRef& w,
                                   VectorOut out) const;

  // The predicted class of every sample: the largest logit, with the offsets set (logit > 0 for
  // two classes).
  virtual Eigen::VectorXi predictions(const VectorRef& x) const = 0;
  // Fraction of samples whose predicted class equals the label; NaN without samples.
  double accuracy(const VectorRef& x) const {
    if (labels_.size() == 0) return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>((predictions(x).array() == labels_.array()).count()) /
           static_cast<double>(labels_.size());
  }

 protected:
  DesignMatrix design_;     // A, m × q
  Eigen::VectorXi labels_;  // m
};

// ℓ_k = log(1 + e^{z_k}) − y_k z_k, z = A x.
std::unique_ptr<SampleLoss> make_logistic_loss(DesignMatrix design, Eigen::VectorXi labels);
// ℓ_k = ½ (z_k − t_k)², t_k = 2 y_k − 1, z = A x.
std::unique_ptr<SampleLoss> make_ridge_loss(DesignMatrix design, Eigen::VectorXi labels);
// ℓ_k = logsumexp(Z_k·) − Z_{k,y_k}, Z = A X, X = reshape(x, q, classes) column-major.
std::unique_ptr<SampleLoss> make_softmax_loss(DesignMatrix design, Eigen::VectorXi labels,
                                              int classes);

}  // namespace hyperpush::model::detail

#pragma once
// The data term of a linear model on one data part (training, validation or test): the kernel set
// a backend of the linear models supplies (the Eigen reference in src/model/, the cuda backend in
// src/cuda/), as Ginkgo's solvers are written once over per-device kernels. With ℓ_k the loss of
// sample k (linear_problem.hpp), s ∈ R^m the sample weights and b ∈ R^C per-class logit offsets,
//   L(x) = Σ_k s_k ℓ_k(x; b),   ℓ_k depends on x only through sample k's logits a_kᵀ X + b,
// and its derivatives in x, b and s. The problem (make_linear_problem) is written once over three
// of these; hyperparameter_kind.hpp says what s and b are for each kind of λ.
//
// Implementations keep what depends on x alone (logits, ℓ_k and its derivatives) for the last x
// seen, because HGP calls hessian_vector many times at one x. Not thread-safe (see
// local_problem.hpp).
#include <Eigen/Core>
#include <memory>
#include <optional>
#include <vector>

#include "hyperpush/model/local_problem.hpp"

namespace hyperpush::model {

class SampleLoss {
 public:
  SampleLoss() = default;
  virtual ~SampleLoss() = default;
  SampleLoss(const SampleLoss&) = delete;
  SampleLoss& operator=(const SampleLoss&) = delete;

  virtual int samples() const = 0;  // m
  virtual int dim() const = 0;      // d: entries of x

  // s (m entries; 1/m until set) and b (C entries; 0 until set). Only a loss with C ≥ 2 logits
  // per sample has offsets: the others throw hyperpush::Error (check_linear_inputs refuses
  // per-class for them before a loss is built).
  virtual void set_sample_weights(const VectorRef& s) const = 0;
  virtual void set_logit_offset(const VectorRef& b) const;

  // L(x), ∇_x L and ∇²_xx L w; 0 (and zero vectors) for a part without samples.
  virtual double value(const VectorRef& x) const = 0;
  virtual void gradient(const VectorRef& x, VectorOut out) const = 0;
  virtual void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const = 0;

  // out_k = ∇ℓ_k(x)ᵀ w (m entries): ∂/∂s ⟨∇_x L, w⟩, the mixed derivative of sample weights.
  virtual void sample_gradient_dots(const VectorRef& x, const VectorRef& w,
                                    VectorOut out) const = 0;
  // With P the softmax of each sample's offset logits, Y the one-hot labels, U = A W:
  //   offset_gradient:     ∂L/∂b = Σ_k s_k (P_k − Y_k)
  //   offset_cross_vector: ∂/∂b ⟨∇_x L, w⟩ = Σ_k s_k R_k,  R = P ⊙ (U − rowsum(P ⊙ U))
  // (∂P_kc/∂b_c' = P_kc (δ_cc' − P_kc')). Losses without offsets throw, as set_logit_offset.
  virtual void offset_gradient(const VectorRef& x, VectorOut out) const;
  virtual void offset_cross_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const;

  // The dense ∇²_xx L (symmetric) and the m × d matrix whose row k is ∇ℓ_k(x)ᵀ, where the backend
  // has kernels for them; std::nullopt where it has not (the problem then takes d products).
  virtual std::optional<Matrix> hessian(const VectorRef& x) const;
  virtual std::optional<Matrix> sample_gradients(const VectorRef& x) const;

  // The same loss over the samples `rows` alone (in that order), its weights 1/|rows| and no
  // offsets yet: a minibatch (LocalProblem::use_minibatch). nullptr where the backend has none.
  virtual std::unique_ptr<SampleLoss> subset(const std::vector<int>& rows) const;

  // The predicted class of every sample: the first largest offset logit (logit > 0 for one logit
  // per sample); and the fraction of samples predicted right, NaN without samples.
  virtual Eigen::VectorXi predictions(const VectorRef& x) const = 0;
  virtual double accuracy(const VectorRef& x) const = 0;
};

}  // namespace hyperpush::model

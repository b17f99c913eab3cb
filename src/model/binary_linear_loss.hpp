#pragma once
// Two-class linear models with one logit per sample, z = A x (logistic regression, least-squares
// classifier): every derivative of L(x; s) = Σ_k s_k ℓ(z_k, y_k) follows from the scalar ℓ, ℓ'
// and ℓ'' of each sample,
//   ∇L     = Aᵀ (s ⊙ ℓ')                 ∇²L w = Aᵀ (s ⊙ ℓ'' ⊙ (A w))    ∇²L = Aᵀ diag(s ⊙ ℓ'') A
//   ∇ℓ_kᵀw = ℓ'_k (A w)_k
// so a subclass only supplies `pointwise`. Internal to the model layer.
#include "eigen_sample_loss.hpp"

namespace hyperpush::model::detail {

class BinaryLinearLoss : public EigenSampleLoss {
 public:
  BinaryLinearLoss(DesignMatrix design, Eigen::VectorXi labels);

  int dim() const override { return static_cast<int>(design_.cols()); }
  double value(const VectorRef& x) const override;
  void gradient(const VectorRef& x, VectorOut out) const override;
  void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> hessian(const VectorRef& x) const override;
  void sample_gradient_dots(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> sample_gradients(const VectorRef& x) const override;
  Eigen::VectorXi predictions(const VectorRef& x) const override;

 protected:
  struct Pointwise {
    double loss;       // ℓ(z, y)
    double slope;      // ∂ℓ/∂z
    double curvature;  // ∂²ℓ/∂z²
  };
  // ℓ and its first two derivatives at logit z for label y ∈ {0, 1}.
  virtual Pointwise pointwise(double z, int label) const = 0;

 private:
  // Makes the per-x cache hold x (recomputes z, ℓ, ℓ', ℓ'' when x differs from the cached copy).
  void update(const VectorRef& x) const;

  mutable bool cached_ = false;
  mutable Vector cached_x_;   // q: the x the cache below belongs to
  mutable Vector logit_;      // m: z = A x
  mutable Vector loss_;       // m: ℓ(z_k, y_k)
  mutable Vector slope_;      // m: ℓ'(z_k, y_k)
  mutable Vector curvature_;  // m: ℓ''(z_k, y_k)
  mutable Vector scratch_;    // m: s ⊙ ℓ' in the gradient
};

}  // namespace hyperpush::model::detail

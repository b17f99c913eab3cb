// Two-class linear models with one logit per sample, z = A x (logistic regression, least-squares
// classifier): every derivative of L(x; s) = Σ_k s_k ℓ(z_k, y_k) follows from the scalar ℓ, ℓ'
// and ℓ'' of each sample,
//   ∇L     = Aᵀ (s ⊙ ℓ')                 ∇²L w = Aᵀ (s ⊙ ℓ'' ⊙ (A w))    ∇²L = Aᵀ diag(s ⊙ ℓ'') A
//   ∇ℓ_kᵀw = ℓ'_k (A w)_k
// with ℓ, ℓ', ℓ'' of linear_math.hpp: logistic regression ℓ(z, y) = log(1 + e^z) − y z, the
// least-squares classifier ℓ(z, y) = ½ (z − t)², t = 2y − 1.
#include <memory>

#include "eigen_sample_loss.hpp"
#include "hyperpush/model/linear_math.hpp"

namespace hyperpush::model::detail {
namespace {

class BinaryLinearLoss final : public EigenSampleLoss {
 public:
  // terms: ℓ, ℓ' and ℓ'' at logit z for label y ∈ {0, 1} (linear_math.hpp, shared with the cuda
  // backend's kernels).
  using Terms = linear_math::SampleTerms (*)(double z, int label);
  BinaryLinearLoss(DesignMatrix design, Eigen::VectorXi labels, Terms terms);

  int dim() const override { return static_cast<int>(design_.cols()); }
  double value(const VectorRef& x) const override;
  void gradient(const VectorRef& x, VectorOut out) const override;
  void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> hessian(const VectorRef& x) const override;
  void sample_gradient_dots(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> sample_gradients(const VectorRef& x) const override;
  Eigen::VectorXi predictions(const VectorRef& x) const override;

 private:
  // Makes the per-x cache hold x (recomputes z, ℓ, ℓ', ℓ'' when x differs from the cached copy).
  void update(const VectorRef& x) const;
  // z, ℓ, ℓ', ℓ'' of `count` samples from row k on, for the cache's x: the one place they are made,
  // so a cache filled by update() or by gradient() holds the same bits.
  template <int count>
  void fill(Eigen::Index k, const VectorRef& x) const;

  Terms terms_;
  mutable bool cached_ = false;
  mutable Vector cached_x_;   // q: the x the cache below belongs to
  mutable Vector logit_;      // m: z = A x
  mutable Vector loss_;       // m: ℓ(z_k, y_k)
  mutable Vector slope_;      // m: ℓ'(z_k, y_k)
  mutable Vector curvature_;  // m: ℓ''(z_k, y_k)
};

BinaryLinearLoss::BinaryLinearLoss(DesignMatrix design, Eigen::VectorXi labels, Terms terms)
    : EigenSampleLoss(std::move(design), std::move(labels)), terms_(terms) {
  const Eigen::Index m = design_.rows();
  cached_x_.resize(design_.cols());
  logit_.resize(m);
  loss_.resize(m);
  slope_.resize(m);
  curvature_.resize(m);
}

// Rows of A per block: a block (16 × q doubles) stays in L1 between its two products.
constexpr int kBlock = 16;
// Features from which a block's logits are one GEMV rather than one dot product per row.
constexpr Eigen::Index kGemvFeatures = 256;

template <int count>
void BinaryLinearLoss::fill(Eigen::Index k, const VectorRef& x) const {
  // z = A x. Eigen's row-major GEMV costs ~2 µs a call on 16 × 101 rows, where 16 dot products
  // take a third of that; from a few hundred features on, the GEMV is the faster (measured here).
  if (design_.cols() < kGemvFeatures)
    for (Eigen::Index j = k; j < k + count; ++j) logit_[j] = design_.row(j).dot(x);
  else
    logit_.segment<count>(k).noalias() = design_.middleRows<count>(k) * x;
  for (Eigen::Index j = k; j < k + count; ++j) {
    const linear_math::SampleTerms t = terms_(logit_[j], labels_[j]);
    loss_[j] = t.loss;
    slope_[j] = t.slope;
    curvature_[j] = t.curvature;
  }
}

void BinaryLinearLoss::update(const VectorRef& x) const {
  if (cached_ && x == cached_x_) return;
  cached_x_ = x;
  const Eigen::Index m = design_.rows();
  Eigen::Index k = 0;
  for (; k + kBlock <= m; k += kBlock) fill<kBlock>(k, x);
  for (; k < m; ++k) fill<1>(k, x);
  cached_ = true;
}

double BinaryLinearLoss::value(const VectorRef& x) const {
  update(x);
  return weights_.dot(loss_);  // Σ_k s_k ℓ_k
}

void BinaryLinearLoss::gradient(const VectorRef& x, VectorOut out) const {
  // Aᵀ (s ⊙ ℓ') in one pass over A, a block of rows at a time. At a new x each block's logits and
  // terms are made first, while the block is in L1: a gradient reads A once, not twice (A x, then
  // Aᵀ r), which halves the memory traffic of the inner solvers. The sum is the same either way.
  const bool fresh = !(cached_ && x == cached_x_);
  if (fresh) cached_x_ = x;
  const Eigen::Index m = design_.rows();
  out.setZero();
  Eigen::Index k = 0;
  for (; k + kBlock <= m; k += kBlock) {
    if (fresh) fill<kBlock>(k, x);
    const Eigen::Matrix<double, kBlock, 1> r =
        weights_.segment<kBlock>(k).cwiseProduct(slope_.segment<kBlock>(k));
    out.noalias() += design_.middleRows<kBlock>(k).transpose() * r;
  }
  for (; k < m; ++k) {
    if (fresh) fill<1>(k, x);
    out += (weights_[k] * slope_[k]) * design_.row(k).transpose();
  }
  cached_ = true;
}

void BinaryLinearLoss::hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const {
  // H w = Σ_k s_k ℓ''_k a_k (a_kᵀ w) in one pass over A, 16 rows at a time: each block is read
  // from memory once and reused from cache for the second product. When A does not stay in cache
  // (16 agents of m = 200, q = 785 hold 20 MB) this is ~20% faster than A w then Aᵀ (…); when it
  // does, it is as fast. Cost: 4 m q flops, m q doubles read.
  update(x);
  const Vector& s = weights_;
  const Eigen::Index m = design_.rows();
  out.setZero();
  Eigen::Index k = 0;
  for (; k + kBlock <= m; k += kBlock) {
    const auto rows = design_.middleRows<kBlock>(k);
    Eigen::Matrix<double, kBlock, 1> t;  // A_b w, as the logits are made (fill)
    if (design_.cols() < kGemvFeatures)
      for (int j = 0; j < kBlock; ++j) t[j] = rows.row(j).dot(w);
    else
      t.noalias() = rows * w;
    t.array() *= s.segment<kBlock>(k).array() * curvature_.segment<kBlock>(k).array();  // ⊙ s ⊙ ℓ''
    out.noalias() += rows.transpose() * t;  // += A_bᵀ t
  }
  for (; k < m; ++k)
    out += (s[k] * curvature_[k] * design_.row(k).dot(w)) * design_.row(k).transpose();
}

std::optional<Matrix> BinaryLinearLoss::hessian(const VectorRef& x) const {
  update(x);
  const Vector weight = weights_.cwiseProduct(curvature_);
  const Matrix weighted = weight.asDiagonal() * design_;  // diag(s ⊙ ℓ'') A
  Matrix h = design_.transpose() * weighted;              // Aᵀ diag(s ⊙ ℓ'') A
  return Matrix(0.5 *
                (h + h.transpose()));  // exactly symmetric (GEMM rounding differs per triangle)
}

void BinaryLinearLoss::sample_gradient_dots(const VectorRef& x, const VectorRef& w,
                                            VectorOut out) const {
  update(x);
  out.noalias() = design_ * w;    // (A w)_k
  out.array() *= slope_.array();  // ℓ'_k (A w)_k = ∇ℓ_kᵀ w
}

std::optional<Matrix> BinaryLinearLoss::sample_gradients(const VectorRef& x) const {
  update(x);
  return Matrix(slope_.asDiagonal() * design_);  // row k: ℓ'_k a_kᵀ
}

Eigen::VectorXi BinaryLinearLoss::predictions(const VectorRef& x) const {
  if (design_.rows() == 0) return {};
  update(x);
  return (logit_.array() > 0).cast<int>();
}

}  // namespace

std::unique_ptr<SampleLoss> make_logistic_loss(DesignMatrix design, Eigen::VectorXi labels) {
  return std::make_unique<BinaryLinearLoss>(std::move(design), std::move(labels),
                                            linear_math::logistic_terms);
}

std::unique_ptr<SampleLoss> make_ridge_loss(DesignMatrix design, Eigen::VectorXi labels) {
  return std::make_unique<BinaryLinearLoss>(std::move(design), std::move(labels),
                                            linear_math::ridge_terms);
}

}  // namespace hyperpush::model::detail

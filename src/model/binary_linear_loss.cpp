// Two-class linear models with one logit per sample, z = A x (logistic regression, least-squares
// classifier): every derivative of L(x; s) = Σ_k s_k ℓ(z_k, y_k) follows from the scalar ℓ, ℓ'
// and ℓ'' of each sample,
//   ∇L     = Aᵀ (s ⊙ ℓ')                 ∇²L w = Aᵀ (s ⊙ ℓ'' ⊙ (A w))    ∇²L = Aᵀ diag(s ⊙ ℓ'') A
//   ∇ℓ_kᵀw = ℓ'_k (A w)_k
// with ℓ, ℓ', ℓ'' of linear_math.hpp: logistic regression ℓ(z, y) = log(1 + e^z) − y z, the
// least-squares classifier ℓ(z, y) = ½ (z − t)², t = 2y − 1.
#include <algorithm>
#include <memory>

#include "eigen_sample_loss.hpp"
#include "hyperpush/model/linear_math.hpp"
#include "row_kernels.hpp"

namespace hyperpush::model::detail {
namespace {

class BinaryLinearLoss final : public EigenSampleLoss {
 public:
  // terms: ℓ' and ℓ'' (and ℓ when with_loss) at logit z for label y ∈ {0, 1} (linear_math.hpp,
  // shared with the cuda backend's kernels).
  using Terms = linear_math::SampleTerms (*)(double z, int label, bool with_loss);
  BinaryLinearLoss(DesignMatrix design, Eigen::VectorXi labels, Terms terms);

  int dim() const override { return static_cast<int>(design_.cols()); }
  double value(const VectorRef& x) const override;
  void gradient(const VectorRef& x, VectorOut out) const override;
  void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> hessian(const VectorRef& x) const override;
  void sample_gradient_dots(const VectorRef& x, const VectorRef& w, VectorOut out) const override;
  std::optional<Matrix> sample_gradients(const VectorRef& x) const override;
  Eigen::VectorXi predictions(const VectorRef& x) const override;
  std::unique_ptr<SampleLoss> subset(const std::vector<int>& rows) const override {
    return std::make_unique<BinaryLinearLoss>(design_(rows, Eigen::all), labels_(rows), terms_);
  }

 private:
  // Makes the per-x cache hold x (recomputes z, ℓ', ℓ'' when x differs from the cached copy).
  void update(const VectorRef& x) const;
  // z, ℓ', ℓ'' of `count` samples from row k on, for the cache's x: the one place they are made,
  // so a cache filled by update() or by gradient() holds the same bits.
  void fill(Eigen::Index k, int count, const VectorRef& x) const;
  // A_b v for the `count` rows from row k on, and out += A_bᵀ r for the same rows: the per-ISA
  // kernels (row_kernels.hpp) below kGemvFeatures features, Eigen's GEMV (four rows at a time, so
  // more of A in flight from memory) from there on. Measured here: the kernels are ~20% faster on
  // 16 × 101 blocks, the GEMVs ~15% faster on the 785-feature HGP bench.
  void block_dots(Eigen::Index k, int count, const double* v, double* out) const;
  void add_block_transposed(Eigen::Index k, int count, const double* r, double* out) const;

  Terms terms_;
  mutable bool cached_ = false;
  mutable bool loss_cached_ = false;  // loss_ belongs to cached_x_ (made by value() only: the
                                      // derivatives need no logarithm)
  mutable Vector cached_x_;           // q: the x the cache below belongs to
  mutable Vector logit_;              // m: z = A x
  mutable Vector loss_;               // m: ℓ(z_k, y_k)
  mutable Vector slope_;              // m: ℓ'(z_k, y_k)
  mutable Vector curvature_;          // m: ℓ''(z_k, y_k)
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
// Features from which a block's products are Eigen's GEMVs (see block_dots).
constexpr Eigen::Index kGemvFeatures = 256;

void BinaryLinearLoss::block_dots(Eigen::Index k, int count, const double* v, double* out) const {
  const Eigen::Index q = design_.cols();
  if (q < kGemvFeatures) return kernels::row_dots(design_.row(k).data(), q, count, dim(), v, out);
  Eigen::Map<Vector>(out, count).noalias() =
      design_.middleRows(k, count) * Eigen::Map<const Vector>(v, q);
}

void BinaryLinearLoss::add_block_transposed(Eigen::Index k, int count, const double* r,
                                            double* out) const {
  const Eigen::Index q = design_.cols();
  if (q < kGemvFeatures)
    return kernels::add_transposed(design_.row(k).data(), q, count, dim(), r, out);
  Eigen::Map<Vector>(out, q).noalias() +=
      design_.middleRows(k, count).transpose() * Eigen::Map<const Vector>(r, count);
}

void BinaryLinearLoss::fill(Eigen::Index k, int count, const VectorRef& x) const {
  block_dots(k, count, x.data(), logit_.data() + k);  // z = A x
  for (Eigen::Index j = k; j < k + count; ++j) {
    const linear_math::SampleTerms t = terms_(logit_[j], labels_[j], false);
    slope_[j] = t.slope;
    curvature_[j] = t.curvature;
  }
}

void BinaryLinearLoss::update(const VectorRef& x) const {
  if (cached_ && x == cached_x_) return;
  cached_x_ = x;
  loss_cached_ = false;
  const Eigen::Index m = design_.rows();
  for (Eigen::Index k = 0; k < m; k += kBlock)
    fill(k, static_cast<int>(std::min<Eigen::Index>(kBlock, m - k)), x);
  cached_ = true;
}

double BinaryLinearLoss::value(const VectorRef& x) const {
  update(x);
  if (!loss_cached_) {
    for (Eigen::Index k = 0; k < design_.rows(); ++k)
      loss_[k] = terms_(logit_[k], labels_[k], true).loss;
    loss_cached_ = true;
  }
  return weights_.dot(loss_);  // Σ_k s_k ℓ_k
}

void BinaryLinearLoss::gradient(const VectorRef& x, VectorOut out) const {
  // Aᵀ (s ⊙ ℓ') in one pass over A, a block of rows at a time. At a new x each block's logits and
  // terms are made first, while the block is in L1: a gradient reads A once, not twice (A x, then
  // Aᵀ r), which halves the memory traffic of the inner solvers. The sum is the same either way.
  const bool fresh = !(cached_ && x == cached_x_);
  if (fresh) {
    cached_x_ = x;
    loss_cached_ = false;
  }
  const Eigen::Index m = design_.rows();
  out.setZero();
  double r[kBlock];
  for (Eigen::Index k = 0; k < m; k += kBlock) {
    const int count = static_cast<int>(std::min<Eigen::Index>(kBlock, m - k));
    if (fresh) fill(k, count, x);
    for (int j = 0; j < count; ++j) r[j] = weights_[k + j] * slope_[k + j];
    add_block_transposed(k, count, r, out.data());
  }
  cached_ = true;
}

void BinaryLinearLoss::hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const {
  // H w = Σ_k s_k ℓ''_k a_k (a_kᵀ w) in one pass over A, 16 rows at a time: each block is read
  // from memory once and reused from cache for the second product. When A does not stay in cache
  // (16 agents of m = 200, q = 785 hold 20 MB) this is ~20% faster than A w then Aᵀ (…); when it
  // does, it is as fast. Cost: 4 m q flops, m q doubles read.
  update(x);
  const Eigen::Index m = design_.rows();
  out.setZero();
  double t[kBlock];
  for (Eigen::Index k = 0; k < m; k += kBlock) {
    const int count = static_cast<int>(std::min<Eigen::Index>(kBlock, m - k));
    block_dots(k, count, w.data(), t);                                            // A_b w
    for (int j = 0; j < count; ++j) t[j] *= weights_[k + j] * curvature_[k + j];  // ⊙ s ⊙ ℓ''
    add_block_transposed(k, count, t, out.data());                                // += A_bᵀ t
  }
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
  block_dots(0, static_cast<int>(design_.rows()), w.data(), out.data());  // (A w)_k
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

// Multinomial logistic regression over C classes: Z = A X (m × C), X = reshape(x, q, C)
// column-major, P = softmax of each row of Z, Y the one-hot labels,
//   ℓ_k = logsumexp(Z_k·) − Z_{k,y_k},   ∇L = vec(Aᵀ (s ⊙ (P − Y)))   (s scales rows)
//   ∇²L w = vec(Aᵀ (s ⊙ R)),  U = A W, R = P ⊙ U − P ⊙ rowsum(P ⊙ U),  W = reshape(w, q, C)
//   ∇²L block (c, c') = Aᵀ diag(s ⊙ (P_c δ_cc' − P_c ⊙ P_c')) A
//   ∇ℓ_kᵀ w = Σ_c U_kc (P_kc − Y_kc)
// With per-class logit offsets b (Z = A X + 1 bᵀ), P is the softmax of the offset logits and
//   ∂L/∂b = Σ_k s_k (P_k − Y_k),   ∂/∂b ⟨∇L, w⟩ = Σ_k s_k R_k    (∂P_kc/∂b_c' = P_kc (δ_cc' −
//   P_kc'))
#include <algorithm>
#include <cmath>
#include <limits>

#include "eigen_sample_loss.hpp"

namespace hyperpush::model::detail {
namespace {

using ConstMatrixMap = Eigen::Map<const Matrix>;
using MatrixMap = Eigen::Map<Matrix>;

class SoftmaxLoss final : public EigenSampleLoss {
 public:
  SoftmaxLoss(DesignMatrix design, Eigen::VectorXi labels, int classes)
      : EigenSampleLoss(std::move(design), std::move(labels)), classes_(classes) {
    const Eigen::Index m = design_.rows();
    cached_x_.resize(dim());
    offset_ = Vector::Zero(classes_);
    logit_.resize(m, classes_);
    prob_.resize(m, classes_);
    loss_.resize(m);
    product_.resize(m, classes_);
    block_.resize(std::min<Eigen::Index>(kBlock, m), classes_);
    rowdot_.resize(m);
  }

  int dim() const override { return static_cast<int>(design_.cols()) * classes_; }
  std::unique_ptr<SampleLoss> subset(const std::vector<int>& rows) const override {
    return std::make_unique<SoftmaxLoss>(design_(rows, Eigen::all), labels_(rows), classes_);
  }

  double value(const VectorRef& x) const override {
    update(x);
    return weights_.dot(loss_);
  }

  void gradient(const VectorRef& x, VectorOut out) const override {
    update(x);
    product_ = prob_;
    for (Eigen::Index k = 0; k < product_.rows(); ++k) product_(k, labels_[k]) -= 1.0;  // P − Y
    product_.array().colwise() *= weights_.array();
    auto g = output(out);
    for (int c = 0; c < classes_; ++c)  // Aᵀ (s ⊙ (P − Y)), a GEMV per class: no GEMM workspace
      g.col(c).noalias() = design_.transpose() * product_.col(c);
  }

  void hessian_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override {
    // One pass over A, kBlock rows at a time, each block used for its 2C GEMVs while it is in
    // cache (as in binary_linear_loss.cpp). At C = 3 this is twice as fast as the two GEMMs, which
    // repack A on every call and allocate their workspace. Cost: 4 m q C flops, m q doubles read.
    update(x);
    const auto v = input(w);
    auto hv = output(out);
    hv.setZero();
    const Eigen::Index m = design_.rows();
    for (Eigen::Index k = 0; k < m; k += kBlock) {
      const Eigen::Index rows = std::min<Eigen::Index>(kBlock, m - k);
      const auto a = design_.middleRows(k, rows);
      const auto p = prob_.middleRows(k, rows);
      auto u = block_.topRows(rows);
      for (int c = 0; c < classes_; ++c) u.col(c).noalias() = a * v.col(c);  // U_b = A_b W
      auto dot = rowdot_.head(rows);
      dot = p.cwiseProduct(u).rowwise().sum();                   // rowsum(P ⊙ U)
      u.array().colwise() -= dot.array();                        // U − rowsum(P ⊙ U)
      u.array() *= p.array();                                    // R
      u.array().colwise() *= weights_.segment(k, rows).array();  // s ⊙ R
      for (int c = 0; c < classes_; ++c)
        hv.col(c).noalias() += a.transpose() * u.col(c);  // += A_bᵀ (s ⊙ R)
    }
  }

  std::optional<Matrix> hessian(const VectorRef& x) const override {
    update(x);
    const Eigen::Index q = design_.cols();
    Matrix h(dim(), dim());
    Vector weight(design_.rows());
    Matrix weighted(design_.rows(), q);
    for (int c = 0; c < classes_; ++c) {
      for (int c2 = c; c2 < classes_; ++c2) {
        // s ⊙ (P_c δ_cc' − P_c ⊙ P_c')
        weight = -prob_.col(c).cwiseProduct(prob_.col(c2));
        if (c == c2) weight += prob_.col(c);
        weight.array() *= weights_.array();
        weighted.noalias() = weight.asDiagonal() * design_;
        h.block(c * q, c2 * q, q, q).noalias() = design_.transpose() * weighted;
        if (c2 != c) h.block(c2 * q, c * q, q, q) = h.block(c * q, c2 * q, q, q).transpose();
      }
    }
    return Matrix(0.5 *
                  (h + h.transpose()));  // exactly symmetric (GEMM rounding differs per triangle)
  }

  void sample_gradient_dots(const VectorRef& x, const VectorRef& w, VectorOut out) const override {
    update(x);
    const auto v = input(w);
    for (int c = 0; c < classes_; ++c) product_.col(c).noalias() = design_ * v.col(c);  // U = A W
    out = prob_.cwiseProduct(product_).rowwise().sum();
    for (Eigen::Index k = 0; k < out.size(); ++k) out[k] -= product_(k, labels_[k]);
  }

  std::optional<Matrix> sample_gradients(const VectorRef& x) const override {
    update(x);
    const Eigen::Index q = design_.cols();
    Matrix g(design_.rows(), dim());
    for (int c = 0; c < classes_; ++c) {  // row k, block c: (P_kc − Y_kc) a_kᵀ
      auto block = g.middleCols(c * q, q);
      block.noalias() = prob_.col(c).asDiagonal() * design_;
      for (Eigen::Index k = 0; k < design_.rows(); ++k)
        if (labels_[k] == c) block.row(k) -= design_.row(k);
    }
    return g;
  }

  void set_logit_offset(const VectorRef& offset) const override {
    if (offset == offset_) return;
    offset_ = offset;
    cached_ = false;  // the cache holds logits with the old offsets
  }

  void offset_gradient(const VectorRef& x, VectorOut out) const override {
    update(x);
    const Vector& s = weights_;
    out.noalias() = prob_.transpose() * s;                                      // Σ_k s_k P_k
    for (Eigen::Index k = 0; k < design_.rows(); ++k) out[labels_[k]] -= s[k];  // − Σ_k s_k Y_k
  }

  void offset_cross_vector(const VectorRef& x, const VectorRef& w, VectorOut out) const override {
    update(x);
    const auto v = input(w);
    for (int c = 0; c < classes_; ++c) product_.col(c).noalias() = design_ * v.col(c);  // U = A W
    rowdot_ = prob_.cwiseProduct(product_).rowwise().sum();  // rowsum(P ⊙ U)
    product_.array().colwise() -= rowdot_.array();
    product_.array() *= prob_.array();                // R
    out.noalias() = product_.transpose() * weights_;  // Σ_k s_k R_k
  }

  Eigen::VectorXi predictions(const VectorRef& x) const override {
    if (design_.rows() == 0) return {};
    update(x);
    Eigen::VectorXi out(logit_.rows());
    for (Eigen::Index k = 0; k < logit_.rows(); ++k) {
      Eigen::Index predicted = 0;
      logit_.row(k).maxCoeff(&predicted);  // the first largest logit of Z + 1 bᵀ
      out[k] = static_cast<int>(predicted);
    }
    return out;
  }

 private:
  ConstMatrixMap input(const VectorRef& v) const {
    return ConstMatrixMap(v.data(), design_.cols(), classes_);
  }
  MatrixMap output(VectorOut v) const { return MatrixMap(v.data(), design_.cols(), classes_); }

  // Makes the per-x cache hold x: Z = A X, P by max subtraction (no overflow), ℓ_k.
  void update(const VectorRef& x) const {
    if (cached_ && x == cached_x_) return;
    cached_x_ = x;
    const auto v = input(x);
    for (int c = 0; c < classes_; ++c) {
      logit_.col(c).noalias() = design_ * v.col(c);              // Z = A X
      if (offset_[c] != 0) logit_.col(c).array() += offset_[c];  // + 1 bᵀ
    }
    for (Eigen::Index k = 0; k < logit_.rows(); ++k) {
      const double top = logit_.row(k).maxCoeff();
      prob_.row(k) = (logit_.row(k).array() - top).exp();
      const double total = prob_.row(k).sum();  // ≥ 1: the top entry contributes e^0
      prob_.row(k) /= total;
      loss_[k] = top + std::log(total) - logit_(k, labels_[k]);  // logsumexp(Z_k·) − Z_{k,y_k}
    }
    cached_ = true;
  }

  static constexpr Eigen::Index kBlock = 16;

  int classes_;
  mutable bool cached_ = false;
  mutable Vector offset_;    // C: b, the per-class logit offsets (0 unless set)
  mutable Vector cached_x_;  // q C: the x the cache below belongs to (at offset_)
  mutable Matrix logit_;     // m × C: Z
  mutable Matrix prob_;      // m × C: P
  mutable Vector loss_;      // m: ℓ_k
  mutable Matrix product_;   // m × C scratch: A W and what is built from it
  mutable Matrix block_;     // kBlock × C scratch: U_b and R_b of a block of rows
  mutable Vector rowdot_;    // m scratch
};

}  // namespace

std::unique_ptr<SampleLoss> make_softmax_loss(DesignMatrix design, Eigen::VectorXi labels,
                                              int classes) {
  return std::make_unique<SoftmaxLoss>(std::move(design), std::move(labels), classes);
}

}  // namespace hyperpush::model::detail

#include "hyperpush/explain/softmax_model.hpp"

#include <cmath>
#include <memory>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::explain {
namespace {

// X̃ = [x, 1].
Matrix augmented(const Matrix& x, int features) {
  if (x.cols() != features)
    throw Error("softmax model: samples have " + std::to_string(x.cols()) +
                " features, the model " + std::to_string(features));
  Matrix a(x.rows(), x.cols() + 1);
  a.leftCols(x.cols()) = x;
  a.col(x.cols()).setOnes();
  return a;
}

void check_label_count(const Matrix& x, const Eigen::VectorXi& labels) {
  if (labels.size() != x.rows())
    throw Error("softmax model: " + std::to_string(labels.size()) + " labels for " +
                std::to_string(x.rows()) + " samples");
}

// P − Y: probabilities minus the one-hot labels.
Matrix residuals(const Matrix& p, const Eigen::VectorXi& labels) {
  check_label_count(p, labels);
  Matrix r = p;
  for (Eigen::Index k = 0; k < r.rows(); ++k) {
    if (labels(k) < 0 || labels(k) >= r.cols())
      throw Error("softmax model: label " + std::to_string(labels(k)) + " outside [0, " +
                  std::to_string(r.cols()) + ")");
    r(k, labels(k)) -= 1.0;
  }
  return r;
}

Matrix softmax_rows(const Matrix& logits) {
  Matrix p(logits.rows(), logits.cols());
  for (Eigen::Index k = 0; k < logits.rows(); ++k) {
    const double top = logits.row(k).maxCoeff();
    p.row(k) = (logits.row(k).array() - top).exp();
    p.row(k) /= p.row(k).sum();
  }
  return p;
}

}  // namespace

Matrix SoftmaxModel::probabilities(const Matrix& x) const {
  return softmax_rows(augmented(x, features()) * weights);
}

Eigen::VectorXi SoftmaxModel::predict(const Matrix& x) const {
  const Matrix z = augmented(x, features()) * weights;
  Eigen::VectorXi out(z.rows());
  for (Eigen::Index k = 0; k < z.rows(); ++k) {
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < z.cols(); ++c)
      if (z(k, c) > z(k, best)) best = c;
    out(k) = static_cast<int>(best);
  }
  return out;
}

Matrix SoftmaxModel::loss_gradients(const Matrix& x, const Eigen::VectorXi& labels) const {
  const Matrix a = augmented(x, features());
  const Matrix r = residuals(softmax_rows(a * weights), labels);
  const Eigen::Index q = a.cols();
  Matrix g(a.rows(), params());
  // g_k[j + q c] = (p_kc − y_kc) x̃_kj
  for (int c = 0; c < classes(); ++c) g.middleCols(c * q, q) = r.col(c).asDiagonal() * a;
  return g;
}

Matrix SoftmaxModel::projected_loss_gradients(const Matrix& x, const Eigen::VectorXi& labels,
                                              const Matrix& projection) const {
  if (projection.cols() != params())
    throw Error("softmax model: projection has " + std::to_string(projection.cols()) +
                " columns, the model " + std::to_string(params()) + " parameters");
  const Matrix a = augmented(x, features());
  const Matrix r = residuals(softmax_rows(a * weights), labels);
  const Eigen::Index q = a.cols();
  Matrix out = Matrix::Zero(a.rows(), projection.rows());
  // G Rᵀ = Σ_c diag(p_c − y_c) (X̃ R_cᵀ): C products of m × q × k
  for (int c = 0; c < classes(); ++c)
    out.noalias() += r.col(c).asDiagonal() * (a * projection.middleCols(c * q, q).transpose());
  return out;
}

Matrix SoftmaxModel::mean_loss_hessian(const Matrix& x) const {
  const Matrix a = augmented(x, features());
  const Matrix p = softmax_rows(a * weights);
  const Eigen::Index q = a.cols(), m = a.rows();
  Matrix h = Matrix::Zero(params(), params());
  Matrix v(m, params());  // V_k = p_k ⊗ x̃_k
  for (int c = 0; c < classes(); ++c) {
    v.middleCols(c * q, q) = p.col(c).asDiagonal() * a;
    h.block(c * q, c * q, q, q).noalias() = a.transpose() * v.middleCols(c * q, q);
  }
  // H = (1/m) (blockdiag_c X̃ᵀ diag(p_c) X̃ − VᵀV)
  h.noalias() -= v.transpose() * v;
  return h / static_cast<double>(m);
}

Matrix SoftmaxModel::projected_mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels,
                                                 const Matrix& projection) const {
  check_label_count(x, labels);
  if (projection.cols() != params())
    throw Error("softmax model: projection has " + std::to_string(projection.cols()) +
                " columns, the model " + std::to_string(params()) + " parameters");
  const Matrix a = augmented(x, features());
  const Matrix p = softmax_rows(a * weights);
  const Eigen::Index q = a.cols(), m = a.rows(), k = projection.rows();
  Matrix h = Matrix::Zero(k, k), vr = Matrix::Zero(m, k);
  for (int c = 0; c < classes(); ++c) {
    const Matrix b = a * projection.middleCols(c * q, q).transpose();  // B_c = X̃ R_cᵀ
    const Matrix pb = p.col(c).asDiagonal() * b;
    h.noalias() += b.transpose() * pb;  // R D Rᵀ = Σ_c B_cᵀ diag(p_c) B_c
    vr += pb;                           // V Rᵀ = Σ_c diag(p_c) B_c
  }
  h.noalias() -= vr.transpose() * vr;
  return h / static_cast<double>(m);
}

Matrix SoftmaxModel::mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels) const {
  check_label_count(x, labels);
  return mean_loss_hessian(x);
}

model::Vector SoftmaxModel::mean_loss_hessian_vector(const Matrix& x, const Eigen::VectorXi& labels,
                                                     const model::VectorRef& v) const {
  check_label_count(x, labels);
  if (v.size() != params())
    throw Error("softmax model: Hessian-vector product with a vector of " +
                std::to_string(v.size()) + " entries, the model has " + std::to_string(params()) +
                " parameters");
  const Matrix a = augmented(x, features());
  const Matrix p = softmax_rows(a * weights);
  const Eigen::Map<const Matrix> w(v.data(), weights.rows(), weights.cols());
  // z_k = Vᵀ x̃_k
  const Matrix z = a * w;
  // R_k = p_k ∘ z_k − p_k (p_kᵀ z_k): the softmax Jacobian diag p − p pᵀ applied to z_k
  const Eigen::VectorXd pz = (p.array() * z.array()).rowwise().sum();
  const Matrix r = p.array() * (z.colwise() - pz).array();
  // H vec(V) = (1/m) vec(X̃ᵀ R)
  const Matrix hv = a.transpose() * r / static_cast<double>(a.rows());
  return Eigen::Map<const model::Vector>(hv.data(), hv.size());
}

Matrix SoftmaxModel::hidden(const Matrix& x, Representation) const {
  if (x.cols() != features())
    throw Error("softmax model: samples have " + std::to_string(x.cols()) +
                " features, the model " + std::to_string(features()));
  return Matrix(x.rows(), 0);
}

std::unique_ptr<model::Classifier> SoftmaxModel::reinitialised(std::uint64_t seed) const {
  return std::make_unique<SoftmaxModel>(random_softmax_model(features(), classes(), seed));
}

SoftmaxModel random_softmax_model(int features, int classes, std::uint64_t seed) {
  SoftmaxModel model;
  const int q = features + 1;
  model.weights.resize(q, classes);
  const double scale = 1.0 / std::sqrt(static_cast<double>(q));
  for (int c = 0; c < classes; ++c)
    for (int j = 0; j < q; ++j)
      model.weights(j, c) = scale * random_normal(seed, Purpose::explain, 1, j, c);
  return model;
}

}  // namespace hyperpush::explain

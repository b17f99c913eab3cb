#include "hyperpush/model/classifier.hpp"

#include <algorithm>

#include "hyperpush/error.hpp"

namespace hyperpush::model {

namespace {

void check_projection(const Classifier& model, const Matrix& projection) {
  if (projection.cols() != model.params())
    throw Error("classifier: projection has " + std::to_string(projection.cols()) +
                " columns, the model " + std::to_string(model.params()) + " parameters");
}

}  // namespace

Matrix Classifier::projected_loss_gradients(const Matrix& x, const Eigen::VectorXi& labels,
                                            const Matrix& projection) const {
  check_projection(*this, projection);
  constexpr Eigen::Index block = 256;
  Matrix out(x.rows(), projection.rows());
  for (Eigen::Index begin = 0; begin < x.rows(); begin += block) {
    const Eigen::Index rows = std::min(block, x.rows() - begin);
    out.middleRows(begin, rows).noalias() =
        loss_gradients(x.middleRows(begin, rows), labels.segment(begin, rows)) *
        projection.transpose();
  }
  return out;
}

Matrix Classifier::mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels) const {
  const int p = params();
  Matrix h(p, p);
  Vector e = Vector::Zero(p);
  for (int j = 0; j < p; ++j) {
    e[j] = 1;
    h.col(j) = mean_loss_hessian_vector(x, labels, e);
    e[j] = 0;
  }
  return (h + h.transpose()) / 2;
}

Matrix Classifier::projected_mean_loss_hessian(const Matrix& x, const Eigen::VectorXi& labels,
                                               const Matrix& projection) const {
  check_projection(*this, projection);
  Matrix hr(params(), projection.rows());  // H Rᵀ
  for (Eigen::Index j = 0; j < projection.rows(); ++j)
    hr.col(j) = mean_loss_hessian_vector(x, labels, projection.row(j).transpose());
  const Matrix h = projection * hr;
  return (h + h.transpose()) / 2;
}

}  // namespace hyperpush::model

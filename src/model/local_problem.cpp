#include "hyperpush/model/local_problem.hpp"

#include <limits>

namespace hyperpush::model {

Matrix LocalProblem::hessian(const VectorRef& x, const VectorRef& lambda) const {
  const int d = dim();
  Matrix h(d, d);
  Vector e = Vector::Zero(d);
  for (int j = 0; j < d; ++j) {  // column j = H e_j
    e[j] = 1.0;
    hessian_vector(x, lambda, e, h.col(j));
    e[j] = 0.0;
  }
  return h;
}

Matrix LocalProblem::cross_jacobian(const VectorRef& x, const VectorRef& lambda) const {
  const int d = dim();
  Matrix j(hyper_dim(), d);
  Vector e = Vector::Zero(d);
  for (int k = 0; k < d; ++k) {  // column k = J e_k
    e[k] = 1.0;
    cross_vector(x, lambda, e, j.col(k));
    e[k] = 0.0;
  }
  return j;
}

double LocalProblem::test_metric(const VectorRef&, const VectorRef&) const {
  return std::numeric_limits<double>::quiet_NaN();
}

Eigen::VectorXi LocalProblem::predict(const VectorRef&, const VectorRef&, Part) const { return {}; }

}  // namespace hyperpush::model

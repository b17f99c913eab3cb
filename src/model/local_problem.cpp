#include "hyperpush/model/local_problem.hpp"

#include <limits>

#include "hyperpush/error.hpp"

namespace hyperpush::model {
namespace {

// The rows × d matrix whose column j is product(e_j, column j), e_j the unit vectors of R^d.
template <class Product>
Matrix from_products(int rows, int d, Product product) {
  Matrix out(rows, d);
  Vector e = Vector::Zero(d);
  for (int j = 0; j < d; ++j) {
    e[j] = 1.0;
    product(e, out.col(j));
    e[j] = 0.0;
  }
  return out;
}

}  // namespace

Matrix LocalProblem::hessian(const VectorRef& x, const VectorRef& lambda) const {
  return from_products(dim(), dim(), [&](const Vector& e, VectorOut column) {
    hessian_vector(x, lambda, e, column);  // H e_j
  });
}

Matrix LocalProblem::cross_jacobian(const VectorRef& x, const VectorRef& lambda) const {
  return from_products(hyper_dim(), dim(), [&](const Vector& e, VectorOut column) {
    cross_vector(x, lambda, e, column);  // J e_j
  });
}

double LocalProblem::test_metric(const VectorRef&, const VectorRef&) const {
  return std::numeric_limits<double>::quiet_NaN();
}

Eigen::VectorXi LocalProblem::predict(const VectorRef&, const VectorRef&, Part) const { return {}; }

void LocalProblem::use_minibatch(const Minibatch& batch) const {
  if (!batch.train.empty() || !batch.validation.empty())
    throw Error(
        "minibatches: this problem's losses are no means over samples; valid: "
        "hypergradient.batch = 0 and hypergradient.outer_batch = 0");
}

}  // namespace hyperpush::model

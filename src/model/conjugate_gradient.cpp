#include "hyperpush/model/conjugate_gradient.hpp"

#include <cmath>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::model {

CgResult conjugate_gradient(
    const std::function<void(const Eigen::VectorXd& p, Eigen::VectorXd& out)>& apply,
    const Eigen::VectorXd& b, double tolerance, int max_iterations,
    NegativeCurvature on_negative_curvature) {
  if (!(tolerance > 0) || max_iterations < 1)
    throw Error("conjugate gradient: needs tolerance > 0 and at least one iteration, got " +
                std::to_string(tolerance) + " and " + std::to_string(max_iterations));
  CgResult out;
  out.v = Eigen::VectorXd::Zero(b.size());
  const double b_norm = b.norm();
  if (b_norm == 0) {
    out.converged = true;
    return out;
  }
  // r = b − A v = b, p = r
  Eigen::VectorXd r = b, p = b, q(b.size());
  // rr = rᵀ r
  double rr = r.squaredNorm();
  const double stop = tolerance * tolerance * b_norm * b_norm;
  while (rr > stop && out.iterations < max_iterations) {
    // q = A p
    apply(p, q);
    ++out.iterations;
    // curvature = pᵀ q
    const double curvature = p.dot(q);
    if (!(curvature > 0)) {
      if (on_negative_curvature == NegativeCurvature::stop) {
        out.negative_curvature = true;
        break;
      }
      throw Error("conjugate gradient: non-positive curvature pᵀAp = " + std::to_string(curvature) +
                  " at iteration " + std::to_string(out.iterations) +
                  "; the matrix is not positive definite");
    }
    // alpha = rr / pᵀ q
    const double alpha = rr / curvature;
    // v = v + alpha p
    out.v += alpha * p;
    // r = r − alpha q
    r -= alpha * q;
    // beta = r'ᵀ r' / rᵀ r
    const double rr_next = r.squaredNorm();
    const double beta = rr_next / rr;
    // p = r + beta p
    p = r + beta * p;
    rr = rr_next;
  }
  out.relative_residual = std::sqrt(rr) / b_norm;
  out.converged = rr <= stop;
  return out;
}

}  // namespace hyperpush::model

#pragma once
// Conjugate gradient for A v = b with A symmetric positive definite and given only as a product
// v ↦ A v (Hestenes & Stiefel 1952; Nocedal & Wright, Algorithm 5.2), used with Hessian-vector
// products: the explain layer's IF beyond dense_max_params solves (H + δ I) v = g(z) per query
// (explain/relevance.hpp), the local-only hyper-gradient baseline H_i q = ∇_x f_i per agent
// (bilevel/hypergradient.hpp).
//
// Starts at v = 0 and stops once ‖r‖ ≤ tolerance · ‖b‖ (r = b − A v) or after max_iterations
// products. Cost of one iteration: one product A p, two dot products, three axpys of length D.
#include <Eigen/Core>
#include <functional>

namespace hyperpush::model {

struct CgResult {
  Eigen::VectorXd v;
  int iterations = 0;            // products A p taken
  double relative_residual = 0;  // ‖b − A v‖ / ‖b‖ (0 for b = 0), as tracked by the recursion
  bool converged = false;        // relative_residual ≤ tolerance
  bool negative_curvature = false;  // stopped at pᵀ A p ≤ 0 (NegativeCurvature::stop)
};

// What a direction of non-positive curvature (pᵀ A p ≤ 0: A is not positive definite) does:
// refuse throws hyperpush::Error; stop returns the iterate reached before it (v = 0 at the first
// iteration): truncated CG, as Newton-CG does on a non-convex function (Nocedal & Wright,
// Algorithm 7.1).
enum class NegativeCurvature { refuse, stop };

// `apply(p, out)` sets out = A p. Throws hyperpush::Error on tolerance ≤ 0 or max_iterations < 1.
CgResult conjugate_gradient(
    const std::function<void(const Eigen::VectorXd& p, Eigen::VectorXd& out)>& apply,
    const Eigen::VectorXd& b, double tolerance, int max_iterations,
    NegativeCurvature on_negative_curvature = NegativeCurvature::refuse);

}  // namespace hyperpush::model

// Baseline "local only": each agent's hyper-gradient of its own problem, as if it were alone,
//   (1/n) [∇_λ f_i − J_i H_i⁻¹ ∇_x f_i],
// with H_i⁻¹ applied by conjugate gradients on Hessian-vector products. No communication.
#include <algorithm>
#include <cmath>

#include "hyper_gradient_push.hpp"

namespace hyperpush::bilevel {

HypergradientResult local_hypergradient(const AgentSet& agents,
                                        const std::vector<model::Vector>& z) {
  const int d = agents.dim, n = agents.agents;
  HypergradientResult out;
  out.v.resize(agents.local_count());
  for (int i = 0; i < agents.local_count(); ++i) {
    const auto& p = *agents.problems[i];
    const auto& lambda = agents.lambda[i];
    model::Vector b(d), q = model::Vector::Zero(d), r, dir, hd(d);
    p.outer_gradient_x(z[i], lambda, b);
    // CG on H_i q = b, from q = 0, to ‖r‖ ≤ 1e-12 ‖b‖ (at most 10 d steps).
    r = b;
    dir = r;
    double rr = r.squaredNorm();
    const double stop = 1e-24 * b.squaredNorm();
    std::int64_t steps = 0;
    while (rr > stop && steps < 10 * d) {
      p.hessian_vector(z[i], lambda, dir, hd);  // H_i p
      const double step = rr / dir.dot(hd);     // a = rᵀr / pᵀH p
      q += step * dir;
      r -= step * hd;
      const double rr_next = r.squaredNorm();
      dir = r + (rr_next / rr) * dir;  // p ← r + (r'ᵀr'/rᵀr) p
      rr = rr_next;
      ++steps;
    }
    out.hvp_count = std::max(out.hvp_count, steps);
    model::Vector grad_lambda(p.hyper_dim()), jq(p.hyper_dim());
    p.outer_gradient_lambda(z[i], lambda, grad_lambda);
    p.cross_vector(z[i], lambda, q, jq);
    out.v[i] = (grad_lambda - jq) / n;
  }
  out.jvp_count = 1;
  return out;
}

}  // namespace hyperpush::bilevel

// Baseline "local only": each agent's hyper-gradient of its own problem, as if it were alone,
//   (1/n) [∇_λ f_i − J_i H_i⁻¹ ∇_x f_i],
// with H_i⁻¹ applied by conjugate gradients on Hessian-vector products, truncated at the last
// iterate before a direction of non-positive curvature (an indefinite H_i, as a network's can be).
// No communication.
#include <algorithm>

#include "hyper_gradient_push.hpp"
#include "hyperpush/model/conjugate_gradient.hpp"

namespace hyperpush::bilevel {

HypergradientResult local_hypergradient(const AgentSet& agents, const std::vector<model::Vector>& z,
                                        double cg_tolerance, int cg_iterations) {
  const int d = agents.dim, n = agents.agents;
  const int iterations = cg_iterations > 0 ? cg_iterations : 10 * d;
  HypergradientResult out;
  out.v.resize(agents.local_count());
  for (int i = 0; i < agents.local_count(); ++i) {
    const auto& p = *agents.problems[i];
    const auto& lambda = agents.lambda[i];
    model::Vector b(d);
    p.outer_gradient_x(z[i], lambda, b);
    const auto hessian = [&](const model::Vector& v, model::Vector& hv) {
      hv.resize(d);
      p.hessian_vector(z[i], lambda, v, hv);
    };
    // Truncated at non-positive curvature: a network's H_i need not be positive definite.
    const model::CgResult q = model::conjugate_gradient(hessian, b, cg_tolerance, iterations,
                                                        model::NegativeCurvature::stop);
    out.hvp_count = std::max<std::int64_t>(out.hvp_count, q.iterations);
    model::Vector grad_lambda(p.hyper_dim()), jq(p.hyper_dim());
    p.outer_gradient_lambda(z[i], lambda, grad_lambda);
    p.cross_vector(z[i], lambda, q.v, jq);
    out.v[i] = (grad_lambda - jq) / n;
  }
  out.jvp_count = 1;
  return out;
}

}  // namespace hyperpush::bilevel

#include "neumann_recursion.hpp"

namespace hyperpush::bilevel {

HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const Averager& average) {
  const int local = agents.local_count(), d = agents.dim;
  const double inv_n = 1.0 / agents.agents;
  HypergradientResult out;
  std::vector<model::Vector> u(local, model::Vector(d));
  out.v.resize(local);
  model::Vector jw, hw(d);
  for (int i = 0; i < local; ++i) {
    const auto& p = *agents.problems[i];
    out.v[i].resize(p.hyper_dim());
    p.outer_gradient_x(z[i], agents.lambda[i], u[i]);           // u_i = ∇_x f_i
    u[i] *= inv_n;                                              //     · (1/n)
    p.outer_gradient_lambda(z[i], agents.lambda[i], out.v[i]);  // v_i = ∇_λ f_i
    out.v[i] *= inv_n;                                          //     · (1/n)
  }
  for (int m = 0; m < depth; ++m) {
    average(u);  // ŵ_i ≈ (1/n) Σ_j u_j
    for (int i = 0; i < local; ++i) {
      const auto& p = *agents.problems[i];
      jw.resize(p.hyper_dim());
      p.cross_vector(z[i], agents.lambda[i], u[i], jw);
      out.v[i] -= alpha[i] * jw;  // v_i ← v_i − α J_i ŵ_i
      p.hessian_vector(z[i], agents.lambda[i], u[i], hw);
      u[i] -= alpha[i] * hw;  // u_i ← ŵ_i − α H_i ŵ_i
    }
  }
  out.hvp_count = depth;
  out.jvp_count = depth;
  out.alpha = alpha.empty() ? 0.0 : alpha.front();
  return out;
}

}  // namespace hyperpush::bilevel

#include "neumann_recursion.hpp"

#include <algorithm>
#include <cmath>

namespace hyperpush::bilevel {
namespace {

// Growth of ‖ŵ_i‖ over its smallest value that counts as divergence. Push-sum's consensus error
// lets it wobble, never by this much; an α·λ_max of 2.1 reaches it in 25 steps.
constexpr double kNeumannGrowth = 10.0;

// One agent's watch over its averaged vectors ŵ_i (neumann_recursion.hpp).
class DivergenceWatch {
 public:
  // After step `step` (1-based): ŵ_i of that step and v_i after it.
  void check(int step, const model::Vector& w, const model::Vector& v, NeumannDivergence& out) {
    const double norm = w.norm(), rate = previous_ > 0 ? norm / previous_ : NAN;
    previous_ = norm;
    const bool finite = std::isfinite(norm) && std::isfinite(v.norm());
    if (finite && !(norm > kNeumannGrowth * smallest_)) {
      smallest_ = std::min(smallest_, norm);
      if (std::isfinite(rate)) last_rate_ = rate;
      return;
    }
    if (tripped_) return;
    tripped_ = true;
    if (out.step != 0 && out.step <= step) return;  // another local agent tripped first
    out.step = step;
    out.w_norm = norm;
    out.v_norm = v.norm();
    out.rate = std::isfinite(rate) ? rate : last_rate_;
  }

 private:
  double previous_ = 0, smallest_ = INFINITY, last_rate_ = NAN;
  bool tripped_ = false;
};

}  // namespace

HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const Averager& average) {
  const int local = agents.local_count(), d = agents.dim;
  const double inv_n = 1.0 / agents.agents;
  HypergradientResult out;
  std::vector<DivergenceWatch> watch(local);
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
      watch[i].check(m + 1, u[i], out.v[i], out.divergence);  // ŵ_i, v_i of the step before
      jw.resize(p.hyper_dim());
      p.cross_vector(z[i], agents.lambda[i], u[i], jw);
      out.v[i] -= alpha[i] * jw;  // v_i ← v_i − α J_i ŵ_i
      p.hessian_vector(z[i], agents.lambda[i], u[i], hw);
      u[i] -= alpha[i] * hw;  // u_i ← ŵ_i − α H_i ŵ_i
    }
  }
  out.alpha = alpha.empty() ? 0.0 : alpha.front();
  out.hvp_count = depth;
  out.jvp_count = depth;
  return out;
}

}  // namespace hyperpush::bilevel

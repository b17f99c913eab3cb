#include "neumann_recursion.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hyperpush::bilevel {
namespace {

// Growth of ‖ŵ_i‖ over its smallest value that counts as divergence at once. Push-sum's consensus
// error lets it wobble, never by this much.
constexpr double kNeumannGrowth = 10.0;
// A slower divergence (α·λ_max just above 2: the top mode alternates in sign and grows by
// |1 − α·λ_max| a step) flips the sign of v long before it grows tenfold. Once the top mode
// dominates, ‖ŵ‖ changes by that factor each step, so a growth rate over the second half of the
// recursion above this is divergence; a healthy recursion decays there (rate ≤ 1 − α·λ_min).
constexpr double kTailGrowth = 1.005;
constexpr int kTailMinDepth = 8;  // below it the tail is too short to read a rate off

// One agent's watch over its averaged vectors ŵ_i (neumann_recursion.hpp).
class DivergenceWatch {
 public:
  // After step `step` (1-based): ŵ_i of that step and v_i after it.
  void check(int step, const model::Vector& w, const model::Vector& v, NeumannDivergence& out) {
    const double norm = w.norm();
    const double rate = norms_.empty() ? NAN : norm / norms_.back();
    norms_.push_back(norm);
    const bool finite = std::isfinite(norm) && std::isfinite(v.norm());
    if (finite && !(norm > kNeumannGrowth * smallest_)) {
      smallest_ = std::min(smallest_, norm);
      if (std::isfinite(rate)) last_rate_ = rate;
      return;
    }
    trip(step, norm, v.norm(), std::isfinite(rate) ? rate : last_rate_, out);
  }

  // After the last step: the growth rate over the second half of the recursion.
  void finish(const model::Vector& v, NeumannDivergence& out) {
    const int steps = static_cast<int>(norms_.size());
    if (steps < kTailMinDepth || tripped_) return;
    const int half = steps / 2;
    const double rate = std::pow(norms_.back() / norms_[half - 1], 1.0 / (steps - half));
    if (rate > kTailGrowth) trip(steps, norms_.back(), v.norm(), rate, out);
  }

 private:
  void trip(int step, double w_norm, double v_norm, double rate, NeumannDivergence& out) {
    if (tripped_) return;
    tripped_ = true;
    if (out.step != 0 && out.step <= step) return;  // another local agent tripped first
    out.step = step;
    out.w_norm = w_norm;
    out.v_norm = v_norm;
    out.rate = rate;
  }

  std::vector<double> norms_;  // ‖ŵ_i‖ of steps 1, 2, ...
  double smallest_ = INFINITY, last_rate_ = NAN;
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
  for (int i = 0; i < local; ++i) watch[i].finish(out.v[i], out.divergence);
  out.alpha = alpha.empty() ? 0.0 : alpha.front();
  out.hvp_count = depth;
  out.jvp_count = depth;
  return out;
}

}  // namespace hyperpush::bilevel

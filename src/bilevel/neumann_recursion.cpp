#include "neumann_recursion.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/numeric.hpp"
#include "minibatches.hpp"

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
  DivergenceWatch() = default;
  // From what state() gave (a checkpoint); throws hyperpush::Error when it is not one.
  explicit DivergenceWatch(const std::vector<double>& state) {
    if (state.size() < kFixed) throw Error("checkpoint: a divergence watch of another shape");
    smallest_ = state[0];
    last_rate_ = state[1];
    tripped_ = state[2] != 0;
    trip_ = {static_cast<int>(state[3]), state[4], state[5], state[6]};
    norms_.assign(state.begin() + kFixed, state.end());
  }
  std::vector<double> state() const {
    std::vector<double> out{smallest_,          last_rate_,   tripped_ ? 1.0 : 0.0,
                            double(trip_.step), trip_.w_norm, trip_.v_norm,
                            trip_.rate};
    out.insert(out.end(), norms_.begin(), norms_.end());
    return out;
  }

  // After step `step` (1-based): ŵ_i of that step and v_i after it.
  void check(int step, const model::Vector& w, const model::Vector& v) {
    const double norm = w.norm();
    const double rate = norms_.empty() ? NAN : norm / norms_.back();
    norms_.push_back(norm);
    const bool finite = std::isfinite(norm) && std::isfinite(v.norm());
    if (finite && !(norm > kNeumannGrowth * smallest_)) {
      smallest_ = std::min(smallest_, norm);
      if (std::isfinite(rate)) last_rate_ = rate;
      return;
    }
    trip(step, norm, v.norm(), std::isfinite(rate) ? rate : last_rate_);
  }

  // After the last step: the growth rate over the second half of the recursion.
  void finish(const model::Vector& v) {
    const int steps = static_cast<int>(norms_.size());
    if (steps < kTailMinDepth || tripped_) return;
    const int half = steps / 2;
    const double rate = std::pow(norms_.back() / norms_[half - 1], 1.0 / (steps - half));
    if (rate > kTailGrowth) trip(steps, norms_.back(), v.norm(), rate);
  }

  // The first trip (step 0: none).
  const NeumannDivergence& tripped() const { return trip_; }

 private:
  static constexpr std::size_t kFixed = 7;  // state() before the norms

  void trip(int step, double w_norm, double v_norm, double rate) {
    if (tripped_) return;
    tripped_ = true;
    trip_ = {step, w_norm, v_norm, rate};
  }

  std::vector<double> norms_;  // ‖ŵ_i‖ of steps 1, 2, ...
  double smallest_ = INFINITY, last_rate_ = NAN;
  bool tripped_ = false;
  NeumannDivergence trip_;
};

// The Chebyshev coefficients of one agent (neumann_recursion.hpp), step after step.
class ChebyshevSteps {
 public:
  ChebyshevSteps(double mu, double alpha) {
    const double top = 1.0 / alpha;
    theta_ = (top + mu) / 2;
    delta_ = (top - mu) / 2;
    sigma_ = theta_ / delta_;
  }
  // From step `m` on: ρ_{m−1} replayed (O(m), once).
  void start_at(int m) {
    for (int k = 0; k < m; ++k) next();
  }
  // The next step's p ← keep·p + take·ŵ.
  std::pair<double, double> next() {
    const double before = rho_;
    rho_ = step_ == 0 ? 1 / sigma_ : 1 / (2 * sigma_ - rho_);
    return step_++ == 0 ? std::pair{0.0, 1 / theta_} : std::pair{rho_ * before, 2 * rho_ / delta_};
  }

 private:
  double theta_, delta_, sigma_, rho_ = 0;
  int step_ = 0;
};

}  // namespace

HypergradientResult neumann_recursion(const AgentSet& agents, const std::vector<model::Vector>& z,
                                      int depth, const std::vector<double>& alpha,
                                      const std::vector<double>& mu,
                                      const HypergradientOptions& minibatches,
                                      const Averager& average,
                                      const NeumannCheckpoints& checkpoints) {
  const int local = agents.local_count(), d = agents.dim;
  const double inv_n = 1.0 / agents.agents;
  NeumannState s;  // u_i, v_i, α_i
  const Minibatches batches(agents, minibatches);
  std::vector<DivergenceWatch> watch;
  if (checkpoints.from) {
    s = *checkpoints.from;
    for (const auto& state : s.watch) watch.emplace_back(state);
  } else {
    s.alpha = alpha;
    s.mu = mu;
    s.u.assign(local, model::Vector(d));
    if (!mu.empty()) s.direction.assign(local, model::Vector::Zero(d));
    s.v.resize(local);
    s.path.assign(checkpoints.record_path ? local : 0, {});
    watch.resize(local);
    for (int i = 0; i < local; ++i) {
      const auto& p = *agents.problems[i];
      batches.outer(i);
      s.v[i].resize(p.hyper_dim());
      p.outer_gradient_x(z[i], agents.lambda[i], s.u[i]);       // u_i = ∇_x f_i
      s.u[i] *= inv_n;                                          //     · (1/n)
      p.outer_gradient_lambda(z[i], agents.lambda[i], s.v[i]);  // v_i = ∇_λ f_i
      s.v[i] *= inv_n;                                          //     · (1/n)
    }
  }
  const auto state = [&] {
    s.watch.clear();
    for (const auto& w : watch) s.watch.push_back(w.state());
    return s;
  };
  const bool chebyshev = !s.mu.empty();
  std::vector<ChebyshevSteps> steps;
  for (std::size_t i = 0; chebyshev && i < s.mu.size(); ++i) {
    steps.emplace_back(s.mu[i], s.alpha[i]);
    steps.back().start_at(s.step);
  }
  model::Vector jw, hw(d);
  for (int m = s.step; m < depth; ++m) {
    if (m > s.step && checkpoints.at_step) {
      s.step = m;
      checkpoints.at_step(m, state);
    }
    average(s.u);  // ŵ_i ≈ (1/n) Σ_j u_j
    for (int i = 0; i < local; ++i) {
      const auto& p = *agents.problems[i];
      watch[i].check(m + 1, s.u[i], s.v[i]);  // ŵ_i, v_i of the step before
      batches.train(i, SampleUse::neumann_step, m);
      // The step p = scale·direction: neumann αŵ_i, chebyshev its p_i.
      const model::Vector* direction = &s.u[i];
      double scale = s.alpha[i];
      if (chebyshev) {
        const auto [keep, take] = steps[i].next();
        s.direction[i] = keep * s.direction[i] + take * s.u[i];
        direction = &s.direction[i];
        scale = 1;
      }
      jw.resize(p.hyper_dim());
      p.cross_vector(z[i], agents.lambda[i], *direction, jw);
      s.v[i] -= scale * jw;  // v_i ← v_i − J_i p
      p.hessian_vector(z[i], agents.lambda[i], *direction, hw);
      s.u[i] -= scale * hw;  // u_i ← ŵ_i − H_i p
      if (!s.path.empty()) s.path[i].insert(s.path[i].end(), s.v[i].begin(), s.v[i].end());
    }
  }
  HypergradientResult out;
  for (int i = 0; i < local; ++i) {
    watch[i].finish(s.v[i]);
    // The earliest step over the local agents, and the largest figures of the agents that tripped
    // at it (whichever agent comes first, so the report does not depend on the rank count).
    const NeumannDivergence& trip = watch[i].tripped();
    NeumannDivergence& first = out.divergence;
    if (trip.step == 0) continue;
    if (first.step == 0 || trip.step < first.step) {
      first = trip;
    } else if (trip.step == first.step) {
      first.w_norm = nan_max(first.w_norm, trip.w_norm);
      first.v_norm = nan_max(first.v_norm, trip.v_norm);
      first.rate = nan_max(first.rate, trip.rate);
    }
  }
  out.v = std::move(s.v);
  out.path = std::move(s.path);
  out.alpha = s.alpha.empty() ? 0.0 : s.alpha.front();
  out.mu = s.mu.empty() ? 0.0 : s.mu.front();
  out.hvp_count = depth;
  out.jvp_count = depth;
  return out;
}

}  // namespace hyperpush::bilevel

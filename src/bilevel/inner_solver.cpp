#include "hyperpush/bilevel/inner_solver.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "hyperpush/comm/gather.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::bilevel {
namespace {

// The automatic step is fraction / L (inner_solver.hpp). On symmetric rounds push-DIGing is stable
// up to α·L ≈ 1 on every kind and problem measured (identical Hessians are the worst case), so half
// of that. One-way edges give the mixing matrix complex eigenvalues near 1, whose bound shrinks
// with the mixing rate ρ; over all of them it is 4(1 − ρ)² (a directed ring: about (1 − ρ)^{3/2},
// and ρ = cos(π/n)), so half of that.
constexpr double kStepFraction = 0.5;
double step_fraction(double mixing_rate, bool symmetric) {
  if (symmetric) return kStepFraction;
  return std::min(kStepFraction, 2 * (1 - mixing_rate) * (1 - mixing_rate));
}

// K = 0: the K that minimises K / f(ρ^K) (inner_solver.hpp). Past ⌈ln ½ / ln ρ⌉ rounds f is 0.5
// and more rounds only cost.
int automatic_mixing_rounds(double rate, bool symmetric) {
  if (symmetric || rate <= 0.5) return 1;
  const int most = static_cast<int>(std::ceil(std::log(0.5) / std::log(rate)));
  int best = 1;
  for (int k = 2; k <= most; ++k)
    if (k / step_fraction(std::pow(rate, k), false) <
        best / step_fraction(std::pow(rate, best), false))
      best = k;
  return best;
}
// The solver's mixing channel (consensus/gossip.hpp): see InnerSolver::start.
constexpr int kInnerChannel = 1;
// Growth of the residual over its smallest value in a solve that counts as divergence: gradient
// tracking overshoots by a few times at most before it contracts.
constexpr double kInnerGrowth = 1e3;
// A solve stops as stalled once max(‖Σ∇g(z̄)‖, consensus error) has not fallen by 1% in this many
// checks: with many agents its floating-point floor can lie above inner.tolerance (10,000 agents,
// d = 101: 3.3e-10, where it would otherwise run all its 120,000 rounds for nothing). A sublinear
// solver (sgp) still gains 1% within a few checks.
constexpr int kStallChecks = 20;

std::vector<double> rows_of(const std::vector<model::Vector>& vectors, int width) {
  std::vector<double> rows(vectors.size() * width);
  for (std::size_t i = 0; i < vectors.size(); ++i)
    std::copy(vectors[i].data(), vectors[i].data() + width, rows.begin() + i * width);
  return rows;
}

}  // namespace

int mixing_rounds(const InnerOptions& options) {
  if (options.method == InnerMethod::exact) return 1;
  if (options.mixing_rounds > 0) return options.mixing_rounds;
  return automatic_mixing_rounds(options.mixing_rate, options.symmetric_schedule);
}

InnerReport inner_diagnostics(consensus::Gossip& gossip, const AgentSet& agents,
                              const std::vector<model::Vector>& z) {
  const int d = agents.dim, n = agents.agents;
  const auto all = comm::allgather_agents(gossip.comm(), gossip.map(), rows_of(z, d), d);
  const auto sum = comm::sum_in_agent_order(all, n, d);
  model::Vector mean = Eigen::Map<const model::Vector>(sum.data(), d) / n;  // z̄
  InnerReport report;
  for (int i = 0; i < n; ++i)
    report.consensus_error = std::max(
        report.consensus_error,
        (Eigen::Map<const model::Vector>(all.data() + std::size_t(i) * d, d) - mean).norm());
  std::vector<model::Vector> gradients(agents.local_count(), model::Vector(d));
  for (int i = 0; i < agents.local_count(); ++i)
    agents.problems[i]->inner_gradient(mean, agents.lambda[i], gradients[i]);  // ∇g_i(z̄)
  const auto gathered =
      comm::allgather_agents(gossip.comm(), gossip.map(), rows_of(gradients, d), d);
  const auto total = comm::sum_in_agent_order(gathered, n, d);  // Σ_i ∇g_i(z̄)
  report.gradient_norm = Eigen::Map<const model::Vector>(total.data(), d).norm();
  return report;
}

InnerSolver::InnerSolver(consensus::Gossip& gossip, const AgentSet& agents,
                         const InnerOptions& options)
    : gossip_(gossip),
      agents_(agents),
      options_(options),
      mixing_rounds_(mixing_rounds(options)),
      steps_(options.rounds > 0 ? std::max<std::int64_t>(1, options.rounds / mixing_rounds_)
                                : kDefaultSteps),
      z_(agents.local_count(), model::Vector::Zero(agents.dim)) {}

std::vector<std::vector<double>> InnerSolver::agent_state(int local) const {
  const auto as_list = [](const model::Vector& v) {
    return std::vector<double>(v.data(), v.data() + v.size());
  };
  std::vector<std::vector<double>> state{as_list(z_[local]), {}, {}};
  if (mixing_) {
    state[1] = mixing_->agent_state(local);
    if (!gradient_.empty()) state[2] = as_list(gradient_[local]);
  }
  return state;
}

void InnerSolver::restore_agent(int local, const std::vector<std::vector<double>>& state) {
  const auto vector = [](const std::vector<double>& v) {
    return model::Vector(
        Eigen::Map<const model::Vector>(v.data(), static_cast<Eigen::Index>(v.size())));
  };
  if (state.at(0).size() != static_cast<std::size_t>(agents_.dim) ||
      (mixing_ && state.at(1).size() != static_cast<std::size_t>(mixing_->width())))
    throw Error("checkpoint: an inner-solver state of another shape (model or solver changed)");
  z_[local] = vector(state[0]);
  if (!mixing_) return;
  mixing_->restore_agent(local, state[1]);
  if (!state[2].empty()) gradient_[local] = vector(state[2]);
}

std::vector<double> InnerSolver::counters() const {
  const int width = z_.empty() || !mixing_ ? 0 : mixing_->width();
  return {static_cast<double>(clock_), mixing_ ? 1.0 : 0.0, static_cast<double>(width),
          gradient_.empty() ? 0.0 : 1.0};
}

void InnerSolver::restore_counters(const std::vector<double>& counters) {
  clock_ = static_cast<std::int64_t>(counters.at(0));
  mixing_.reset();
  if (counters.at(1) == 0) return;
  start(static_cast<int>(counters.at(2)));
  if (counters.at(3) != 0) gradient_.assign(z_.size(), model::Vector(agents_.dim));
}

void InnerSolver::start(int width) {
  // The state lives across solves (warm start): in robust mode its running sums must too, so it
  // mixes on a channel of its own.
  mixing_.emplace(gossip_.vector_exchange(width, kInnerChannel));
}

Eigen::Map<model::Vector> InnerSolver::block(int local, consensus::Block part) {
  return {mixing_->value(local, part), part.size};
}

InnerReport InnerSolver::diagnose() const { return inner_diagnostics(gossip_, agents_, z_); }

bool InnerSolver::converged(std::int64_t t, bool last, InnerReport& report) {
  report.rounds = t;
  if (t < next_check_ && !last) return false;
  while (next_check_ <= t) next_check_ += options_.check_every;
  const InnerReport now = diagnose();
  report.consensus_error = now.consensus_error;
  report.gradient_norm = now.gradient_norm;
  report.converged =
      now.gradient_norm <= options_.tolerance && now.consensus_error <= options_.tolerance;
  const bool finite = std::isfinite(now.gradient_norm) && std::isfinite(now.consensus_error);
  if (!finite || now.gradient_norm > kInnerGrowth * smallest_residual_) {
    char smallest[48] = "";
    if (std::isfinite(smallest_residual_))
      std::snprintf(smallest, sizeof smallest, ", its smallest %.3g", smallest_residual_);
    // Lost messages take mass out of plain push-sum's mixing: then the step is not the cause.
    const comm::ExchangeOptions& comm = gossip_.options();
    char cause[160];
    if (comm.drop > 0 && !comm.robust)
      std::snprintf(cause, sizeof cause,
                    "messages are lost (faults.drop = %g) and plain push-sum loses their mass; "
                    "set consensus.robust = true",
                    comm.drop);
    else if (comm.compress.enabled())
      std::snprintf(cause, sizeof cause,
                    "its step %.3g or consensus.compress_step %g is too large for push-sum "
                    "compressed by %s; lower one",
                    step_, comm.compress.step, comm::compression_name(comm.compress).c_str());
    else
      std::snprintf(cause, sizeof cause,
                    "its step %.3g is too large for this schedule; lower inner.step", step_);
    char what[400];
    std::snprintf(what, sizeof what,
                  "inner solver %s diverged at round %lld of %lld (‖Σ∇g(z̄)‖ = %.3g%s, consensus "
                  "error %.3g): %s",
                  inner_method_names()[static_cast<int>(options_.method)].c_str(),
                  static_cast<long long>(t), static_cast<long long>(steps_ * mixing_rounds_),
                  now.gradient_norm, smallest, now.consensus_error, cause);
    throw Divergence(what);
  }
  smallest_residual_ = std::min(smallest_residual_, now.gradient_norm);
  const double progress = std::max(now.gradient_norm, now.consensus_error);
  if (progress < 0.99 * stall_mark_) {
    stall_mark_ = progress;
    checks_since_mark_ = 0;
  } else {
    ++checks_since_mark_;
  }
  report.stalled = !report.converged && checks_since_mark_ >= kStallChecks;
  if (options_.on_check) options_.on_check(report, steps_ * mixing_rounds_);
  return report.converged || report.stalled;
}

double InnerSolver::automatic_step() {
  // L_i ≈ λ_max(H_i(z_i)) by 30 local power iterations; L = max_i L_i (gathered, one number each).
  const int d = agents_.dim;
  std::vector<double> local(agents_.local_count());
  model::Vector q(d), hq(d);
  for (int i = 0; i < agents_.local_count(); ++i) {
    for (int k = 0; k < d; ++k) q[k] = random_normal(1, Purpose::power_iteration, k, 0, 0);
    q.normalize();
    double estimate = 0;
    for (int it = 0; it < 30; ++it) {
      agents_.problems[i]->hessian_vector(z_[i], agents_.lambda[i], q, hq);
      estimate = hq.norm();
      q = hq / estimate;
    }
    local[i] = estimate;
  }
  const auto all = comm::allgather_agents(gossip_.comm(), gossip_.map(), local, 1);
  return step_fraction(std::pow(options_.mixing_rate, mixing_rounds_),
                       options_.symmetric_schedule) /
         *std::max_element(all.begin(), all.end());
}

void InnerSolver::mix() {
  for (int r = 0; r < mixing_rounds_; ++r) mixing_->round(gossip_.next_round());
}

InnerReport InnerSolver::solve() {
  const consensus::Gossip::Phase phase(gossip_, "inner solve");
  smallest_residual_ = INFINITY;
  stall_mark_ = INFINITY;
  checks_since_mark_ = 0;
  next_check_ = options_.check_every;
  if (options_.method == InnerMethod::exact) return newton();
  // L_i moves with λ_i, so the automatic step is taken anew at every solve (a warm start stays
  // valid: push-DIGing's fixed point does not depend on the step).
  step_ = options_.step > 0 ? options_.step : automatic_step();
  if (options_.method == InnerMethod::push_diging) return push_diging();
  return gradient_push(options_.method == InnerMethod::sgp);
}

InnerReport InnerSolver::newton() {
  // x ← x − [Σ_i H_i(x)]⁻¹ Σ_i ∇g_i(x), sums gathered in agent order (every rank the same x).
  const int d = agents_.dim, n = agents_.agents, local = agents_.local_count();
  if (static_cast<double>(n) * d * d > 5e7)
    throw Error("inner.solver = \"exact\": " + std::to_string(n) +
                    " agents × d² = " + std::to_string(d) +
                    "² is too large to gather (limit 5e7 numbers); use " + "push-diging",
                kExitBadInput, true);  // the same on every rank: one line
  // A rank without agents still takes part in the gathers (with no rows).
  model::Vector x = z_.empty() ? model::Vector::Zero(d) : model::Vector(z_.front());
  const int width = d * d + d;
  std::vector<double> rows(static_cast<std::size_t>(local) * width);
  InnerReport report;
  double first_norm = -1;
  bool at_rounding_level = false;
  for (std::int64_t step = 0; step < steps_; ++step) {
    for (int i = 0; i < local; ++i) {
      double* row = rows.data() + std::size_t(i) * width;
      Eigen::Map<model::Vector> grad(row, d);
      agents_.problems[i]->inner_gradient(x, agents_.lambda[i], grad);
      Eigen::Map<model::Matrix>(row + d, d, d) = agents_.problems[i]->hessian(x, agents_.lambda[i]);
    }
    const auto sum = comm::sum_in_agent_order(
        comm::allgather_agents(gossip_.comm(), gossip_.map(), rows, width), n, width);
    const Eigen::Map<const model::Vector> grad(sum.data(), d);
    const Eigen::Map<const model::Matrix> hessian(sum.data() + d, d, d);
    const double norm = grad.norm();
    if (first_norm < 0) first_norm = norm;
    report.rounds = step;
    // Quadratic convergence: stop at the tolerance or once progress is at rounding level.
    at_rounding_level = norm <= 1e-15 * std::max(1.0, first_norm);
    if (norm <= options_.tolerance * 1e-3 || at_rounding_level) break;
    x -= hessian.ldlt().solve(grad);
  }
  for (auto& z : z_) z = x;
  const InnerReport final = diagnose();
  report.consensus_error = final.consensus_error;
  report.gradient_norm = final.gradient_norm;
  report.converged = at_rounding_level || (final.gradient_norm <= options_.tolerance &&
                                           final.consensus_error <= options_.tolerance);
  if (!std::isfinite(final.gradient_norm))
    throw Divergence("inner solver exact: Newton's iterate is not finite after " +
                     std::to_string(report.rounds) +
                     " steps (Σ_i H_i singular or the problem unbounded)");
  return report;
}

InnerReport InnerSolver::push_diging() {
  const int d = agents_.dim, local = agents_.local_count();
  consensus::MessageLayout message;  // u | y | v (the push-sum weight): 2d + 1 numbers
  const consensus::Block u = message.add(d), y = message.add(d);
  if (!mixing_) {  // u = x(0) = z, v = 1, y = ∇g(x(0))
    start(message.width());
    gradient_.assign(local, model::Vector(d));
    for (int i = 0; i < local; ++i) {
      agents_.problems[i]->inner_gradient(z_[i], agents_.lambda[i], gradient_[i]);
      block(i, u) = z_[i];
      block(i, y) = gradient_[i];
    }
  } else {  // λ changed since the last solve: keep Σ_i y_i = Σ_i ∇g_i(x_i) true
    model::Vector now(d);
    for (int i = 0; i < local; ++i) {
      agents_.problems[i]->inner_gradient(z_[i], agents_.lambda[i], now);
      block(i, y) += now - gradient_[i];
      gradient_[i] = now;
    }
  }
  InnerReport report;
  model::Vector fresh(d);
  for (std::int64_t step = 1; step <= steps_; ++step) {
    for (int i = 0; i < local; ++i) block(i, u) -= step_ * block(i, y);  // send u − α y, y and v
    mix();  // u ← C(u − αy), y ← C y, v ← C v
    for (int i = 0; i < local; ++i) {
      mixing_->estimate(i, u, z_[i].data());  // x = u / v
      agents_.problems[i]->inner_gradient(z_[i], agents_.lambda[i], fresh);
      block(i, y) += fresh - gradient_[i];  // y += ∇g(x_new) − ∇g(x_old)
      gradient_[i] = fresh;
    }
    ++clock_;
    if (converged(step * mixing_rounds_, step == steps_, report)) break;
  }
  return report;
}

InnerReport InnerSolver::gradient_push(bool sgp) {
  const int d = agents_.dim, local = agents_.local_count();
  consensus::MessageLayout message;  // x | ω: d + 1 numbers
  const consensus::Block x = message.add(d);
  if (!mixing_) {  // x(0) = z, ω = 1
    start(message.width());
    for (int i = 0; i < local; ++i) block(i, x) = z_[i];
  }
  InnerReport report;
  model::Vector grad(d);
  for (std::int64_t step = 1; step <= steps_; ++step) {
    const double eta = step_ / std::sqrt(1.0 + static_cast<double>(clock_));  // η_t
    if (sgp) {  // send x_k − η ∇g_k(z_k)
      for (int i = 0; i < local; ++i) {
        agents_.problems[i]->inner_gradient(z_[i], agents_.lambda[i], grad);
        block(i, x) -= eta * grad;
      }
    }
    mix();  // x ← Σ p x, ω ← Σ p ω
    for (int i = 0; i < local; ++i) {
      mixing_->estimate(i, x, z_[i].data());  // z = x / ω
      if (!sgp) {                             // x ← x − η ∇g_i(z_i)
        agents_.problems[i]->inner_gradient(z_[i], agents_.lambda[i], grad);
        block(i, x) -= eta * grad;
      }
    }
    ++clock_;
    if (converged(step * mixing_rounds_, step == steps_, report)) break;
  }
  return report;
}

}  // namespace hyperpush::bilevel

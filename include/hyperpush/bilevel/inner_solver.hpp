#pragma once
// Inner solvers for x*(λ) = argmin_x Σ_i g_i(x, λ_i) over the run's schedule (specs/hgp.md, "Inner
// problem"). Each agent ends with its own z_i ≈ x*; solve() continues from the previous solution
// (warm start across outer steps).
//   exact          Newton on the gathered Σ g_i (dense; small d): z_i = x* to machine precision.
//   sgp            stochastic gradient push (Assran et al. 2019), full-batch:
//                  x_i ← Σ_k p_ik (x_k − η_t ∇g_k(z_k)),  ω_i ← Σ_k p_ik ω_k,  z_i = x_i / ω_i
//   gradient-push  Nedić–Olshevsky: x_i ← Σ_k p_ik x_k − η_t ∇g_i(z_i) (after the mixing)
//   push-diging    Nedić–Olshevsky–Shi (2017), linear convergence on time-varying digraphs:
//                  u ← C(u − α y), v ← C v, x = u / v, y ← C y + ∇g(x_new) − ∇g(x_old)
// η_t = step / sqrt(1 + t) for sgp and gradient-push (sublinear); push-diging uses the constant α =
// step. Each gradient step mixes K times (the K rounds' product is the step's mixing matrix, again
// column-stochastic: the methods are unchanged, on a schedule mixing as ρ^K).
// step = 0 picks, at every solve, f(ρ^K) / max_i L_i, with L_i a local power-iteration estimate of
// λ_max(H_i) at the current z_i and λ_i (gathered: one number per agent) and f = 0.5 on symmetric
// schedules, f(r) = min(0.5, 2(1 − r)²) on directed ones (ρ: the schedule's long-run mixing rate,
// graph/mixing_rate.hpp): one-way edges make the bound shrink with ρ.
// K = 0 picks 1 on symmetric schedules and, on directed ones, the K ≤ ⌈ln ½ / ln ρ⌉ that minimises
// K / f(ρ^K): the rounds a solve needs per unit of progress, its steps being ∝ 1 / f. On a directed
// ring (ρ = cos(π/n)) that turns ~(1 − ρ)⁻² rounds into ~(1 − ρ)⁻¹.
// Divergence: a residual ‖Σ_i ∇g_i(z̄)‖ or consensus error that is not finite, or a residual grown
// kInnerGrowth-fold over its smallest value in the solve, throws hyperpush::Divergence (collective:
// every rank checks the same gathered figures) naming the solver, the round and the step.
// Messages: d + 1 numbers (sgp, gradient-push), 2d + 1 (push-diging), per out-edge per round.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/consensus/push_sum.hpp"

namespace hyperpush::bilevel {

enum class InnerMethod { exact, sgp, gradient_push, push_diging };

// Gradient (or Newton) steps per solve when InnerOptions::rounds is 0.
constexpr std::int64_t kDefaultSteps = 20000;

// The solvers' names in configs and messages, indexed by the enum ("exact", "sgp", ...;
// method_names.cpp).
const std::vector<std::string>& inner_method_names();

struct InnerReport;

struct InnerOptions {
  InnerMethod method = InnerMethod::push_diging;
  // At most this many rounds (Newton steps for exact) per solve; 0 = kDefaultSteps gradient steps.
  std::int64_t rounds = 0;
  int mixing_rounds = 1;  // K: rounds per gradient step; 0 = automatic (see above)
  double step = 0.0;      // 0 = automatic (see above)
  double tolerance = 1e-10;  // stop once ‖Σ_i ∇g_i(z̄)‖ and max_i ‖z_i − z̄‖ are both below it
  int check_every = 50;  // rounds between stopping checks (each gathers z: collective)
  // For the automatic step and K: the schedule's mixing rate and symmetry
  // (graph::estimate_mixing_rate).
  double mixing_rate = 0.0;
  bool symmetric_schedule = false;
  // Called after every stopping check with the figures so far and the round limit (progress).
  std::function<void(const InnerReport&, std::int64_t)> on_check;
};

// K resolved: options.mixing_rounds, or the automatic choice (1 for exact).
int mixing_rounds(const InnerOptions& options);

struct InnerReport {
  std::int64_t rounds = 0;       // rounds (or Newton steps) this solve used
  double consensus_error = 0.0;  // max_i ‖z_i − z̄‖, z̄ the mean in agent order
  double gradient_norm = 0.0;    // ‖Σ_i ∇_x g_i(z̄, λ_i)‖
  bool converged = false;        // both figures ≤ the tolerance at the end of the solve
  // Ended early, unconverged: the larger of the two figures fell by less than 1% over the last
  // kStallChecks checks (it sits at its floating-point floor, above the tolerance).
  bool stalled = false;
};

class InnerSolver {
 public:
  InnerSolver(consensus::Gossip& gossip, const AgentSet& agents, const InnerOptions& options);

  InnerReport solve();
  // z_i of every local agent.
  const std::vector<model::Vector>& z() const { return z_; }

  // The state a warm start depends on, for checkpoints: per local agent z_i, its push-sum row and
  // (push-diging) ∇g_i at x_i; and the solver's counters. restore_* take what the getters gave,
  // on any rank count (the agent's state travels with the agent).
  std::vector<std::vector<double>> agent_state(int local) const;
  void restore_agent(int local, const std::vector<std::vector<double>>& state);
  std::vector<double> counters() const;
  void restore_counters(const std::vector<double>& counters);

 private:
  InnerReport newton();
  InnerReport push_diging();
  InnerReport gradient_push(bool sgp);
  double automatic_step();
  // The solver's push-sum state, first made (or restored) with messages of `width` numbers.
  void start(int width);
  // One gradient step's mixing: K push-sum rounds of every block of the message.
  void mix();
  // One named vector of local agent `local`'s message.
  Eigen::Map<model::Vector> block(int local, consensus::Block part);
  // The diagnostics of the current z_ (collective).
  InnerReport diagnose() const;
  // After round t: records t, and once check_every more rounds have passed (and at the last step)
  // the diagnostics; true once both are below the tolerance.
  // Throws hyperpush::Divergence (see above).
  bool converged(std::int64_t t, bool last, InnerReport& report);

  consensus::Gossip& gossip_;
  const AgentSet& agents_;
  InnerOptions options_;
  int mixing_rounds_ = 1;
  std::int64_t steps_ = 1;  // gradient (Newton) steps per solve, at most
  double step_ = 0.0;
  double smallest_residual_ = 0.0;  // over this solve's checks
  double stall_mark_ = 0.0;         // max(residual, consensus error) when it last fell by 1%
  int checks_since_mark_ = 0;
  std::int64_t next_check_ = 0;  // the round of this solve's next check
  std::int64_t clock_ = 0;       // gradient steps done over all solves (for η_t)
  std::vector<model::Vector> z_;
  // The push-sum state of the local agents, kept for warm starts (made by the first solve).
  std::optional<consensus::PushSumAverage> mixing_;
  std::vector<model::Vector> gradient_;  // ∇g_i at the last x_i (push-diging)
};

// The diagnostics of any z (collective).
InnerReport inner_diagnostics(consensus::Gossip& gossip, const AgentSet& agents,
                              const std::vector<model::Vector>& z);

}  // namespace hyperpush::bilevel

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
// step. step = 0 picks, at every solve, f / max_i L_i, with L_i a local power-iteration estimate of
// λ_max(H_i) at the current z_i and λ_i (gathered: one number per agent) and f = 0.5 on symmetric
// schedules, min(0.5, 2(1 − ρ)²) on directed ones (ρ: the schedule's long-run mixing rate,
// graph/mixing_rate.hpp): one-way edges make the bound shrink with ρ.
// Divergence: a residual ‖Σ_i ∇g_i(z̄)‖ or consensus error that is not finite, or a residual grown
// kInnerGrowth-fold over its smallest value in the solve, throws hyperpush::Divergence (collective:
// every rank checks the same gathered figures) naming the solver, the round and the step.
// Messages: d + 1 numbers (sgp, gradient-push), 2d + 1 (push-diging), per out-edge per round.
#include <cstdint>
#include <string>
#include <vector>

#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::bilevel {

enum class InnerMethod { exact, sgp, gradient_push, push_diging };

InnerMethod inner_method(const std::string& name);
const std::vector<std::string>& inner_method_names();

struct InnerOptions {
  InnerMethod method = InnerMethod::push_diging;
  std::int64_t rounds = 2000;  // at most this many rounds (Newton steps for exact) per solve
  double step = 0.0;           // 0 = automatic (see above)
  double tolerance = 1e-10;  // stop once ‖Σ_i ∇g_i(z̄)‖ and max_i ‖z_i − z̄‖ are both below it
  int check_every = 50;  // rounds between stopping checks (each gathers z: collective)
  // For the automatic step: the schedule's mixing rate and symmetry (graph::estimate_mixing_rate).
  double mixing_rate = 0.0;
  bool symmetric_schedule = false;
};

struct InnerReport {
  std::int64_t rounds = 0;       // rounds (or Newton steps) this solve used
  double consensus_error = 0.0;  // max_i ‖z_i − z̄‖, z̄ the mean in agent order
  double gradient_norm = 0.0;    // ‖Σ_i ∇_x g_i(z̄, λ_i)‖
  bool converged = false;        // both figures ≤ the tolerance at the end of the solve
};

class InnerSolver {
 public:
  InnerSolver(consensus::Gossip& gossip, const AgentSet& agents, const InnerOptions& options);

  InnerReport solve();
  // z_i of every local agent.
  const std::vector<model::Vector>& z() const { return z_; }

 private:
  InnerReport newton();
  InnerReport push_diging();
  InnerReport gradient_push(bool sgp);
  double automatic_step();
  // The diagnostics of the current z_ (collective).
  InnerReport diagnose() const;
  // After round t: records t, and every check_every rounds (and at the last) the diagnostics;
  // true once both are below the tolerance.
  // Throws hyperpush::Divergence (see above).
  bool converged(std::int64_t t, InnerReport& report);

  consensus::Gossip& gossip_;
  const AgentSet& agents_;
  InnerOptions options_;
  double step_ = 0.0;
  double smallest_residual_ = 0.0;  // over this solve's checks
  std::int64_t clock_ = 0;          // rounds done over all solves (for η_t)
  std::vector<model::Vector> z_;
  // Push-sum states, one row per local agent, kept for warm starts.
  std::vector<double> state_, next_;
  std::vector<model::Vector> gradient_;  // ∇g_i at the last x_i (push-diging)
  bool started_ = false;
};

// The diagnostics of any z (collective).
InnerReport inner_diagnostics(consensus::Gossip& gossip, const AgentSet& agents,
                              const std::vector<model::Vector>& z);

}  // namespace hyperpush::bilevel

#pragma once
// The bilevel tasks' set-up from a config: the rank's agents (problems and λ_i) and the options of
// the inner solver and the hyper-gradient estimator.
#include <nlohmann/json.hpp>
#include <string>

#include "hyperpush/app/progress.hpp"
#include "hyperpush/app/settings.hpp"
#include "hyperpush/bilevel/agent_set.hpp"
#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/data/partition.hpp"

namespace hyperpush::app {

// [problem] kind = "quadratic": the agents of problem.file. kind = "model": a [model] on [data]:
// every rank reads the data set, deals it to the n agents (data.partition, seeded), keeps its own
// agents' shards and splits each into train / validation / test; with data.standardize the feature
// moments are averaged by push-sum over the schedule (the only data-derived numbers that travel).
// Collective (push-sum rounds); throws hyperpush::Error on bad inputs.
// `parts`, when given, receives the local agents' (standardized) train / validation / test data
// (empty for quadratic problems).
bilevel::AgentSet build_agents(const Settings& settings, consensus::Gossip& gossip,
                               std::vector<data::AgentSplit>* parts = nullptr);

// The [inner] section; with inner.step = 0 or inner.mixing_rounds = 0 it measures the schedule's
// mixing rate for the automatic choice (graph/mixing_rate.hpp: the same on every rank, no
// communication).
bilevel::InnerOptions inner_options(const InnerConfig& config, graph::Schedule& schedule);

// `options` whose solves report their progress as "<what>: r/limit rounds, ‖Σ∇g(z̄)‖ = …" (a
// long solve shows life; `progress` prints at most a line a second, on rank 0). `what` is read at
// every report: it must outlive the solves, and may change between them.
bilevel::InnerOptions with_progress(bilevel::InnerOptions options, Progress& progress,
                                    const std::string& what);

// The record of a run's inner solves: the worst residual, consensus error and rounds, and whether
// every solve reached inner.tolerance. A solve that did not stops the run with
// hyperpush::Divergence under inner.require_convergence, else finish() prints one warning line.
class InnerConvergence {
 public:
  explicit InnerConvergence(const InnerConfig& config);
  // `where`: "outer step 3" and the like, for the messages.
  void record(const bilevel::InnerReport& report, const std::string& where);
  bool converged() const { return unconverged_ == 0; }
  double worst_residual() const { return worst_residual_; }
  double worst_consensus_error() const { return worst_consensus_; }
  std::int64_t most_rounds() const { return most_rounds_; }
  // The warning line (on rank 0) when a solve did not converge; `whose` names the run it is about
  // ("local-only baseline"), empty for the run itself.
  void finish(int rank, const std::string& whose = "") const;
  // The record so far, for checkpoints.
  nlohmann::json state() const;
  void restore(const nlohmann::json& state);

 private:
  std::string describe(const bilevel::InnerReport& report) const;
  std::string remedy() const;  // what to change, for the messages

  bilevel::InnerMethod method_;
  double tolerance_;
  bool required_;
  int solves_ = 0, unconverged_ = 0, stalled_ = 0;
  double worst_residual_ = 0, worst_consensus_ = 0;
  std::int64_t most_rounds_ = 0;
};
// The schedule's B (from the pre-run check) sets the max-consensus rounds that make α agree.
bilevel::HypergradientOptions hypergradient_options(const Settings& settings, std::int64_t b);

}  // namespace hyperpush::app

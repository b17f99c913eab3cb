#pragma once
// Asynchronous push-sum (consensus.mode = async; Assran & Rabbat, "Asynchronous gradient push",
// IEEE TAC 2021). Each rank runs its agents' rounds at its own pace over its own round count t:
// agent i keeps p_ii (w_i, ω_i), adds p_ji (w_i, ω_i) into the inbox of every other j ∈ O_i(t)
// (comm::Mailbox, one-sided), then adds to its state whatever its inbox holds by then. No rank
// waits for another, so a straggler slows only the agents it feeds.
//
// Mass is conserved: every share sent is taken exactly once (Σ_i w_i and Σ_i ω_i only move
// between agents and inboxes), so w_i/ω_i still tends to the exact average on a B-strongly
// connected schedule with bounded delays. What arrives when depends on timing: the bits are not
// reproducible from run to run, nor across rank counts. On one rank it is push-sum itself.
// Cost per round: one MPI_Accumulate of d + 1 numbers per remote out-edge, one take of the local
// inboxes; same-rank edges are added in place.
#include <cstdint>
#include <functional>
#include <vector>

#include "hyperpush/comm/mailbox.hpp"
#include "hyperpush/graph/digraph.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::consensus {

class AsyncPushSum {
 public:
  // A mailbox of width d + 1 carries one agent's (w_i, ω_i); ω_i(0) = 1.
  explicit AsyncPushSum(comm::Mailbox& mailbox);

  int dim() const { return dim_; }
  int local_count() const { return mailbox_.local_count(); }

  // w_i of local agent `local` (dim() numbers), to set before the first round.
  double* value(int local) { return state_.data() + row(local); }
  const double* value(int local) const { return state_.data() + row(local); }
  double weight(int local) const { return state_[row(local) + dim_]; }
  // out = w_i / ω_i.
  void estimate(int local, double* out) const;

  // One round of this rank's agents over G(t); never waits for another rank.
  void round(const graph::Digraph& g);
  // Collective, after every rank's last round: the mass still in inboxes is taken, so the agents
  // together hold exactly what they started with.
  void drain();

  // Collective: rounds 0, 1, ... over the schedule, `rounds` at least and on until every rank has
  // done `rounds` (a fast rank keeps mixing while a straggler catches up), then drain(). Calls
  // after_round(t + 1) after round t. Returns the rounds this rank ran.
  std::int64_t run(graph::Schedule& schedule, std::int64_t rounds,
                   const std::function<void(std::int64_t)>& after_round = {});

  // Logical agent-to-agent traffic of local agent `local` (self-loops are not traffic).
  const comm::AgentTraffic& traffic(int local) const { return traffic_[local]; }

 private:
  std::size_t row(int local) const { return static_cast<std::size_t>(local) * (dim_ + 1); }

  comm::Mailbox& mailbox_;
  int dim_;
  std::vector<double> state_, shares_;  // local agents × (w_i, ω_i); p_i (w_i, ω_i) being sent
  std::vector<comm::AgentTraffic> traffic_;
};

}  // namespace hyperpush::consensus

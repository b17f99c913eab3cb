#pragma once
// Push-sum averaging (Kempe, Dobra, Gehrke 2003; specs/hgp.md, "Push-sum averaging").
//
// Agent i holds (w_i, ω_i), ω_i(0) = 1. One round over G(t):
//   send (p_ji w_i, p_ji ω_i) to every j ∈ O_i(t), p_ji = 1/|O_i(t)|;  (w_i, ω_i) ← Σ received
// and w_i/ω_i → (1/n) Σ_j w_j(0) when the schedule is B-strongly connected. Division happens only
// when an estimate is read, never inside the mixing.
// Cost per round: (d + 1) numbers per out-edge; one Exchange::push (one MPI message per peer rank).
// Under message loss, plain push-sum loses the lost messages' mass (biased); with the exchange in
// robust mode (running sums, comm/exchange.hpp) it stays exact.
#include <vector>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::consensus {

class PushSumAverage {
 public:
  // An exchange of width d + 1 carries one agent's (w_i, ω_i) as a single message.
  explicit PushSumAverage(comm::Exchange& exchange);

  int dim() const { return dim_; }
  int local_count() const { return exchange_.local_count(); }

  // w_i of local agent `local` (dim() numbers), to set before the first round.
  double* value(int local) { return state_.data() + row(local); }
  const double* value(int local) const { return state_.data() + row(local); }
  double weight(int local) const { return state_[row(local) + dim_]; }

  // Sets every ω_i back to 1 (a fresh averaging of the current w_i; in robust mode the exchange's
  // running sums restart too).
  void reset_weights();

  // One round over G(t).
  void round(const graph::Digraph& g);

  // out = w_i / ω_i, the agent's current estimate of the average.
  void estimate(int local, double* out) const;

 private:
  std::size_t row(int local) const { return static_cast<std::size_t>(local) * (dim_ + 1); }

  comm::Exchange& exchange_;
  int dim_;
  std::vector<double> state_, next_;  // local agents × (w_i, ω_i), double-buffered
};

}  // namespace hyperpush::consensus

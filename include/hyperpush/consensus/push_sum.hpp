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
//
// Several vectors mixed with the same weights travel as one message: w_i is then their blocks laid
// end to end (MessageLayout), and each is read and written by name, e.g. push-DIGing's
//   MessageLayout message;  const Block u = message.add(d), y = message.add(d);  // u | y | v
// One round mixes every block by the same p_ji; d is then the blocks' total.
#include <vector>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::consensus {

// One named vector of a push-sum message: `size` numbers at `offset` in every agent's w_i.
struct Block {
  int offset = 0;
  int size = 0;
};

// The vectors an algorithm pushes together, in the order they are added; the push-sum weight ω
// follows them.
class MessageLayout {
 public:
  Block add(int size) {
    const Block block{numbers_, size};
    numbers_ += size;
    return block;
  }
  // Numbers per message, ω included: the width of the exchange that carries it.
  int width() const { return numbers_ + 1; }

 private:
  int numbers_ = 0;
};

class PushSumAverage {
 public:
  // An exchange of width d + 1 carries one agent's (w_i, ω_i) as a single message.
  explicit PushSumAverage(comm::Exchange& exchange);

  int dim() const { return dim_; }
  int width() const { return dim_ + 1; }
  int local_count() const { return exchange_.local_count(); }

  // w_i of local agent `local` (dim() numbers), to set before the first round; or one block of it.
  double* value(int local) { return state_.data() + row(local); }
  const double* value(int local) const { return state_.data() + row(local); }
  double* value(int local, Block block) { return value(local) + block.offset; }
  const double* value(int local, Block block) const { return value(local) + block.offset; }
  double weight(int local) const { return state_[row(local) + dim_]; }

  // Sets every ω_i back to 1 (a fresh averaging of the current w_i; in robust mode the exchange's
  // running sums restart too).
  void reset_weights();

  // One round over G(t).
  void round(const graph::Digraph& g);

  // out = w_i / ω_i, the agent's current estimate of the average; or of one block of it.
  void estimate(int local, double* out) const;
  void estimate(int local, Block block, double* out) const;

  // Local agent `local`'s (w_i, ω_i), width() numbers: a warm start's state, for checkpoints.
  // restore_agent throws hyperpush::Error on a row of another width.
  std::vector<double> agent_state(int local) const;
  void restore_agent(int local, const std::vector<double>& state);

 private:
  std::size_t row(int local) const { return static_cast<std::size_t>(local) * (dim_ + 1); }

  comm::Exchange& exchange_;
  int dim_;
  std::vector<double> state_, next_;  // local agents × (w_i, ω_i), double-buffered
};

}  // namespace hyperpush::consensus

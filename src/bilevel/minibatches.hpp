#pragma once
// Internal: the minibatches of HypergradientOptions::batch and outer_batch. Agent i's minibatch for
// a use (a Neumann step's products, its outer gradients, a power iteration's product) is the b
// samples of smallest key random_bits(seed, Purpose::minibatch, agent, draw·2^32 + 4·k + use,
// sample), k the step or iteration: a function of the agent, not of the rank, so every rank count
// draws the same; one draw per step, independent of the other steps' (what keeps the estimate
// unbiased).
#include <cstdint>
#include <vector>

#include "hyperpush/bilevel/hypergradient.hpp"

namespace hyperpush::bilevel {

enum class SampleUse : std::uint64_t { neumann_step = 0, outer = 1, power = 2, shifted_power = 3 };

class Minibatches {
 public:
  Minibatches(const AgentSet& agents, const HypergradientOptions& options);
  // Puts every local problem back on its whole parts, also when an exception passes.
  ~Minibatches();
  Minibatches(const Minibatches&) = delete;
  Minibatches& operator=(const Minibatches&) = delete;

  // Local agent i's training minibatch for `use` at step k (nothing without hypergradient.batch).
  void train(int i, SampleUse use, std::int64_t k) const;
  // Local agent i's validation minibatch for its outer gradients (nothing without outer_batch).
  void outer(int i) const;

 private:
  std::uint64_t stream(SampleUse use, std::int64_t k) const;

  const AgentSet& agents_;
  const HypergradientOptions& options_;
};

}  // namespace hyperpush::bilevel

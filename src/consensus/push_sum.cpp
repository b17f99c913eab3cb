#include "hyperpush/consensus/push_sum.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "hyperpush/error.hpp"

namespace hyperpush::consensus {

PushSumAverage::PushSumAverage(comm::Exchange& exchange)
    : exchange_(exchange),
      dim_(exchange.width() - 1),
      state_(static_cast<std::size_t>(exchange.local_count()) * exchange.width(), 0.0),
      next_(state_.size(), 0.0) {
  reset_weights();
}

void PushSumAverage::reset_weights() {
  for (int i = 0; i < local_count(); ++i) state_[row(i) + dim_] = 1.0;
  exchange_.restart();  // robust mode: no mass of an earlier averaging arrives in this one
}

void PushSumAverage::round(const graph::Digraph& g) {
  // (w_j, ω_j) ← Σ_{i ∈ in(j)} p_ji (w_i, ω_i): both halves ride in the same message.
  exchange_.push(g, state_.data(), next_.data());
  std::swap(state_, next_);
}

void PushSumAverage::estimate(int local, double* out) const {
  estimate(local, Block{0, dim_}, out);
}

void PushSumAverage::estimate(int local, Block block, double* out) const {
  const double* w = value(local, block);
  const double omega = weight(local);
  std::transform(w, w + block.size, out, [omega](double v) { return v / omega; });
}

std::vector<double> PushSumAverage::agent_state(int local) const {
  return {state_.begin() + row(local), state_.begin() + row(local) + width()};
}

void PushSumAverage::restore_agent(int local, const std::vector<double>& state) {
  if (state.size() != static_cast<std::size_t>(width()))
    throw Error("checkpoint: a push-sum state of " + std::to_string(state.size()) +
                " numbers, expected " + std::to_string(width()) + " (model or solver changed)");
  std::copy(state.begin(), state.end(), state_.begin() + row(local));
}

}  // namespace hyperpush::consensus

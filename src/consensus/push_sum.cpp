#include "hyperpush/consensus/push_sum.hpp"

#include <algorithm>
#include <utility>

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
  const double* w = value(local);
  const double omega = weight(local);
  std::transform(w, w + dim_, out, [omega](double v) { return v / omega; });
}

}  // namespace hyperpush::consensus

#include "minibatches.hpp"

#include <algorithm>
#include <utility>

#include "hyperpush/random.hpp"

namespace hyperpush::bilevel {
namespace {

// `b` of `m` sample rows, ascending: those of smallest key; empty (all rows) when b = 0 or b ≥ m.
std::vector<int> rows_of(int m, int b, std::uint64_t seed, int agent, std::uint64_t stream) {
  if (b <= 0 || b >= m) return {};
  std::vector<std::pair<std::uint64_t, int>> keyed(m);
  for (int k = 0; k < m; ++k)
    keyed[k] = {random_bits(seed, Purpose::minibatch, agent, stream, k), k};
  std::nth_element(keyed.begin(), keyed.begin() + b, keyed.end());
  std::vector<int> rows(b);
  for (int k = 0; k < b; ++k) rows[k] = keyed[k].second;
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

Minibatches::Minibatches(const AgentSet& agents, const HypergradientOptions& options)
    : agents_(agents), options_(options) {}

Minibatches::~Minibatches() {
  if (options_.batch > 0 || options_.outer_batch > 0)
    for (const auto& p : agents_.problems) p->use_minibatch({});
}

std::uint64_t Minibatches::stream(SampleUse use, std::int64_t k) const {
  return (static_cast<std::uint64_t>(options_.draw) << 32) + 4 * static_cast<std::uint64_t>(k) +
         static_cast<std::uint64_t>(use);
}

void Minibatches::train(int i, SampleUse use, std::int64_t k) const {
  if (options_.batch <= 0) return;
  const auto& p = *agents_.problems[i];
  p.use_minibatch(
      {rows_of(p.train_samples(), options_.batch, options_.seed, agents_.first + i, stream(use, k)),
       {}});
}

void Minibatches::outer(int i) const {
  if (options_.outer_batch <= 0) return;
  const auto& p = *agents_.problems[i];
  p.use_minibatch({{},
                   rows_of(p.validation_samples(), options_.outer_batch, options_.seed,
                           agents_.first + i, stream(SampleUse::outer, 0))});
}

}  // namespace hyperpush::bilevel

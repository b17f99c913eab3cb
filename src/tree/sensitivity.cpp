#include "hyperpush/tree/sensitivity.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/tree/tree_distance.hpp"

namespace hyperpush::tree {
namespace {

// Sample indices ordered by key(i) = random_bits(seed, tree_split, i, 1 + trial, 0), ties by index;
// only the first k are put in order.
std::vector<std::size_t> smallest_keys(std::size_t n, std::size_t k, std::uint64_t seed,
                                       std::uint64_t trial) {
  std::vector<std::uint64_t> key(n);
  for (std::size_t i = 0; i < n; ++i)
    key[i] = random_bits(seed, Purpose::tree_split, i, 1 + trial, 0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::partial_sort(
      order.begin(), order.begin() + k, order.end(),
      [&](std::size_t a, std::size_t b) { return key[a] != key[b] ? key[a] < key[b] : a < b; });
  order.resize(k);
  return order;
}

void check_removal(std::size_t n, std::size_t k) {
  if (k < 1 || k >= n)
    throw Error("tree.remove: cannot remove " + std::to_string(k) + " of " + std::to_string(n) +
                " training samples; valid: 1 to " + std::to_string(n > 0 ? n - 1 : 0));
}

}  // namespace

std::vector<std::size_t> removal_set(std::size_t n, std::size_t k, std::uint64_t data_seed,
                                     std::uint64_t trial) {
  check_removal(n, k);
  std::vector<std::size_t> set;
  if (k == 1)
    set = {smallest_keys(n, trial % n + 1, data_seed, 0)[trial % n]};
  else
    set = smallest_keys(n, k, data_seed, trial);
  std::sort(set.begin(), set.end());
  return set;
}

Sensitivity average_sensitivity(const TreeLearner& learner, const Tree& full,
                                const SensitivityOptions& options) {
  const std::size_t n = learner.train().rows;
  const std::size_t k = options.remove;
  check_removal(n, k);
  Sensitivity s;
  s.remove = k;
  s.trials = k == 1 ? static_cast<int>(std::min<std::size_t>(options.trials, n)) : options.trials;
  const int depths = full.max_depth + 1;
  s.distance.assign(depths, 0.0);
  s.distance_feature.assign(depths, 0.0);
  // k = 1: one order of the samples, trial r removes its r-th
  const auto order =
      k == 1 ? smallest_keys(n, s.trials, options.data_seed, 0) : std::vector<std::size_t>{};
  for (int r = 0; r < s.trials; ++r) {
    const auto removed =
        k == 1 ? std::vector<std::size_t>{order[r]} : removal_set(n, k, options.data_seed, r);
    const Tree reduced = learner.fit_without(removed, options.tree_seed, &full);
    for (int d = 0; d < depths; ++d) {
      s.distance[d] += normalized_tree_distance(full, reduced, d, RuleMatch::feature_threshold);
      s.distance_feature[d] += normalized_tree_distance(full, reduced, d, RuleMatch::feature);
    }
  }
  for (int d = 0; d < depths; ++d) {
    s.distance[d] /= s.trials;
    s.distance_feature[d] /= s.trials;
  }
  return s;
}

}  // namespace hyperpush::tree

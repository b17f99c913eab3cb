#include "hyperpush/tree/exponential_mechanism.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hyperpush/random.hpp"

namespace hyperpush::tree {
namespace {

// table[a + 1] = w for score a, table[0] = 0 for the invalid (a = −1); `valid` = K.
std::vector<double> weight_table(const std::vector<int>& scores, double epsilon,
                                 std::size_t& valid) {
  valid = 0;
  int a_max = -1;
  for (const int a : scores) {
    valid += a >= 0;
    a_max = std::max(a_max, a);
  }
  std::vector<double> table(static_cast<std::size_t>(a_max) + 2, 0.0);
  if (valid == 0) return table;
  // a_max = 0 (possible only on an empty node) makes every split equal.
  if (epsilon > 0 && a_max > 0) {
    const double beta = 2.0 * std::log(static_cast<double>(valid)) / epsilon;
    for (int a = 0; a <= a_max; ++a)
      table[a + 1] = std::exp(beta * (static_cast<double>(a - a_max) / a_max));  // β (a/a_max − 1)
  }
  table[a_max + 1] = 1.0;
  return table;
}

// argmin_c E_c / w_c over c < n with weight(c) > 0.
template <class Weight>
int race(std::size_t n, const Weight& weight, std::uint64_t seed, std::uint64_t position) {
  // random_bits(seed, tree_split, position, 0, c) = mix(prefix ^ c): the part of the chain of
  // random.hpp that does not depend on c is hoisted out of the loop.
  const std::uint64_t prefix = splitmix64(
      splitmix64(splitmix64(splitmix64(seed) ^ static_cast<std::uint64_t>(Purpose::tree_split)) ^
                 position) ^
      0);
  int winner = -1;
  double best = std::numeric_limits<double>::infinity();  // E_winner / w_winner
  for (std::size_t c = 0; c < n; ++c) {
    const double w = weight(c);
    if (!(w > 0)) continue;
    const double u = static_cast<double>(splitmix64(prefix ^ c) >> 11) * 0x1.0p-53;
    if (u >= best * w) continue;  // E = −ln(1 − u) >= u: cannot beat the leader
    const double e = -std::log1p(-u);
    if (e < best * w) {
      best = e / w;
      winner = static_cast<int>(c);
    }
  }
  return winner;
}

}  // namespace

std::size_t split_weights(const std::vector<int>& scores, double epsilon,
                          std::vector<double>& weights) {
  std::size_t valid = 0;
  const auto table = weight_table(scores, epsilon, valid);
  weights.resize(scores.size());
  for (std::size_t c = 0; c < scores.size(); ++c) weights[c] = table[scores[c] + 1];
  return valid;
}

int draw_split(const std::vector<double>& weights, std::uint64_t seed, std::uint64_t position) {
  return race(
      weights.size(), [&](std::size_t c) { return weights[c]; }, seed, position);
}

int draw_split(const std::vector<int>& scores, double epsilon, std::uint64_t seed,
               std::uint64_t position) {
  std::size_t valid = 0;
  const auto table = weight_table(scores, epsilon, valid);
  return race(
      scores.size(), [&](std::size_t c) { return table[scores[c] + 1]; }, seed, position);
}

}  // namespace hyperpush::tree

#pragma once
// A seeded permutation of [0, n): position i's sort key is random_bits(seed, purpose, a, b, i),
// ties broken by position, so numpy replays it with a stable argsort of the keys. Internal to the
// data layer; split.hpp's shuffled_indices is the same with the keys (i, stream, 0) of
// Purpose::data_partition.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "hyperpush/random.hpp"

namespace hyperpush::data::detail {

inline std::vector<std::size_t> keyed_order(std::size_t n, std::uint64_t seed, Purpose purpose,
                                            std::uint64_t a, std::uint64_t b) {
  std::vector<std::uint64_t> key(n);
  for (std::size_t i = 0; i < n; ++i) key[i] = random_bits(seed, purpose, a, b, i);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return key[x] != key[y] ? key[x] < key[y] : x < y;
  });
  return order;
}

}  // namespace hyperpush::data::detail

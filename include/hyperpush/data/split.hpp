#pragma once
// Deterministic subsets of a data set: permutations from the counter-based generator (random.hpp,
// Purpose::data_partition), so a split is a pure function of (data, seed) that numpy can replay:
// sample i's sort key is random_bits(seed, data_partition, i, stream, 0), ties broken by index.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::data {

// A permutation of [0, n) keyed by (seed, stream); different streams give independent orders.
std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed, std::uint64_t stream);

// The rows `rows` of `d`, in that order (class metadata kept).
Dataset subset(const Dataset& d, const std::vector<std::size_t>& rows);

struct TrainTest {
  Dataset train, test;
};

// Shuffles with stream 0 and puts the first round((1 − test_fraction)·n) samples into `train`, the
// rest into `test`. Throws hyperpush::Error unless 0 <= test_fraction < 1 and both parts (test may
// be empty only when test_fraction = 0) are non-empty.
TrainTest train_test_split(const Dataset& d, double test_fraction, std::uint64_t seed);

}  // namespace hyperpush::data

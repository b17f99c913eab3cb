#include "hyperpush/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::data {

std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed, std::uint64_t stream) {
  std::vector<std::uint64_t> key(n);
  for (std::size_t i = 0; i < n; ++i)
    key[i] = random_bits(seed, Purpose::data_partition, i, stream, 0);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return key[a] != key[b] ? key[a] < key[b] : a < b;
  });
  return order;
}

Dataset subset(const Dataset& d, const std::vector<std::size_t>& rows) {
  Dataset out;
  out.source = d.source;
  out.cols = d.cols;
  out.classes = d.classes;
  out.class_names = d.class_names;
  out.label_values = d.label_values;
  out.rows = rows.size();
  out.features.resize(rows.size() * d.cols);
  out.labels.resize(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::copy_n(d.row(rows[r]), d.cols, out.features.begin() + r * d.cols);
    out.labels[r] = d.labels[rows[r]];
  }
  return out;
}

TrainTest train_test_split(const Dataset& d, double test_fraction, std::uint64_t seed) {
  if (!(test_fraction >= 0 && test_fraction < 1))
    throw Error("data.test_fraction = " + std::to_string(test_fraction) +
                " is out of range; valid: [0, 1)");
  const auto order = shuffled_indices(d.rows, seed, 0);
  const auto n_train = static_cast<std::size_t>(std::llround((1 - test_fraction) * d.rows));
  if (n_train == 0 || (test_fraction > 0 && n_train == d.rows))
    throw Error(d.source + ": " + std::to_string(d.rows) +
                " samples cannot be split with test_fraction " + std::to_string(test_fraction) +
                " into two non-empty parts");
  TrainTest out;
  out.train = subset(d, {order.begin(), order.begin() + n_train});
  out.test = subset(d, {order.begin() + n_train, order.end()});
  return out;
}

}  // namespace hyperpush::data

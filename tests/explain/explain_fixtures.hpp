#pragma once
// Tiny random problems for the explain tests: N(0, 1) features, labels uniform in [0, classes).
#include <cstdint>

#include "hyperpush/explain/samples.hpp"
#include "hyperpush/explain/softmax_model.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::explain::test {

inline Samples random_samples(int m, int features, int classes, std::uint64_t seed) {
  Samples s;
  s.classes = classes;
  s.x.resize(m, features);
  s.y.resize(m);
  for (int k = 0; k < m; ++k) {
    for (int j = 0; j < features; ++j)
      s.x(k, j) = random_normal(seed, Purpose::initial_value, k, j, 0);
    s.y(k) = static_cast<int>(random_bits(seed, Purpose::initial_value, k, features, 1) % classes);
  }
  return s;
}

inline SoftmaxModel random_model(int features, int classes, std::uint64_t seed) {
  return random_softmax_model(features, classes, seed);
}

}  // namespace hyperpush::explain::test

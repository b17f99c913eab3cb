#pragma once
// The labelled data of the model backends' tests: m samples of `features` N(0, 1) features and
// labels uniform in [0, classes), keyed by seed (hyperpush's counter-based generator, so every
// backend's test sees the same numbers).
#include <cstdint>

#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::model::test {

inline LabelledData random_part(int m, int features, int classes, std::uint64_t seed) {
  LabelledData part;
  part.features.resize(m, features);
  part.labels.resize(m);
  for (int k = 0; k < m; ++k) {
    for (int j = 0; j < features; ++j)
      part.features(k, j) = random_normal(seed, Purpose::initial_value, k, j, 0);
    part.labels[k] =
        static_cast<int>(random_bits(seed, Purpose::initial_value, k, features, 1) % classes);
  }
  return part;
}

}  // namespace hyperpush::model::test

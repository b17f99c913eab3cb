#pragma once
// Small data sets built in the tests, and the breast-cancer split of the acceptance experiment.
#include <cstdint>
#include <vector>

#include "hyperpush/data/builtin.hpp"
#include "hyperpush/data/dataset.hpp"
#include "hyperpush/data/split.hpp"

namespace hyperpush::tree {

inline data::Dataset make_dataset(const std::vector<std::vector<double>>& rows,
                                  const std::vector<int>& labels, int classes = 2) {
  data::Dataset d;
  d.source = "test data";
  d.rows = rows.size();
  d.cols = rows.empty() ? 0 : rows[0].size();
  for (const auto& row : rows) d.features.insert(d.features.end(), row.begin(), row.end());
  d.labels = labels;
  d.classes = classes;
  return d;
}

// scikit-learn's breast cancer (569 × 30), 80% training samples: the paper's protocol.
inline data::TrainTest breast_cancer(std::uint64_t seed = 0) {
  static const data::Dataset all = data::read_builtin("breast-cancer", "all");
  return data::train_test_split(all, 0.2, seed);
}

}  // namespace hyperpush::tree

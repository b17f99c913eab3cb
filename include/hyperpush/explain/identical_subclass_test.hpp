#pragma once
// The identical subclass test (specs/explain.md, "Tests"): the classes are merged at random into 2
// superclasses (10 classes → 5 + 5), the model is trained on superclass labels, and only test
// instances whose superclass it predicts correctly are kept; a query succeeds iff its top-1
// training instance has the same *original* class (the intended comparison; the authors'
// evaluator compares a tuple with an int and always scores 0). Top-k: all k share the class.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "hyperpush/explain/identical_class_test.hpp"

namespace hyperpush::explain {

// superclass[c] ∈ {0, 1}: the first ⌊C/2⌋ classes of shuffled_indices(C, seed, 102)
// (data/split.hpp) form superclass 0, the rest superclass 1. Needs C ≥ 2.
std::vector<int> random_superclasses(int classes, std::uint64_t seed);

// Labels mapped through `superclass`.
Eigen::VectorXi superclass_labels(const Eigen::VectorXi& labels,
                                  const std::vector<int>& superclass);

// top[q]: training indices retrieved for query q; query_classes: the queries' original classes;
// predicted_super: the superclass model's predictions; train_classes: original training classes.
TestScore identical_subclass_test(const std::vector<std::vector<std::int64_t>>& top,
                                  const Eigen::VectorXi& query_classes,
                                  const Eigen::VectorXi& predicted_super,
                                  const std::vector<int>& superclass,
                                  const Eigen::VectorXi& train_classes, int k);

}  // namespace hyperpush::explain

#pragma once
// Standard CART (Breiman et al. 1984), the baseline users know from scikit-learn's
// DecisionTreeClassifier: at each node the split (feature, threshold) that minimises the
// samples-weighted Gini impurity of the two children, thresholds at midpoints between consecutive
// distinct sorted values; stops at max_depth, below min_samples samples, on a pure node, or when no
// feature takes two values. Zero-gain splits are made (as scikit-learn does); sibling leaves are
// not merged. Ties go to the lowest feature, then the lowest threshold.
//
// Cost: one sort per feature at the root (O(F n log n)); every node then sweeps its samples in the
// presorted order and stably partitions the sorted columns between its children — O(F n) per tree
// level, no per-node re-sort.
#include <cstddef>
#include <vector>

#include "hyperpush/data/dataset.hpp"
#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

struct CartOptions {
  int max_depth = 5;
  int min_samples = 2;  // a node with fewer training samples is a leaf
};

// Fits on the samples `rows` of `train` (each at most once; order does not matter).
Tree fit_cart(const data::Dataset& train, const std::vector<std::size_t>& rows,
              const CartOptions& options);
// Fits on every sample of `train`.
Tree fit_cart(const data::Dataset& train, const CartOptions& options);

}  // namespace hyperpush::tree

#pragma once
// Average sensitivity by coupled removal (specs/stable-tree.md):
//
//   β(A, D) ≈ (1/T) Σ_r d(A(D), A(D \ S_r)),
//
// where the fits on D and on D \ S_r use the same tree seed, so the stable learner draws with the
// same random number at every node position and the estimate is an upper bound on the earth
// mover's distance between the two output distributions. d is the normalised tree distance
// (tree_distance.hpp) at every evaluation depth, in both rule variants.
//
// Removal sets: sample i of trial r has key random_bits(data seed, tree_split, i, 1 + r, 0)
// and S_r holds the k samples with the smallest keys (ties by index). For k = 1 the trials take
// distinct points instead: S_r = {π_r}, π the order of the trial-0 keys, and T is capped at n —
// with T >= n every point is removed once and the estimate is exact for the coupling. Cost: T fits
// (the fit on D is passed in) and 2T distance walks per depth.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/tree/learner.hpp"
#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

// S_r for a training set of n samples (sorted ascending). Requires 1 <= k < n.
std::vector<std::size_t> removal_set(std::size_t n, std::size_t k, std::uint64_t data_seed,
                                     std::uint64_t trial);

struct SensitivityOptions {
  std::size_t remove = 1;       // k = |S_r|
  int trials = 100;             // T (capped at n when k = 1)
  std::uint64_t data_seed = 0;  // keys the removal sets
  std::uint64_t tree_seed = 0;  // the seed `full` was fitted with
};

struct Sensitivity {
  std::size_t remove = 0;
  int trials = 0;                        // trials run
  std::vector<double> distance;          // [d] for depth d = 0..max_depth: (feature, threshold)
  std::vector<double> distance_feature;  // [d]: feature-only rules
};

// `full` must be learner.fit(options.tree_seed). Throws hyperpush::Error unless 1 <= k < n.
Sensitivity average_sensitivity(const TreeLearner& learner, const Tree& full,
                                const SensitivityOptions& options);

}  // namespace hyperpush::tree

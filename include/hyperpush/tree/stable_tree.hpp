#pragma once
// The average-sensitivity stable decision tree (Hara & Yoshida, "Average Sensitivity of Decision
// Tree Learning", ICLR 2023; specs/stable-tree.md), as in the authors' code:
//
// - candidate splits fixed once from the full training set (split_candidates.hpp);
// - at a node, every candidate's score a_c (correct samples when each child predicts its majority)
//   from per-bin class histograms, and one split drawn by the exponential mechanism
//   (exponential_mechanism.hpp) whose random numbers are keyed by (tree seed, the node's position
//   p, candidate), with p = 0 at the root and 2p + 1, 2p + 2 for the children: the fits on D and
//   on D \ S race with the same numbers at the same position, which couples them;
// - a node is a leaf at max_depth, below min_samples samples, when pure, or when no candidate is
//   valid; leaves predict the majority class; two sibling leaves with the same label collapse into
//   one leaf (bottom-up, so collapses can cascade).
//
// Cost per node: O(F n_node) to fill the histograms and O(F T C) to score every candidate; one exp
// per distinct score.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dataset.hpp"
#include "hyperpush/tree/split_candidates.hpp"
#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

struct StableTreeOptions {
  int max_depth = 5;
  double epsilon = 1.0;    // < 0: greedy (uniform over the best splits)
  int min_samples = 2;     // a node with fewer samples is a leaf (2: stop at <= 1 point)
  std::uint64_t seed = 0;  // tree seed
};

// Fits on the samples `rows` of `train` (each at most once) with `candidates` made from `train`.
Tree fit_stable_tree(const data::Dataset& train, const SplitCandidates& candidates,
                     const std::vector<std::size_t>& rows, const StableTreeOptions& options);

// The same tree as fit_stable_tree(train, candidates, rows, options), faster when `reference` was
// grown with the same candidates and options on a superset of `rows` (the coupled fit on D \ S of
// a sensitivity trial, with the fit on D as reference): wherever the two fits reach a node by the
// same splits and it holds the same samples, the reference's subtree is copied instead of grown.
// With one sample removed, only the nodes on its path are grown.
Tree refit_stable_tree(const data::Dataset& train, const SplitCandidates& candidates,
                       const std::vector<std::size_t>& rows, const StableTreeOptions& options,
                       const Tree& reference);

// Candidate scores a_c (−1 when invalid) of the node holding `rows`, in candidate order
// (feature-major, thresholds ascending): what the learner draws from at that node.
std::vector<int> split_scores(const data::Dataset& train, const SplitCandidates& candidates,
                              const std::vector<std::size_t>& rows);

}  // namespace hyperpush::tree

#pragma once
// One tree learner (`cart` or `stable`) bound to one training set. What depends only on the
// training set — the stable tree's candidate splits and sample bins — is computed once, so the
// coupled fits on D and D \ S of a sensitivity measurement share it (as the spec requires: the same
// candidates for D and D \ S).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hyperpush/data/dataset.hpp"
#include "hyperpush/tree/split_candidates.hpp"
#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

enum class LearnerKind { cart, stable };

struct LearnerOptions {
  LearnerKind kind = LearnerKind::stable;
  int max_depth = 5;
  double epsilon = 1.0;  // stable: ε of the exponential mechanism; < 0 = greedy
  int thresholds = 500;  // stable: candidate thresholds per feature
  int min_samples = 2;   // a node with fewer samples is a leaf
};

// "cart", "stable (ε = 0.1)", "stable (greedy)".
std::string describe(const LearnerOptions& options);

class TreeLearner {
 public:
  // Keeps a reference to `train`, which must outlive the learner. Throws hyperpush::Error on an
  // empty training set or options out of range.
  TreeLearner(const data::Dataset& train, const LearnerOptions& options);

  // The tree on every training sample; `tree_seed` keys the stable learner's draws (CART ignores
  // it).
  Tree fit(std::uint64_t tree_seed) const;
  // The tree on the training samples except `removed` (indices into train, in any order).
  // `full`, when given, must be fit(tree_seed): the stable learner then copies its subtrees that
  // the removal does not reach (refit_stable_tree) — the same tree, faster.
  Tree fit_without(const std::vector<std::size_t>& removed, std::uint64_t tree_seed,
                   const Tree* full = nullptr) const;
  // The tree on the samples `rows`.
  Tree fit_rows(const std::vector<std::size_t>& rows, std::uint64_t tree_seed) const;

  const data::Dataset& train() const { return train_; }
  const LearnerOptions& options() const { return options_; }

 private:
  const data::Dataset& train_;
  LearnerOptions options_;
  std::optional<SplitCandidates> candidates_;  // stable only
};

}  // namespace hyperpush::tree

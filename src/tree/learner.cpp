#include "hyperpush/tree/learner.hpp"

#include <cstdio>
#include <numeric>

#include "hyperpush/error.hpp"
#include "hyperpush/tree/cart.hpp"
#include "hyperpush/tree/stable_tree.hpp"

namespace hyperpush::tree {

std::string describe(const LearnerOptions& options) {
  if (options.kind == LearnerKind::cart) return "cart";
  if (options.epsilon < 0) return "stable (greedy)";
  char text[64];
  std::snprintf(text, sizeof text, "stable (epsilon = %g)", options.epsilon);
  return text;
}

TreeLearner::TreeLearner(const data::Dataset& train, const LearnerOptions& options)
    : train_(train), options_(options) {
  if (train.rows == 0) throw Error(train.source + ": no training samples to fit a tree on");
  if (options.max_depth < 0)
    throw Error("tree.max_depth = " + std::to_string(options.max_depth) + " must be >= 0");
  if (options.kind == LearnerKind::stable) {
    if (options.epsilon == 0)
      throw Error(
          "tree.epsilon = 0 is not valid; use ε > 0 for the stable tree or ε < 0 for greedy");
    candidates_ = split_candidates(train, options.thresholds);
  }
}

Tree TreeLearner::fit_rows(const std::vector<std::size_t>& rows, std::uint64_t tree_seed) const {
  if (options_.kind == LearnerKind::cart)
    return fit_cart(train_, rows, {options_.max_depth, options_.min_samples});
  return fit_stable_tree(train_, *candidates_, rows,
                         {options_.max_depth, options_.epsilon, options_.min_samples, tree_seed});
}

Tree TreeLearner::fit(std::uint64_t tree_seed) const {
  std::vector<std::size_t> rows(train_.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return fit_rows(rows, tree_seed);
}

Tree TreeLearner::fit_without(const std::vector<std::size_t>& removed, std::uint64_t tree_seed,
                              const Tree* full) const {
  std::vector<unsigned char> gone(train_.rows, 0);
  for (const std::size_t r : removed) gone.at(r) = 1;
  std::vector<std::size_t> rows;
  rows.reserve(train_.rows);
  for (std::size_t r = 0; r < train_.rows; ++r)
    if (!gone[r]) rows.push_back(r);
  if (full && options_.kind == LearnerKind::stable)
    return refit_stable_tree(
        train_, *candidates_, rows,
        {options_.max_depth, options_.epsilon, options_.min_samples, tree_seed}, *full);
  return fit_rows(rows, tree_seed);
}

}  // namespace hyperpush::tree

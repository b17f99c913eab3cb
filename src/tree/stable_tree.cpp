#include "hyperpush/tree/stable_tree.hpp"

#include <algorithm>

#include "hyperpush/tree/exponential_mechanism.hpp"

namespace hyperpush::tree {
namespace {

class StableBuilder {
 public:
  StableBuilder(const data::Dataset& train, const SplitCandidates& candidates,
                const StableTreeOptions& options)
      : train_(train),
        candidates_(candidates),
        options_(options),
        features_(candidates.features),
        per_feature_(candidates.per_feature),
        classes_(train.classes),
        histogram_(features_ * (per_feature_ + 1) * classes_),
        occupied_(features_ * (per_feature_ + 1)),
        scores_(features_ * per_feature_) {
    tree_.classes = classes_;
    tree_.max_depth = options.max_depth;
  }

  // `reference`: a tree grown with the same options and candidates on a superset of `rows`, or
  // null.
  Tree build(std::vector<std::size_t> rows, const Tree* reference) {
    rows_ = std::move(rows);
    reference_ = reference;
    grow(0, rows_.size(), 0, 0, reference ? 0 : -1);
    return std::move(tree_);
  }

  // The scores of one node holding `rows`.
  std::vector<int> node_scores(std::vector<std::size_t> rows) {
    rows_ = std::move(rows);
    std::vector<int> counts(classes_, 0);
    for (const std::size_t r : rows_) ++counts[train_.labels[r]];
    score(0, rows_.size(), counts);
    return scores_;
  }

 private:
  // Fills scores_ for the node holding rows_[begin, end) with class counts `counts`: per-bin class
  // histograms, then one sweep over each feature's bins. Consecutive candidates with no sample
  // between them have the same partition and score, so only occupied bins do class arithmetic.
  void score(std::size_t begin, std::size_t end, const std::vector<int>& counts) {
    const std::size_t bins = per_feature_ + 1;
    // histogram_[(f·(T + 1) + bin)·C + class], occupied_[f·(T + 1) + bin]; all zero on entry
    for (std::size_t j = begin; j < end; ++j) {
      const std::uint16_t* bin = candidates_.sample_bins(rows_[j]);
      const int label = train_.labels[rows_[j]];
      for (std::size_t f = 0; f < features_; ++f) {
        ++histogram_[(f * bins + bin[f]) * classes_ + label];
        ++occupied_[f * bins + bin[f]];
      }
    }
    const int m = static_cast<int>(end - begin);
    std::vector<int> left(classes_);
    for (std::size_t f = 0; f < features_; ++f) {
      std::fill(left.begin(), left.end(), 0);
      int n_left = 0, current = -1;  // current: score of "bins 0..k go left"
      const int* occupied = occupied_.data() + f * bins;
      const int* h = histogram_.data() + f * bins * classes_;
      int* score = scores_.data() + f * per_feature_;
      for (std::size_t k = 0; k < per_feature_; ++k) {
        if (occupied[k] > 0) {
          n_left += occupied[k];
          int best_left = 0, best_right = 0;  // a_c = max_k l_k + max_k r_k
          for (int c = 0; c < classes_; ++c) {
            left[c] += h[k * classes_ + c];
            best_left = std::max(best_left, left[c]);
            best_right = std::max(best_right, counts[c] - left[c]);
          }
          current = n_left == m ? -1 : best_left + best_right;  // −1: an empty side
        }
        score[k] = current;
      }
    }
    // Clear what this node set, O(F n_node) rather than O(F T C).
    for (std::size_t j = begin; j < end; ++j) {
      const std::uint16_t* bin = candidates_.sample_bins(rows_[j]);
      const int label = train_.labels[rows_[j]];
      for (std::size_t f = 0; f < features_; ++f) {
        histogram_[(f * bins + bin[f]) * classes_ + label] = 0;
        occupied_[f * bins + bin[f]] = 0;
      }
    }
  }

  // Grows the node at `position` holding rows_[begin, end). `twin`: the reference node reached by
  // the same splits (so it holds a superset of these samples), or −1. When it holds no more
  // samples, the sets are equal and so is the whole subtree (a pure function of the samples, the
  // depth and the position): it is copied.
  int grow(std::size_t begin, std::size_t end, int depth, std::uint64_t position, int twin) {
    if (twin >= 0 && std::size_t(reference_->nodes[twin].samples) == end - begin)
      return copy_subtree(twin);
    std::vector<int> counts(classes_, 0);
    for (std::size_t j = begin; j < end; ++j) ++counts[train_.labels[rows_[j]]];
    const int node = tree_.add_leaf(depth, counts.data());
    const bool pure = std::count(counts.begin(), counts.end(), 0) >= classes_ - 1;
    if (depth >= options_.max_depth || end - begin < std::size_t(options_.min_samples) || pure)
      return node;

    score(begin, end, counts);
    const int chosen = draw_split(scores_, options_.epsilon, options_.seed, position);
    if (chosen < 0) return node;  // no valid split
    const std::size_t feature = chosen / per_feature_;
    const int k = chosen % static_cast<int>(per_feature_);
    const auto middle =
        std::partition(rows_.begin() + begin, rows_.begin() + end,
                       [&](std::size_t r) { return candidates_.sample_bins(r)[feature] <= k; }) -
        rows_.begin();

    const double threshold = candidates_.threshold(feature, k);
    int twin_left = -1, twin_right = -1;
    if (twin >= 0) {
      const TreeNode& t = reference_->nodes[twin];
      if (!t.is_leaf() && t.feature == static_cast<int>(feature) && t.threshold == threshold)
        twin_left = t.left, twin_right = t.right;
    }
    const int left = grow(begin, middle, depth + 1, 2 * position + 1, twin_left);
    const int right = grow(middle, end, depth + 1, 2 * position + 2, twin_right);
    const TreeNode &l = tree_.nodes[left], &r = tree_.nodes[right];
    if (l.is_leaf() && r.is_leaf() && l.label == r.label) {
      // equal-label sibling leaves collapse: they are the last two nodes (preorder)
      tree_.nodes.resize(node + 1);
      tree_.counts.resize(std::size_t(node + 1) * classes_);
      return node;
    }
    tree_.set_split(node, static_cast<int>(feature), threshold, left, right);
    return node;
  }

  int copy_subtree(int from) {
    const TreeNode& t = reference_->nodes[from];
    const int node = tree_.add_leaf(t.depth, reference_->class_counts(from));
    if (t.is_leaf()) return node;
    const int left = copy_subtree(t.left);
    const int right = copy_subtree(t.right);
    tree_.set_split(node, t.feature, t.threshold, left, right);
    return node;
  }

  const data::Dataset& train_;
  const SplitCandidates& candidates_;
  std::vector<std::size_t> rows_;  // sample indices; every node owns a contiguous range
  const Tree* reference_ = nullptr;
  StableTreeOptions options_;
  std::size_t features_, per_feature_;
  int classes_;
  std::vector<int> histogram_, occupied_, scores_;
  Tree tree_;
};

}  // namespace

Tree fit_stable_tree(const data::Dataset& train, const SplitCandidates& candidates,
                     const std::vector<std::size_t>& rows, const StableTreeOptions& options) {
  return StableBuilder(train, candidates, options).build(rows, nullptr);
}

Tree refit_stable_tree(const data::Dataset& train, const SplitCandidates& candidates,
                       const std::vector<std::size_t>& rows, const StableTreeOptions& options,
                       const Tree& reference) {
  return StableBuilder(train, candidates, options).build(rows, &reference);
}

std::vector<int> split_scores(const data::Dataset& train, const SplitCandidates& candidates,
                              const std::vector<std::size_t>& rows) {
  return StableBuilder(train, candidates, {}).node_scores(rows);
}

}  // namespace hyperpush::tree

#pragma once
// A binary classification tree with class counts at every node, so that a tree grown to depth 10
// can be evaluated at any shallower depth by truncation (specs/stable-tree.md).
//
// Nodes are stored in preorder (a node, its left subtree, its right subtree); children are real
// indices into `nodes`. A sample x goes left at an internal node when x[feature] <= threshold.
#include <cstddef>
#include <vector>

#include "hyperpush/data/dataset.hpp"

namespace hyperpush::tree {

struct TreeNode {
  int feature = -1;           // split feature; -1 for a leaf
  double threshold = 0.0;     // x[feature] <= threshold goes left
  int left = -1, right = -1;  // children (indices into Tree::nodes); -1 for a leaf
  int depth = 0;              // root = 0
  int label = 0;              // majority class of the node's training samples (lowest on ties)
  int samples = 0;            // training samples that reached the node

  bool is_leaf() const { return feature < 0; }
};

struct Tree {
  int classes = 0;
  int max_depth = 0;            // the depth the learner was allowed to grow to
  std::vector<TreeNode> nodes;  // nodes[0] is the root
  std::vector<int> counts;      // nodes.size() × classes: training samples per class per node

  const int* class_counts(int node) const { return counts.data() + std::size_t(node) * classes; }

  // Appends a leaf at `depth` with these class counts (label = their argmax); returns its index.
  int add_leaf(int depth, const int* class_counts);
  // Turns leaf `node` into an internal node with the given rule and children.
  void set_split(int node, int feature, double threshold, int left, int right);

  // Depth of the deepest leaf.
  int depth() const;
  int leaf_count() const;

  // Predicted class of x with the tree truncated at `depth` (an internal node at that depth
  // predicts its majority class); depth < 0 means the whole tree.
  int predict(const double* x, int depth = -1) const;

  // Fraction of `data`'s samples predicted correctly, at every truncation depth 0..max_depth
  // (one walk per sample).
  std::vector<double> accuracy_by_depth(const data::Dataset& data) const;
  double accuracy(const data::Dataset& data, int depth = -1) const;
};

// Index of the largest count, the lowest index on ties.
int majority_class(const int* counts, int classes);

}  // namespace hyperpush::tree

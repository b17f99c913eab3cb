#include "hyperpush/tree/tree.hpp"

#include <algorithm>

namespace hyperpush::tree {

int majority_class(const int* counts, int classes) {
  int best = 0;
  for (int k = 1; k < classes; ++k)
    if (counts[k] > counts[best]) best = k;
  return best;
}

int Tree::add_leaf(int depth, const int* class_counts) {
  TreeNode node;
  node.depth = depth;
  node.label = majority_class(class_counts, classes);
  for (int k = 0; k < classes; ++k) node.samples += class_counts[k];
  counts.insert(counts.end(), class_counts, class_counts + classes);
  nodes.push_back(node);
  return static_cast<int>(nodes.size()) - 1;
}

void Tree::set_split(int node, int feature, double threshold, int left, int right) {
  TreeNode& n = nodes[node];
  n.feature = feature;
  n.threshold = threshold;
  n.left = left;
  n.right = right;
}

int Tree::depth() const {
  int deepest = 0;
  for (const auto& n : nodes) deepest = std::max(deepest, n.depth);
  return deepest;
}

int Tree::leaf_count() const {
  return static_cast<int>(
      std::count_if(nodes.begin(), nodes.end(), [](const TreeNode& n) { return n.is_leaf(); }));
}

int Tree::predict(const double* x, int depth) const {
  int i = 0;
  while (!nodes[i].is_leaf() && (depth < 0 || nodes[i].depth < depth))
    i = x[nodes[i].feature] <= nodes[i].threshold ? nodes[i].left : nodes[i].right;
  return nodes[i].label;
}

std::vector<double> Tree::accuracy_by_depth(const data::Dataset& data) const {
  // correct[d] counts samples whose prediction truncated at depth d is right: walking a sample's
  // path, the node at depth d decides every truncation depth from d to the next node's depth.
  std::vector<std::size_t> correct(static_cast<std::size_t>(max_depth) + 1, 0);
  for (std::size_t r = 0; r < data.rows; ++r) {
    const double* x = data.row(r);
    int i = 0;
    for (int d = 0; d <= max_depth; ++d) {
      correct[d] += nodes[i].label == data.labels[r];
      if (!nodes[i].is_leaf())
        i = x[nodes[i].feature] <= nodes[i].threshold ? nodes[i].left : nodes[i].right;
    }
  }
  std::vector<double> accuracy(correct.size(), 0.0);
  if (data.rows > 0)
    for (std::size_t d = 0; d < correct.size(); ++d)
      accuracy[d] = static_cast<double>(correct[d]) / static_cast<double>(data.rows);
  return accuracy;
}

double Tree::accuracy(const data::Dataset& data, int depth) const {
  if (data.rows == 0) return 0.0;
  std::size_t correct = 0;
  for (std::size_t r = 0; r < data.rows; ++r)
    correct += predict(data.row(r), depth) == data.labels[r];
  return static_cast<double>(correct) / static_cast<double>(data.rows);
}

}  // namespace hyperpush::tree

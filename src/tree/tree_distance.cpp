#include "hyperpush/tree/tree_distance.hpp"

#include <cmath>

namespace hyperpush::tree {
namespace {

// Nodes of a full binary subtree from depth c down to depth D: 2^(D−c+1) − 1.
std::int64_t full_subtree(int c, int depth) { return (std::int64_t{2} << (depth - c)) - 1; }

bool same_rule(const TreeNode& x, const TreeNode& y, RuleMatch match) {
  if (x.feature != y.feature) return false;
  return match == RuleMatch::feature || x.threshold == y.threshold;
}

std::int64_t distance(const Tree& a, int i, const Tree& b, int j, int depth, RuleMatch match) {
  const TreeNode &x = a.nodes[i], &y = b.nodes[j];
  const int c = x.depth;  // == y.depth: both walks go down the same path
  if (c >= depth) return x.label == y.label ? 0 : 2;
  if (x.is_leaf() && y.is_leaf()) return x.label == y.label ? 0 : 2 * full_subtree(c, depth);
  if (x.is_leaf() || y.is_leaf() || !same_rule(x, y, match))
    return completed_size(a, i, depth) + completed_size(b, j, depth);
  return distance(a, x.left, b, y.left, depth, match) +
         distance(a, x.right, b, y.right, depth, match);
}

}  // namespace

std::int64_t completed_size(const Tree& t, int node, int depth) {
  const TreeNode& n = t.nodes[node];
  if (n.depth >= depth) return 1;
  if (n.is_leaf()) return full_subtree(n.depth, depth);
  return 1 + completed_size(t, n.left, depth) + completed_size(t, n.right, depth);
}

std::int64_t tree_distance(const Tree& a, const Tree& b, int depth, RuleMatch match) {
  return distance(a, 0, b, 0, depth, match);
}

double normalized_tree_distance(const Tree& a, const Tree& b, int depth, RuleMatch match) {
  return static_cast<double>(tree_distance(a, b, depth, match)) /
         (2.0 * std::ldexp(1.0, depth + 1));
}

}  // namespace hyperpush::tree

#pragma once
// The tree distance of the average-sensitivity paper (specs/stable-tree.md, "Tree distance").
//
// Both trees are truncated at the evaluation depth D; a leaf at depth c < D is completed into a
// full subtree of 2^(D−c+1) − 1 nodes carrying its label, and a node at depth D is a leaf carrying
// its majority label. A completed node is identified by its root-to-node path — the sequence of
// (rule, branch direction) steps — plus its own rule (internal) or label (leaf). The distance is
// the size of the symmetric difference of the two completed node sets:
//
//   both at depth D, or both leaves:  0 when the labels agree, else both completed subtrees;
//   one leaf, or different rules:     both completed subtrees (no path below can match);
//   same rule:                        distance of the left children + of the right children.
//
// Rules match on (feature, threshold) or on the feature only. The recursion walks the real child
// pointers of both trees. Normalised: d / (2 · 2^(D+1)) ∈ [0, 1).
#include <cstdint>

#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

enum class RuleMatch {
  feature_threshold,  // rules equal when feature and threshold are equal
  feature,            // rules equal when the feature is equal
};

// Size of the symmetric difference of the completed node sets at evaluation depth `depth` (>= 0).
std::int64_t tree_distance(const Tree& a, const Tree& b, int depth, RuleMatch match);

// tree_distance / (2 · 2^(depth+1)).
double normalized_tree_distance(const Tree& a, const Tree& b, int depth, RuleMatch match);

// Completed nodes of the subtree of `node` (at depth node's depth) for evaluation depth `depth`.
std::int64_t completed_size(const Tree& t, int node, int depth);

}  // namespace hyperpush::tree

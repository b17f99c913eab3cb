#pragma once
// A tree as a Graphviz DOT digraph: internal nodes show their rule, every node its samples, class
// counts and label; edges are labelled "<=" (left) and ">" (right).
#include <string>
#include <vector>

#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

// `class_names` (one per class) and `feature_names` (one per feature) are used when given;
// otherwise classes print as numbers and features as x[j].
std::string tree_to_dot(const Tree& tree, const std::vector<std::string>& class_names = {},
                        const std::vector<std::string>& feature_names = {});

}  // namespace hyperpush::tree

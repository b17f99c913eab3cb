#pragma once
// A tree as JSON: {"classes": C, "max_depth": D, "nodes": [...]}, nodes in preorder with their
// index as "id"; every node has "depth", "samples", "label" and "counts" (per class), internal
// nodes also "feature", "threshold" (x[feature] <= threshold goes left), "left" and "right".
// Numbers are written in the shortest form that reads back to the same double.
#include <string>

#include "hyperpush/tree/tree.hpp"

namespace hyperpush::tree {

// One line, no spaces (for JSON Lines); indent >= 0 pretty-prints.
std::string tree_to_json(const Tree& tree, int indent = -1);

// Reads what tree_to_json writes; throws hyperpush::Error on anything else.
Tree tree_from_json(const std::string& text);

}  // namespace hyperpush::tree

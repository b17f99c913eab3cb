#include "hyperpush/tree/tree_json.hpp"

#include <nlohmann/json.hpp>

#include "hyperpush/error.hpp"

namespace hyperpush::tree {

using nlohmann::json;

std::string tree_to_json(const Tree& tree, int indent) {
  json nodes = json::array();
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const TreeNode& n = tree.nodes[i];
    const int* c = tree.class_counts(static_cast<int>(i));
    json node = {{"id", i},
                 {"depth", n.depth},
                 {"samples", n.samples},
                 {"label", n.label},
                 {"counts", std::vector<int>(c, c + tree.classes)}};
    if (!n.is_leaf()) {
      node["feature"] = n.feature;
      node["threshold"] = n.threshold;
      node["left"] = n.left;
      node["right"] = n.right;
    }
    nodes.push_back(std::move(node));
  }
  return json{{"classes", tree.classes}, {"max_depth", tree.max_depth}, {"nodes", nodes}}.dump(
      indent);
}

Tree tree_from_json(const std::string& text) {
  try {
    const json j = json::parse(text);
    Tree tree;
    tree.classes = j.at("classes").get<int>();
    tree.max_depth = j.at("max_depth").get<int>();
    for (const auto& node : j.at("nodes")) {
      const auto counts = node.at("counts").get<std::vector<int>>();
      if (static_cast<int>(counts.size()) != tree.classes)
        throw Error("tree JSON: node " + node.at("id").dump() + " has " +
                    std::to_string(counts.size()) + " counts for " + std::to_string(tree.classes) +
                    " classes");
      const int i = tree.add_leaf(node.at("depth").get<int>(), counts.data());
      tree.nodes[i].label = node.at("label").get<int>();
      if (node.contains("feature"))
        tree.set_split(i, node.at("feature").get<int>(), node.at("threshold").get<double>(),
                       node.at("left").get<int>(), node.at("right").get<int>());
    }
    const int size = static_cast<int>(tree.nodes.size());
    for (const auto& n : tree.nodes)
      if (!n.is_leaf() && (n.left <= 0 || n.left >= size || n.right <= 0 || n.right >= size))
        throw Error("tree JSON: a child index is outside [1, " + std::to_string(size) + ")");
    return tree;
  } catch (const json::exception& e) {
    throw Error(std::string("tree JSON: ") + e.what());
  }
}

}  // namespace hyperpush::tree

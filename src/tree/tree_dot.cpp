#include "hyperpush/tree/tree_dot.hpp"

#include <sstream>

namespace hyperpush::tree {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string tree_to_dot(const Tree& tree, const std::vector<std::string>& class_names,
                        const std::vector<std::string>& feature_names) {
  const auto class_name = [&](int k) {
    return k < static_cast<int>(class_names.size()) ? class_names[k] : std::to_string(k);
  };
  std::ostringstream out;
  out.precision(6);
  out << "digraph tree {\n  node [shape=box, fontname=\"Helvetica\"];\n"
         "  edge [fontname=\"Helvetica\"];\n";
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const TreeNode& n = tree.nodes[i];
    std::ostringstream label;
    label.precision(6);
    if (!n.is_leaf()) {
      const std::string feature = n.feature < static_cast<int>(feature_names.size())
                                      ? feature_names[n.feature]
                                      : "x[" + std::to_string(n.feature) + "]";
      label << escape(feature) << " <= " << n.threshold << "\\n";
    }
    label << "samples = " << n.samples << "\\ncounts = [";
    const int* c = tree.class_counts(static_cast<int>(i));
    for (int k = 0; k < tree.classes; ++k) label << (k ? ", " : "") << c[k];
    label << "]\\nclass = " << escape(class_name(n.label));
    out << "  n" << i << " [label=\"" << label.str() << "\"";
    if (n.is_leaf()) out << ", style=rounded";
    out << "];\n";
    if (!n.is_leaf()) {
      out << "  n" << i << " -> n" << n.left << " [label=\"<=\"];\n";
      out << "  n" << i << " -> n" << n.right << " [label=\">\"];\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace hyperpush::tree

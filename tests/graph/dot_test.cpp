#include "hyperpush/graph/dot.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace hyperpush::graph {
namespace {

TEST(Dot, WritesNodesEdgesAndTheRound) {
  EdgeList edges = {{0, 1}, {1, 2}, {2, 0}, {2, 1}, {1, 1}};
  Digraph g;
  g.assign(3, edges);
  std::ostringstream out;
  write_dot(g, 12, out);
  EXPECT_EQ(out.str(),
            "digraph round_12 {\n"
            "  label=\"G(12): 3 agents, 4 edges (self-loops not drawn)\";\n"
            "  node [shape=circle];\n"
            "  0;\n"
            "  1;\n"
            "  2;\n"
            "  0 -> 1;\n"
            "  1 -> 2;\n"
            "  2 -> 0;\n"
            "  2 -> 1;\n"
            "}\n");
}

}  // namespace
}  // namespace hyperpush::graph

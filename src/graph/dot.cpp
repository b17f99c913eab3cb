#include "hyperpush/graph/dot.hpp"

namespace hyperpush::graph {

void write_dot(const Digraph& g, std::int64_t round, std::ostream& out) {
  out << "digraph round_" << round << " {\n"
      << "  label=\"G(" << round << "): " << g.agents() << " agents, "
      << g.edge_count() - g.agents() << " edges (self-loops not drawn)\";\n"
      << "  node [shape=circle];\n";
  for (int i = 0; i < g.agents(); ++i) out << "  " << i << ";\n";
  for (int u = 0; u < g.agents(); ++u)
    for (const int* v = g.out_begin(u); v != g.out_end(u); ++v)
      if (*v != u) out << "  " << u << " -> " << *v << ";\n";
  out << "}\n";
}

}  // namespace hyperpush::graph

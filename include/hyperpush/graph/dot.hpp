#pragma once
// Graphviz DOT output of one round's graph, for figures and debugging: `dot -Tpdf round.dot`.
#include <cstdint>
#include <ostream>

#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::graph {

// `digraph round_<round> { ... }` with nodes 0 .. n-1, every edge u -> v except the (implicit)
// self-loops, and a graph label naming the round.
void write_dot(const Digraph& g, std::int64_t round, std::ostream& out);

}  // namespace hyperpush::graph

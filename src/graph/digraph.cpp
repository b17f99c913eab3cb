#include "hyperpush/graph/digraph.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::graph {

void Digraph::assign(int agents, EdgeList& edges) {
  if (agents < 0) throw Error("graph: agent count " + std::to_string(agents) + " is negative");
  for (const Edge& e : edges) {
    if (e.first < 0 || e.first >= agents || e.second < 0 || e.second >= agents)
      throw Error("graph: edge " + std::to_string(e.first) + " -> " + std::to_string(e.second) +
                  " names an agent outside [0, " + std::to_string(agents) + ")");
  }
  // Offsets are int: the round, self-loops included, must hold fewer than 2^31 edges.
  if (static_cast<long long>(edges.size()) + agents > INT_MAX)
    throw Error("graph: " + std::to_string(edges.size()) + " edges in one round exceed the " +
                std::to_string(INT_MAX) + " a Digraph can hold");
  // Most generators emit edges already in (u, v) order; checking first saves an O(m log m) sort.
  if (!std::is_sorted(edges.begin(), edges.end())) std::sort(edges.begin(), edges.end());

  // Every vector below is cleared or assigned within its capacity, so a graph no larger than an
  // earlier one allocates nothing.
  agents_ = agents;
  out_offset_.assign(static_cast<std::size_t>(agents) + 1, 0);
  out_target_.clear();
  auto e = edges.begin();
  for (int u = 0; u < agents; ++u) {
    // Merge the sorted targets of u with the self-loop u, dropping duplicates.
    bool self_done = false;
    int last = -1;
    for (; e != edges.end() && e->first == u; ++e) {
      if (!self_done && u <= e->second) {
        if (u != last) out_target_.push_back(u);
        last = u;
        self_done = true;
      }
      if (e->second != last) out_target_.push_back(e->second);
      last = e->second;
    }
    if (!self_done) out_target_.push_back(u);
    out_offset_[u + 1] = static_cast<int>(out_target_.size());
  }

  // In-lists by counting sort on the target. Sources are visited in ascending order, so every
  // in-list comes out sorted: the order receivers sum in (DESIGN.md, determinism contract).
  in_offset_.assign(static_cast<std::size_t>(agents) + 1, 0);
  for (int v : out_target_) ++in_offset_[v + 1];
  for (int v = 0; v < agents; ++v) in_offset_[v + 1] += in_offset_[v];
  in_source_.resize(out_target_.size());
  for (int u = 0; u < agents; ++u)
    for (int k = out_offset_[u]; k < out_offset_[u + 1]; ++k)
      in_source_[in_offset_[out_target_[k]]++] = u;
  // The fill advanced in_offset_[v] to the end of v's list, which is the start of v + 1's.
  for (int v = agents; v > 0; --v) in_offset_[v] = in_offset_[v - 1];
  in_offset_[0] = 0;
}

bool Digraph::has_edge(int u, int v) const {
  if (u < 0 || u >= agents_ || v < 0 || v >= agents_) return false;
  return std::binary_search(out_begin(u), out_end(u), v);
}

}  // namespace hyperpush::graph

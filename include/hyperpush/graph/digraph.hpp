#pragma once
// One round's directed graph G(t) in compressed sparse rows, out- and in-neighbours both sorted by
// agent id. Every agent has its self-loop. Storage is reused from round to round: assigning a new
// edge list allocates only while the graph grows past its largest size so far.
#include <cstdint>
#include <utility>
#include <vector>

namespace hyperpush::graph {

using Edge = std::pair<int, int>;  // (from, to)
using EdgeList = std::vector<Edge>;

class Digraph {
 public:
  Digraph() = default;

  // Rebuilds the graph on `agents` vertices from `edges` (u → v, any order, duplicates and
  // self-loops allowed) plus every self-loop. `edges` is sorted in place. Throws hyperpush::Error
  // on an agent id outside [0, agents).
  void assign(int agents, EdgeList& edges);

  int agents() const { return agents_; }
  // Number of edges, self-loops included.
  std::int64_t edge_count() const { return static_cast<std::int64_t>(out_target_.size()); }

  // O_i(t): out-neighbours of i, itself included, ascending.
  const int* out_begin(int i) const { return out_target_.data() + out_offset_[i]; }
  const int* out_end(int i) const { return out_target_.data() + out_offset_[i + 1]; }
  int out_degree(int i) const { return out_offset_[i + 1] - out_offset_[i]; }

  // In-neighbours of j, itself included, ascending (the order receivers sum in).
  const int* in_begin(int j) const { return in_source_.data() + in_offset_[j]; }
  const int* in_end(int j) const { return in_source_.data() + in_offset_[j + 1]; }
  int in_degree(int j) const { return in_offset_[j + 1] - in_offset_[j]; }

  // O(log out_degree(u)); false for ids outside [0, agents).
  bool has_edge(int u, int v) const;

  // Same agents and the same edges (in-lists follow from out-lists).
  friend bool operator==(const Digraph& a, const Digraph& b) {
    return a.agents_ == b.agents_ && a.out_offset_ == b.out_offset_ &&
           a.out_target_ == b.out_target_;
  }
  friend bool operator!=(const Digraph& a, const Digraph& b) { return !(a == b); }

 private:
  int agents_ = 0;
  std::vector<int> out_offset_{0}, out_target_;
  std::vector<int> in_offset_{0}, in_source_;
};

}  // namespace hyperpush::graph

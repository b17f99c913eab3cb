// random-directed, the paper's schedule (specs/hgp.md), and random-undirected. Every edge has a
// rate r_uv drawn once (edge_rate.hpp), and in round t it is active iff
//   random_uniform(seed, Purpose::edge_active, u, v, t) < r_uv,
// independently of every other edge and round:
//   random-directed    every ordered pair u ≠ v is an edge u → v;
//   random-undirected  every unordered pair u < v is one edge, both u → v and v → u when active
//                      (every G(t) is symmetric).
// Never repeats (period 0). O(n²) expected edges per round and an n × n rate table: not scalable.
#include <memory>
#include <vector>

#include "edge_rate.hpp"
#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class RandomRates final : public Topology {
 public:
  RandomRates(const TopologySpec& spec, int agents, std::uint64_t seed, bool undirected)
      : agents_(agents),
        undirected_(undirected),
        draw_(static_cast<std::size_t>(agents) * static_cast<std::size_t>(agents)) {
    for (int u = 0; u < agents; ++u)
      for (int v = first_peer(u); v < agents; ++v)
        if (u != v) draw_[index(u, v)] = EdgeDraw(spec, seed, u, v);
  }
  void edges(std::int64_t t, EdgeList& out) const override {
    for (int u = 0; u < agents_; ++u)
      for (int v = first_peer(u); v < agents_; ++v)
        if (u != v && draw_[index(u, v)].active(t)) {
          out.emplace_back(u, v);
          if (undirected_) out.emplace_back(v, u);
        }
  }
  std::int64_t period() const override { return 0; }

 private:
  // The edges of u: to every v ≠ u (directed), to every v > u (a pair drawn once).
  int first_peer(int u) const { return undirected_ ? u + 1 : 0; }
  std::size_t index(int u, int v) const {
    return static_cast<std::size_t>(u) * static_cast<std::size_t>(agents_) +
           static_cast<std::size_t>(v);
  }
  int agents_;
  bool undirected_;
  std::vector<EdgeDraw> draw_;  // edge u -> v (pair {u, v}, u < v) at index(u, v)
};

template <bool undirected>
std::unique_ptr<Topology> make(const TopologySpec& spec, int agents, std::uint64_t seed) {
  check_rate_range(spec);
  return std::make_unique<RandomRates>(spec, agents, seed, undirected);
}

}  // namespace

const TopologyKind random_directed = {
    "random-directed",
    "u -> v active each round with its own probability r_uv ~ U(rate_min, rate_max) (the paper's)",
    /*time_varying=*/true, /*scalable=*/false, make<false>};

const TopologyKind random_undirected = {
    "random-undirected",
    "pair {u, v} active each round with probability r_uv ~ U(rate_min, rate_max), both directions",
    /*time_varying=*/true, /*scalable=*/false, make<true>};

}  // namespace hyperpush::graph::topologies

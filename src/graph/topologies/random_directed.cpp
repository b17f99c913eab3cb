// random-directed: the paper's schedule (specs/hgp.md). Every ordered pair u ≠ v has a rate r_uv
// drawn once (edge_rate.hpp); in round t, u → v is active iff
//   random_uniform(seed, Purpose::edge_active, u, v, t) < r_uv,
// independently of every other edge and round. Never repeats (period 0). O(n²) expected edges per
// round and an n × n rate table: not scalable.
#include <memory>
#include <vector>

#include "edge_rate.hpp"
#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class RandomDirected final : public Topology {
 public:
  RandomDirected(const TopologySpec& spec, int agents, std::uint64_t seed)
      : agents_(agents),
        draw_(static_cast<std::size_t>(agents) * static_cast<std::size_t>(agents)) {
    for (int u = 0; u < agents; ++u)
      for (int v = 0; v < agents; ++v)
        if (u != v) draw_[index(u, v)] = EdgeDraw(spec, seed, u, v);
  }
  void edges(std::int64_t t, EdgeList& out) const override {
    for (int u = 0; u < agents_; ++u)
      for (int v = 0; v < agents_; ++v)
        if (u != v && draw_[index(u, v)].active(t)) out.emplace_back(u, v);
  }
  std::int64_t period() const override { return 0; }

 private:
  std::size_t index(int u, int v) const {
    return static_cast<std::size_t>(u) * static_cast<std::size_t>(agents_) +
           static_cast<std::size_t>(v);
  }
  int agents_;
  std::vector<EdgeDraw> draw_;  // edge u -> v at index(u, v); the diagonal is unused
};

std::unique_ptr<Topology> make(const TopologySpec& spec, int agents, std::uint64_t seed) {
  check_rate_range(spec);
  return std::make_unique<RandomDirected>(spec, agents, seed);
}

}  // namespace

const TopologyKind random_directed = {
    "random-directed",
    "u -> v active each round with its own probability r_uv ~ U(rate_min, rate_max) (the paper's)",
    /*time_varying=*/true, /*scalable=*/false, make};

}  // namespace hyperpush::graph::topologies

// random-undirected: like random-directed, but per unordered pair: for u < v a rate r_uv is drawn
// once from the key (u, v) (edge_rate.hpp), and in round t the pair is active iff
//   random_uniform(seed, Purpose::edge_active, u, v, t) < r_uv,
// in which case both u → v and v → u are. Every G(t) is symmetric. Period 0, O(n²): not scalable.
#include <memory>
#include <vector>

#include "edge_rate.hpp"
#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class RandomUndirected final : public Topology {
 public:
  RandomUndirected(const TopologySpec& spec, int agents, std::uint64_t seed)
      : agents_(agents),
        draw_(static_cast<std::size_t>(agents) * static_cast<std::size_t>(agents)) {
    for (int u = 0; u < agents; ++u)
      for (int v = u + 1; v < agents; ++v) draw_[index(u, v)] = EdgeDraw(spec, seed, u, v);
  }
  void edges(std::int64_t t, EdgeList& out) const override {
    for (int u = 0; u < agents_; ++u)
      for (int v = u + 1; v < agents_; ++v)
        if (draw_[index(u, v)].active(t)) {
          out.emplace_back(u, v);
          out.emplace_back(v, u);
        }
  }
  std::int64_t period() const override { return 0; }

 private:
  std::size_t index(int u, int v) const {
    return static_cast<std::size_t>(u) * static_cast<std::size_t>(agents_) +
           static_cast<std::size_t>(v);
  }
  int agents_;
  std::vector<EdgeDraw> draw_;  // pair {u, v} at index(u, v), u < v
};

std::unique_ptr<Topology> make(const TopologySpec& spec, int agents, std::uint64_t seed) {
  check_rate_range(spec);
  return std::make_unique<RandomUndirected>(spec, agents, seed);
}

}  // namespace

const TopologyKind random_undirected = {
    "random-undirected",
    "pair {u, v} active each round with probability r_uv ~ U(rate_min, rate_max), both directions",
    /*time_varying=*/true, /*scalable=*/false, make};

}  // namespace hyperpush::graph::topologies

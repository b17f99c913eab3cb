// star: agent 0 (the hub) ↔ every other agent, both directions. Only 2(n − 1) edges, but the hub
// sends and receives n − 1 messages every round, so the hub's link and compute bound the round
// time: marked not scalable. Diameter 2.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class Star final : public StaticTopology {
 public:
  using StaticTopology::StaticTopology;
  void edges(std::int64_t, EdgeList& out) const override {
    for (int i = 1; i < agents_; ++i) {
      out.emplace_back(0, i);
      out.emplace_back(i, 0);
    }
  }
};

}  // namespace

const TopologyKind star = {
    "star",
    "agent 0 <-> every other agent: diameter 2, but the hub carries 2(n-1) messages a round",
    /*time_varying=*/false, /*scalable=*/false, make_from_agents<Star>};

}  // namespace hyperpush::graph::topologies

// complete: every agent pushes to every other agent in every round, u → v for all u ≠ v.
// n(n − 1) edges per round: the ideal mixer (push-sum is exact after one round) and the worst
// communication cost, so not scalable.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class Complete final : public StaticTopology {
 public:
  using StaticTopology::StaticTopology;
  void edges(std::int64_t, EdgeList& out) const override {
    for (int u = 0; u < agents_; ++u)
      for (int v = 0; v < agents_; ++v)
        if (u != v) out.emplace_back(u, v);
  }
};

}  // namespace

const TopologyKind complete = {
    "complete", "every agent pushes to every other agent (n(n-1) edges per round)",
    /*time_varying=*/false, /*scalable=*/false, make_from_agents<Complete>};

}  // namespace hyperpush::graph::topologies

// directed-ring: i → i + 1 (mod n). One out-neighbour per agent; strongly connected with diameter
// n − 1, so push-sum contracts slowly (spectral gap O(1/n²)) but each round costs only n messages.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class DirectedRing final : public StaticTopology {
 public:
  using StaticTopology::StaticTopology;
  void edges(std::int64_t, EdgeList& out) const override {
    if (agents_ < 2) return;
    for (int i = 0; i < agents_; ++i) out.emplace_back(i, (i + 1) % agents_);
  }
};

}  // namespace

const TopologyKind directed_ring = {"directed-ring", "i -> i+1 mod n: one peer, diameter n-1",
                                    /*time_varying=*/false, /*scalable=*/true,
                                    make_from_agents<DirectedRing>};

}  // namespace hyperpush::graph::topologies

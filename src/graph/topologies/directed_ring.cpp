// directed-ring: i → i + 1 (mod n). One out-neighbour per agent; strongly connected with diameter
// n − 1, so push-sum contracts slowly (spectral gap O(1/n²)) but each round costs only n messages.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class DirectedRing final : public Topology {
 public:
  explicit DirectedRing(int agents) : agents_(agents) {}
  void edges(std::int64_t, EdgeList& out) const override {
    if (agents_ < 2) return;
    for (int i = 0; i < agents_; ++i) out.emplace_back(i, (i + 1) % agents_);
  }
  std::int64_t period() const override { return 1; }

 private:
  int agents_;
};

std::unique_ptr<Topology> make(const TopologySpec&, int agents, std::uint64_t) {
  return std::make_unique<DirectedRing>(agents);
}

}  // namespace

const TopologyKind directed_ring = {"directed-ring", "i -> i+1 mod n: one peer, diameter n-1",
                                    /*time_varying=*/false, /*scalable=*/true, make};

}  // namespace hyperpush::graph::topologies

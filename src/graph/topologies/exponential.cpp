// exponential (static): i → i + 2^k (mod n) for every k with 2^k < n (Assran et al., ICML 2019,
// "exponential graph"). The distances 2^k are distinct and nonzero mod n, so every agent has
// floor(log2(n − 1)) + 1 out-neighbours (n ≥ 2) and the diameter is O(log n).
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class Exponential final : public StaticTopology {
 public:
  using StaticTopology::StaticTopology;
  void edges(std::int64_t, EdgeList& out) const override {
    for (int i = 0; i < agents_; ++i)
      for (long long d = 1; d < agents_; d *= 2)
        out.emplace_back(i, static_cast<int>((i + d) % agents_));
  }
};

}  // namespace

const TopologyKind exponential = {
    "exponential", "i -> i+2^k mod n for every 2^k < n: log2(n) peers, diameter log2(n)",
    /*time_varying=*/false, /*scalable=*/true, make_from_agents<Exponential>};

}  // namespace hyperpush::graph::topologies

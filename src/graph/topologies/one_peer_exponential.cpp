// one-peer-exponential: in round t, i → i + 2^(t mod L) (mod n), where L is the number of k with
// 2^k < n (SGP's time-varying exponential graph, Assran et al., ICML 2019, section 3). One peer per
// round; the union of any L consecutive rounds is the static exponential graph. For n a power of
// two, L = log2 n consecutive rounds of push-sum average exactly:
//   Π_k (I + P^(2^k)) / 2 = (1/n) Σ_j P^j    (P the cyclic shift).
// A single agent has no peer (L = 0): no edges, period 1.
#include <memory>

#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class OnePeerExponential final : public Topology {
 public:
  explicit OnePeerExponential(int agents) : agents_(agents) {
    for (long long d = 1; d < agents_; d *= 2) ++distances_;
  }
  void edges(std::int64_t t, EdgeList& out) const override {
    if (distances_ == 0) return;
    const long long d = 1LL << (t % distances_);
    for (int i = 0; i < agents_; ++i) out.emplace_back(i, static_cast<int>((i + d) % agents_));
  }
  std::int64_t period() const override { return distances_ == 0 ? 1 : distances_; }

 private:
  int agents_;
  int distances_ = 0;  // L
};

}  // namespace

const TopologyKind one_peer_exponential = {
    "one-peer-exponential",
    "round t: i -> i+2^(t mod L), L = #{k : 2^k < n}: one peer per round, period L",
    /*time_varying=*/true, /*scalable=*/true, make_from_agents<OnePeerExponential>};

}  // namespace hyperpush::graph::topologies

// erdos-renyi: one directed Erdős–Rényi graph G(n, p), drawn once and used in every round:
//   u → v (u ≠ v) iff random_uniform(seed, Purpose::static_graph, u, v, 0) < p.
// It may well not be strongly connected for small p; analysis.hpp says so before a run starts.
// p n(n − 1) expected edges: not scalable.
#include <memory>
#include <sstream>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "topology_kinds.hpp"

namespace hyperpush::graph::topologies {
namespace {

class ErdosRenyi final : public Topology {
 public:
  ErdosRenyi(double probability, int agents, std::uint64_t seed) {
    for (int u = 0; u < agents; ++u)
      for (int v = 0; v < agents; ++v)
        if (u != v && random_uniform(seed, Purpose::static_graph, static_cast<std::uint64_t>(u),
                                     static_cast<std::uint64_t>(v), 0) < probability)
          edges_.emplace_back(u, v);
  }
  void edges(std::int64_t, EdgeList& out) const override {
    out.insert(out.end(), edges_.begin(), edges_.end());
  }
  std::int64_t period() const override { return 1; }

 private:
  EdgeList edges_;
};

std::unique_ptr<Topology> make(const TopologySpec& spec, int agents, std::uint64_t seed) {
  if (!(spec.probability > 0.0 && spec.probability <= 1.0)) {
    std::ostringstream msg;
    msg << "topology.probability: need 0 < probability <= 1 for kind 'erdos-renyi', got "
        << spec.probability;
    throw Error(msg.str());
  }
  return std::make_unique<ErdosRenyi>(spec.probability, agents, seed);
}

}  // namespace

const TopologyKind erdos_renyi = {
    "erdos-renyi", "one directed G(n, p) drawn once (p = topology.probability), used every round",
    /*time_varying=*/false, /*scalable=*/false, make};

}  // namespace hyperpush::graph::topologies

// The list of topology kinds. Adding a kind: one file in topologies/ and one line here.
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/topology.hpp"
#include "topologies/topology_kinds.hpp"

namespace hyperpush::graph {

const std::vector<TopologyKind>& topology_kinds() {
  static const std::vector<TopologyKind> kinds = {
      topologies::complete,
      topologies::directed_ring,
      topologies::exponential,
      topologies::one_peer_exponential,
      topologies::random_directed,
      topologies::random_undirected,
      topologies::erdos_renyi,
      topologies::torus,
      topologies::star,
      topologies::file,
  };
  return kinds;
}

std::unique_ptr<Topology> make_topology(const TopologySpec& spec, int agents, std::uint64_t seed) {
  if (agents < 1) throw Error("topology: need at least one agent, got " + std::to_string(agents));
  for (const TopologyKind& kind : topology_kinds())
    if (spec.kind == kind.name) return kind.make(spec, agents, seed);
  std::string valid;
  for (const TopologyKind& kind : topology_kinds())
    valid += (valid.empty() ? "" : ", ") + std::string(kind.name);
  throw Error("topology.kind: unknown kind '" + spec.kind + "'; valid kinds: " + valid);
}

}  // namespace hyperpush::graph

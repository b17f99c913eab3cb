#pragma once
// The registry's entries, one per file in this folder (src/graph/topology_registry.cpp lists them).
// Each entry is a constant aggregate (name, doc, flags, factory), constant-initialized, so the
// registry may read them during static initialization of other files.
#include <cstdint>
#include <memory>

#include "hyperpush/graph/topology.hpp"

namespace hyperpush::graph::topologies {

// A graph of n agents that is the same every round (period 1).
class StaticTopology : public Topology {
 public:
  explicit StaticTopology(int agents) : agents_(agents) {}
  std::int64_t period() const override { return 1; }

 protected:
  int agents_;
};

// The factory of a topology made from the agent count alone.
template <class T>
std::unique_ptr<Topology> make_from_agents(const TopologySpec&, int agents, std::uint64_t) {
  return std::make_unique<T>(agents);
}

extern const TopologyKind complete;
extern const TopologyKind directed_ring;
extern const TopologyKind exponential;
extern const TopologyKind one_peer_exponential;
extern const TopologyKind random_directed;
extern const TopologyKind random_undirected;
extern const TopologyKind erdos_renyi;
extern const TopologyKind torus;
extern const TopologyKind star;
extern const TopologyKind file;

}  // namespace hyperpush::graph::topologies

#pragma once
// The registry's entries, one per file in this folder (src/graph/topology_registry.cpp lists them).
// Each entry is a constant aggregate (name, doc, flags, factory), constant-initialized, so the
// registry may read them during static initialization of other files.
#include "hyperpush/graph/topology.hpp"

namespace hyperpush::graph::topologies {

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

#pragma once
// Topology generators: small pure objects that answer "which edges are active in round t"
// (the SGP pattern). Adding a kind is one file in src/graph/topologies/ and one registry line.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hyperpush/graph/digraph.hpp"

namespace hyperpush::graph {

// What a config's [topology] section says about the graph itself.
struct TopologySpec {
  std::string kind = "random-directed";
  std::string file;       // `file` kind: path of the edge-list schedule
  double rate_min = 0.4;  // random-directed / random-undirected: r_uv ~ U(rate_min, rate_max)
  double rate_max = 0.8;
  double probability = 0.5;  // erdos-renyi: edge probability
};

class Topology {
 public:
  virtual ~Topology() = default;
  // Appends the edges u → v (u ≠ v) active in round t; self-loops are implicit. Pure in t.
  virtual void edges(std::int64_t t, EdgeList& out) const = 0;
  // G(t + period) == G(t) for every t; 1 for a static graph, 0 when the graph never repeats.
  virtual std::int64_t period() const = 0;
};

using TopologyFactory = std::unique_ptr<Topology> (*)(const TopologySpec& spec, int agents,
                                                      std::uint64_t seed);

struct TopologyKind {
  const char* name;
  const char* doc;  // one line for the README and error messages
  bool time_varying;
  bool scalable;  // O(n log n) edges or fewer per round: fit for thousands of agents
  TopologyFactory make;
};

// Every kind, in the order the docs list them.
const std::vector<TopologyKind>& topology_kinds();

// The generator for spec.kind; throws hyperpush::Error naming the valid kinds when unknown, or when
// the spec's parameters are invalid for that kind.
std::unique_ptr<Topology> make_topology(const TopologySpec& spec, int agents, std::uint64_t seed);

}  // namespace hyperpush::graph

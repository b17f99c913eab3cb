#pragma once
// Edge rates of the random schedules (specs/hgp.md, "Graph schedule and push weights"): each edge
// u → v (or pair {u, v}) gets a rate r_uv ~ U(rate_min, rate_max), drawn once from
// random_uniform(seed, Purpose::edge_rate, u, v, 0), and is then active in round t independently
// with probability r_uv. The paper uses U(0.4, 0.8).
#include <cstdint>
#include <sstream>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/topology.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::graph::topologies {

// Throws unless 0 < rate_min <= rate_max <= 1 (a zero rate could leave an edge off forever).
inline void check_rate_range(const TopologySpec& spec) {
  if (0.0 < spec.rate_min && spec.rate_min <= spec.rate_max && spec.rate_max <= 1.0) return;
  std::ostringstream msg;
  msg << "topology.rate_min / topology.rate_max: need 0 < rate_min <= rate_max <= 1 for kind '"
      << spec.kind << "', got rate_min = " << spec.rate_min << " and rate_max = " << spec.rate_max;
  throw Error(msg.str());
}

// r_uv = rate_min + (rate_max − rate_min) · U, U = random_uniform(seed, edge_rate, u, v, 0).
inline double edge_rate(const TopologySpec& spec, std::uint64_t seed, int u, int v) {
  return spec.rate_min + (spec.rate_max - spec.rate_min) *
                             random_uniform(seed, Purpose::edge_rate, static_cast<std::uint64_t>(u),
                                            static_cast<std::uint64_t>(v), 0);
}

// Edge (or pair) u, v is active in round t iff random_uniform(seed, edge_active, u, v, t) < r_uv.
inline bool edge_active(std::uint64_t seed, int u, int v, std::int64_t t, double rate) {
  return random_uniform(seed, Purpose::edge_active, static_cast<std::uint64_t>(u),
                        static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(t)) < rate;
}

}  // namespace hyperpush::graph::topologies

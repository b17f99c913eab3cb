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

// One edge's (or pair's) draws. Its rate is
//   r_uv = rate_min + (rate_max − rate_min) · random_uniform(seed, edge_rate, u, v, 0),
// and it is active in round t iff random_uniform(seed, edge_active, u, v, t) < r_uv. random.hpp
// chains splitmix64 over (seed, purpose, u, v, t); all stages but the last depend on the edge
// alone, so they are computed once here and a round costs one splitmix64 per edge — the same
// numbers, five times faster (tests/graph/random_topology_test.cpp and replay_test.cpp hold the
// result to the documented formula).
struct EdgeDraw {
  EdgeDraw() = default;
  EdgeDraw(const TopologySpec& spec, std::uint64_t seed, int u, int v)
      : prefix(splitmix64(splitmix64(splitmix64(splitmix64(seed) ^
                                                static_cast<std::uint64_t>(Purpose::edge_active)) ^
                                     static_cast<std::uint64_t>(u)) ^
                          static_cast<std::uint64_t>(v))),
        rate(spec.rate_min +
             (spec.rate_max - spec.rate_min) * random_uniform(seed, Purpose::edge_rate,
                                                              static_cast<std::uint64_t>(u),
                                                              static_cast<std::uint64_t>(v), 0)) {}

  // random_uniform(seed, edge_active, u, v, t) < r_uv, i.e. (splitmix64(prefix ^ t) >> 11)·2^-53.
  bool active(std::int64_t t) const {
    return static_cast<double>(splitmix64(prefix ^ static_cast<std::uint64_t>(t)) >> 11) *
               0x1.0p-53 <
           rate;
  }

  std::uint64_t prefix = 0;  // the chain state after (seed, edge_active, u, v)
  double rate = 0.0;         // r_uv
};

}  // namespace hyperpush::graph::topologies

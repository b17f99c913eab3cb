#pragma once
// A schedule: G(t) for every round t, a pure function of (spec, agent count, seed, t).
// Periodic schedules (static graphs, one-peer exponential, files) build each round of the period
// once, on first use, and keep it, up to kMaxCachedEdges edges in all; the others (and rounds past
// that budget) are regenerated into reused storage, so a round never allocates in steady state.
#include <cstdint>
#include <memory>
#include <vector>

#include "hyperpush/graph/digraph.hpp"
#include "hyperpush/graph/topology.hpp"

namespace hyperpush::graph {

class Schedule {
 public:
  Schedule(const TopologySpec& spec, int agents, std::uint64_t seed);

  int agents() const { return agents_; }
  const TopologySpec& spec() const { return spec_; }
  std::uint64_t seed() const { return seed_; }
  std::int64_t period() const { return topology_->period(); }

  // G(t), t >= 0 (hyperpush::Error otherwise). The reference stays valid until the next call to
  // round().
  const Digraph& round(std::int64_t t);

  // What the cache may hold, in edges (self-loops included) plus one offset per agent per round:
  // 64 Mi, about 512 MiB of out- and in-lists. Rounds past it are regenerated instead.
  static constexpr std::int64_t kMaxCachedEdges = std::int64_t{64} << 20;

 private:
  TopologySpec spec_;
  int agents_;
  std::uint64_t seed_;
  std::unique_ptr<Topology> topology_;
  std::vector<Digraph> cache_;  // one per round of the period; agents() == 0 until built
  std::int64_t cached_edges_ = 0;
  Digraph current_;
  EdgeList scratch_;
};

}  // namespace hyperpush::graph

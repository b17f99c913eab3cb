#include "hyperpush/graph/schedule.hpp"

#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::graph {

Schedule::Schedule(const TopologySpec& spec, int agents, std::uint64_t seed)
    : spec_(spec), agents_(agents), seed_(seed), topology_(make_topology(spec, agents, seed)) {
  // Every round holds at least `agents` self-loops, so a period longer than this can never fit.
  const std::int64_t p = topology_->period();
  if (p >= 1 && p <= kMaxCachedEdges / agents_) cache_.resize(static_cast<std::size_t>(p));
}

const Digraph& Schedule::round(std::int64_t t) {
  if (t < 0)
    throw Error("schedule: round " + std::to_string(t) + " is negative; rounds count from 0");
  if (!cache_.empty()) {
    Digraph& cached = cache_[static_cast<std::size_t>(t % static_cast<std::int64_t>(cache_.size()))];
    if (cached.agents() == agents_) return cached;
    scratch_.clear();
    topology_->edges(t, scratch_);
    // scratch_ holds no self-loops; the Digraph adds agents_ of them.
    const std::int64_t edges = static_cast<std::int64_t>(scratch_.size()) + agents_;
    if (cached_edges_ + edges <= kMaxCachedEdges) {
      cached.assign(agents_, scratch_);
      cached_edges_ += cached.edge_count();
      return cached;
    }
    current_.assign(agents_, scratch_);
    return current_;
  }
  scratch_.clear();
  topology_->edges(t, scratch_);
  current_.assign(agents_, scratch_);
  return current_;
}

}  // namespace hyperpush::graph

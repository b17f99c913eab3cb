#include "hyperpush/graph/schedule.hpp"

#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::graph {

Schedule::Schedule(const TopologySpec& spec, int agents, std::uint64_t seed)
    : spec_(spec), agents_(agents), seed_(seed), topology_(make_topology(spec, agents, seed)) {
  // A cached round costs its edges plus its offsets (agents + 1 per list) and a fixed ~160 bytes:
  // budget agents + 40 ints per round up front, so that long periods (files of millions of rounds)
  // are regenerated rather than cached.
  const std::int64_t p = topology_->period();
  if (p >= 1 && p <= kMaxCachedEdges / (std::int64_t{agents_} + 40))
    cache_.resize(static_cast<std::size_t>(p));
}

const Digraph& Schedule::round(std::int64_t t) {
  if (t < 0)
    throw Error("schedule: round " + std::to_string(t) + " is negative; rounds count from 0");
  if (!cache_.empty()) {
    Digraph& cached =
        cache_[static_cast<std::size_t>(t % static_cast<std::int64_t>(cache_.size()))];
    if (cached.agents() == agents_) return cached;
    scratch_.clear();
    topology_->edges(t, scratch_);
    // At most scratch_.size() edges plus agents_ self-loops, and agents_ + 1 offsets per list.
    const std::int64_t cost =
        static_cast<std::int64_t>(scratch_.size()) + 2 * std::int64_t{agents_};
    if (cached_edges_ + cost <= kMaxCachedEdges) {
      cached.assign(agents_, scratch_);
      cached_edges_ += cached.edge_count() + agents_;
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

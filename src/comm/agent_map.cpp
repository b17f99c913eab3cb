#include "hyperpush/comm/agent_map.hpp"

#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::comm {

AgentMap::AgentMap(int agents, int ranks)
    : agents_(agents),
      ranks_(ranks),
      base_(ranks > 0 ? agents / ranks : 0),
      extra_(ranks > 0 ? agents % ranks : 0) {
  if (agents < 1 || ranks < 1)
    throw Error("agent map: need at least one agent and one rank (got " + std::to_string(agents) +
                " agents on " + std::to_string(ranks) + " ranks)");
}

int AgentMap::first(int rank) const { return rank * base_ + (rank < extra_ ? rank : extra_); }

int AgentMap::owner(int agent) const {
  // The first `extra_` ranks hold base_ + 1 agents each.
  const int big = extra_ * (base_ + 1);
  if (agent < big) return agent / (base_ + 1);
  return extra_ + (agent - big) / base_;
}

}  // namespace hyperpush::comm

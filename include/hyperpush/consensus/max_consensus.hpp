#pragma once
// Max-consensus (flooding) over the run's schedule: every round each agent replaces its values by
// the elementwise max over itself and its in-neighbours. If every window of B rounds has a strongly
// connected union, each window informs at least one more agent of the maximum, so after (n − 1)·B
// rounds every agent holds exactly the global max, bit for bit — which push-sum, converging only
// geometrically, cannot give. Cost per round: `width` numbers per out-edge.
#include <cstdint>
#include <vector>

#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::consensus {

// `values`: local agents × width, replaced in place by the running max over `rounds` rounds.
void max_consensus(Gossip& gossip, std::vector<double>& values, int width, std::int64_t rounds);

// (n − 1)·B, the rounds after which max-consensus is exact on a B-strongly-connected schedule.
std::int64_t flooding_rounds(int agents, std::int64_t b);

}  // namespace hyperpush::consensus

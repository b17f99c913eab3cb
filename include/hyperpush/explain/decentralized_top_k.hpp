#pragma once
// Decentralized retrieval (specs/explain.md, "Decentralized explanation"): every agent scores its
// own training shard and keeps a top-k list per query; the global lists come from merge consensus
// over the run's directed schedule (consensus/merge_consensus.hpp) with "the k best of the union"
// as the merge, which is exact after flooding_rounds(n, B) rounds. Only (agent, index, score)
// triples travel: a message is queries · k triples (3 doubles each), never data or gradients.
// Cost: rounds × out-edges × 24·k·queries bytes.
#include <cstdint>
#include <vector>

#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/explain/top_k.hpp"

namespace hyperpush::explain {

// local[a][q]: the list of local agent a (gossip.first_local() + a) for query q, at most k long.
// Returns, per local agent and query, the k best of every agent's list after `rounds` rounds.
// Collective over the gossip's ranks; every rank passes the same `queries` and `k`.
std::vector<std::vector<TopK>> decentralized_top_k(consensus::Gossip& gossip,
                                                   const std::vector<std::vector<TopK>>& local,
                                                   int queries, int k, std::int64_t rounds);

}  // namespace hyperpush::explain

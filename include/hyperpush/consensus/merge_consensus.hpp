#pragma once
// Merge consensus (flooding with a caller's merge): every round each agent replaces its row by
// merge(its row, its in-neighbours' rows). When the merge is a semilattice join (associative,
// commutative, idempotent: elementwise max, set union, "the k best of two top-k lists"), the
// argument of max_consensus.hpp carries over: after (n − 1)·B rounds on a B-strongly-connected
// schedule every agent holds the join of all initial rows, exactly. Cost per round: `width`
// numbers per out-edge; nothing but the rows travels.
#include <cstdint>
#include <vector>

#include "hyperpush/comm/exchange.hpp"
#include "hyperpush/consensus/gossip.hpp"

namespace hyperpush::consensus {

// `values`: local agents × width, replaced in place after `rounds` rounds of
//   v_j ← merge({v_i : i ∈ in(j) ∪ {j}}, ascending i).
void merge_consensus(Gossip& gossip, std::vector<double>& values, int width, std::int64_t rounds,
                     const comm::Reduce& merge);

}  // namespace hyperpush::consensus

#pragma once
// Top-k lists of relevant training instances and their merge. A candidate is the triple that
// travels in a decentralized run: (agent, index within the agent's training shard, score). Order:
// higher score first, then lower agent, then lower index — a total order, so the k best of any
// union of lists is unique, and merging is associative, commutative and idempotent (duplicates of
// one (agent, index) are dropped), as flooding needs (consensus/merge_consensus.hpp).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hyperpush::explain {

struct Candidate {
  std::int64_t agent = -1;
  std::int64_t index = -1;
  double score = 0;
};

using TopK = std::vector<Candidate>;  // best first, at most k

bool ranks_before(const Candidate& a, const Candidate& b);

// The k best of scores[0 .. n) (scores[i] for index i of `agent`).
TopK top_k_of(const double* scores, std::size_t n, int k, std::int64_t agent);

// The k best of the union of the lists.
TopK merge_top_k(const std::vector<const TopK*>& lists, int k);

// Packing as 3k doubles per list: (agent, index, score) triples, best first, empty slots as
// (−1, −1, −∞) at the end. Exact for agent and index below 2^53.
constexpr int kTripleWidth = 3;
void pack_top_k(const TopK& list, int k, double* out);
TopK unpack_top_k(const double* packed, int k);

}  // namespace hyperpush::explain

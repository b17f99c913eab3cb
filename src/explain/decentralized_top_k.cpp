#include "hyperpush/explain/decentralized_top_k.hpp"

#include <string>

#include "hyperpush/consensus/merge_consensus.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::explain {

std::vector<std::vector<TopK>> decentralized_top_k(consensus::Gossip& gossip,
                                                   const std::vector<std::vector<TopK>>& local,
                                                   int queries, int k, std::int64_t rounds) {
  const int agents = gossip.local_count();
  if (static_cast<int>(local.size()) != agents)
    throw Error("decentralized top-k: " + std::to_string(local.size()) + " lists for " +
                std::to_string(agents) + " local agents");
  if (queries == 0 || k < 1) return std::vector<std::vector<TopK>>(agents);
  const int block = kTripleWidth * k, width = queries * block;
  std::vector<double> values(static_cast<std::size_t>(agents) * width);
  for (int a = 0; a < agents; ++a) {
    if (static_cast<int>(local[a].size()) != queries)
      throw Error("decentralized top-k: agent lists do not cover every query");
    for (int q = 0; q < queries; ++q)
      pack_top_k(local[a][q], k, values.data() + static_cast<std::size_t>(a) * width + q * block);
  }
  // merge: per query, the k best of the union of the incoming lists
  const comm::Reduce merge = [&](const double* const* rows, std::size_t count, int, double* out) {
    std::vector<TopK> lists(count);
    std::vector<const TopK*> pointers(count);
    for (int q = 0; q < queries; ++q) {
      for (std::size_t s = 0; s < count; ++s) {
        lists[s] = unpack_top_k(rows[s] + q * block, k);
        pointers[s] = &lists[s];
      }
      pack_top_k(merge_top_k(pointers, k), k, out + q * block);
    }
  };
  consensus::merge_consensus(gossip, values, width, rounds, merge);
  std::vector<std::vector<TopK>> out(agents, std::vector<TopK>(queries));
  for (int a = 0; a < agents; ++a)
    for (int q = 0; q < queries; ++q)
      out[a][q] = unpack_top_k(values.data() + static_cast<std::size_t>(a) * width + q * block, k);
  return out;
}

}  // namespace hyperpush::explain

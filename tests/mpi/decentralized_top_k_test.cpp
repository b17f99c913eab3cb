// Decentralized top-k retrieval on 1, 2 and 4 ranks: each agent holds a shard of scores; after
// flooding_rounds(n, B) rounds of merge consensus every agent holds exactly the top-k of the
// gathered scores, and every message that crossed MPI is whole (agent, index, score) triples.
#include "hyperpush/explain/decentralized_top_k.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hyperpush/consensus/gossip.hpp"
#include "hyperpush/consensus/max_consensus.hpp"
#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/random.hpp"
#include "mpi_calls.hpp"

namespace hyperpush {
namespace {

// Agent a's shard has 5 + a training instances; score of (query q, agent a, index i). Ties on
// purpose (rounded to 1/8) so the tie-break by (agent, index) is exercised across ranks.
double score(int q, int a, int i) {
  return std::round(8 * random_normal(5, Purpose::initial_value, a, i, q)) / 8;
}
int shard_size(int a) { return 5 + a; }

TEST(DecentralizedTopK, EqualsTheTopKOfTheGatheredScoresAndSendsOnlyTriples) {
  const int n = 7, queries = 3, k = 4;
  for (const char* kind : {"random-directed", "directed-ring", "one-peer-exponential"}) {
    SCOPED_TRACE(kind);
    graph::TopologySpec spec;
    spec.kind = kind;
    graph::Schedule schedule(spec, n, 2);
    const std::int64_t b = graph::analyze_schedule(schedule, 0, 64).b;
    ASSERT_GT(b, 0);
    consensus::Gossip gossip(comm::Communicator::world(), schedule);
    std::vector<std::vector<explain::TopK>> local(gossip.local_count());
    for (int l = 0; l < gossip.local_count(); ++l) {
      const int a = gossip.first_local() + l;
      for (int q = 0; q < queries; ++q) {
        std::vector<double> s(shard_size(a));
        for (int i = 0; i < shard_size(a); ++i) s[i] = score(q, a, i);
        local[l].push_back(explain::top_k_of(s.data(), s.size(), k, a));
      }
    }
    test::start_recording();
    const auto global =
        explain::decentralized_top_k(gossip, local, queries, k, consensus::flooding_rounds(n, b));
    test::stop_recording();
    for (const std::int64_t bytes : test::mpi_calls().isend_sizes)
      EXPECT_EQ(bytes % static_cast<std::int64_t>(explain::kTripleWidth * k * queries * 8), 0)
          << bytes;
    EXPECT_EQ(test::mpi_calls().collectives, 0);
    // Reference: the top-k of every agent's scores gathered in one list.
    for (int q = 0; q < queries; ++q) {
      std::vector<explain::Candidate> all;
      for (int a = 0; a < n; ++a)
        for (int i = 0; i < shard_size(a); ++i) all.push_back({a, i, score(q, a, i)});
      std::sort(all.begin(), all.end(), explain::ranks_before);
      all.resize(k);
      for (int l = 0; l < gossip.local_count(); ++l) {
        ASSERT_EQ(global[l][q].size(), static_cast<std::size_t>(k));
        for (int r = 0; r < k; ++r) {
          EXPECT_EQ(global[l][q][r].agent, all[r].agent) << "query " << q << " rank " << r;
          EXPECT_EQ(global[l][q][r].index, all[r].index);
          EXPECT_EQ(global[l][q][r].score, all[r].score);
        }
      }
    }
  }
}

}  // namespace
}  // namespace hyperpush

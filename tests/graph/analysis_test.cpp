#include "hyperpush/graph/analysis.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/schedule.hpp"
#include "temp_file.hpp"

namespace hyperpush::graph {
namespace {

using test::TempFile;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::string kTopologies = std::string(HYPERPUSH_SOURCE_DIR) + "/topologies/";

TopologySpec spec_of(const std::string& kind, const std::string& file = "") {
  TopologySpec spec;
  spec.kind = kind;
  spec.file = file;
  return spec;
}

std::string rejection(const ScheduleAnalysis& a) {
  try {
    require_b_strongly_connected(a);
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

// Can `from` reach `to` in the union of rounds [t0, t1)? A plain BFS, independent of analysis.cpp.
bool reaches(Schedule& s, std::int64_t t0, std::int64_t t1, int from, int to) {
  std::vector<std::vector<int>> adjacency(static_cast<std::size_t>(s.agents()));
  for (std::int64_t t = t0; t < t1; ++t) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < g.agents(); ++u)
      adjacency[u].insert(adjacency[u].end(), g.out_begin(u), g.out_end(u));
  }
  std::vector<char> seen(adjacency.size(), 0);
  std::deque<int> queue = {from};
  seen[from] = 1;
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    for (int v : adjacency[u])
      if (!seen[v]) seen[v] = 1, queue.push_back(v);
  }
  return seen[to];
}

TEST(Analysis, DirectedRingOfFive) {
  Schedule s(spec_of("directed-ring"), 5, 0);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 16);
  EXPECT_EQ(a.agents, 5);
  EXPECT_EQ(a.kind, "directed-ring");
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.strongly_connected_rounds, 16);
  EXPECT_EQ(a.diameter, 4);  // 0 -> 4 takes four hops
  EXPECT_EQ(a.out_degree.min, 1);
  EXPECT_EQ(a.out_degree.max, 1);
  EXPECT_DOUBLE_EQ(a.out_degree.mean, 1.0);
  EXPECT_EQ(a.in_degree.min, 1);
  EXPECT_DOUBLE_EQ(a.edges_per_round, 5.0);
  EXPECT_TRUE(a.reason.empty());
  EXPECT_EQ(rejection(a), "accepted");
  // Push-sum on a ring converges, but slowly: |λ2| of (I + P)/2 is |cos(π/5)| = 0.809.
  EXPECT_GT(a.contraction_rate, 0.5);
  EXPECT_LT(a.contraction_rate, 0.95);
  EXPECT_EQ(a.exact_after_rounds, -1);
}

// Flooding time, against closed forms (a directed ring of n: n − 1; complete: 1; one-peer
// exponential on 2^k agents: k, each round doubling what an agent has heard) and, on random
// schedules, against one breadth-first search per source through the time-expanded graph.
TEST(Analysis, FloodingTimeIsTheLastSourceReachingEveryone) {
  Schedule ring(spec_of("directed-ring"), 5, 0);
  EXPECT_EQ(flooding_time(ring, 0, 100), 4);
  EXPECT_EQ(flooding_time(ring, 0, 3), 0);  // past the limit
  Schedule complete(spec_of("complete"), 7, 0);
  EXPECT_EQ(flooding_time(complete, 3, 100), 1);
  Schedule exponential(spec_of("one-peer-exponential"), 1024, 0);
  EXPECT_EQ(flooding_time(exponential, 0, 100000), 10);
  EXPECT_EQ(flooding_time(exponential, 4, 100000), 10);
  Schedule huge(spec_of("one-peer-exponential"), kMaxFloodingAgents + 1, 0);
  EXPECT_EQ(flooding_time(huge, 0, 100000), 0);  // not computed

  for (const std::int64_t t0 : {0, 7}) {
    Schedule s(spec_of("random-directed"), 30, 5);
    std::int64_t slowest = 0;
    for (int source = 0; source < 30; ++source) {
      std::vector<bool> reached(30, false);
      reached[source] = true;
      std::int64_t r = 0;
      while (std::find(reached.begin(), reached.end(), false) != reached.end()) {
        const Digraph& g = s.round(t0 + r++);
        std::vector<bool> next = reached;
        for (int u = 0; u < 30; ++u)
          if (reached[u])
            for (const int* v = g.out_begin(u); v != g.out_end(u); ++v) next[*v] = true;
        reached = next;
      }
      slowest = std::max(slowest, r);
    }
    EXPECT_EQ(flooding_time(s, t0, 1000), slowest) << "t0 = " << t0;
  }
}

TEST(Analysis, StarHasDiameterTwo) {
  Schedule s(spec_of("star"), 7, 0);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 4);
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.diameter, 2);
  EXPECT_EQ(a.out_degree.max, 6);
  EXPECT_EQ(a.out_degree.min, 1);
  EXPECT_DOUBLE_EQ(a.out_degree.mean, 12.0 / 7.0);
}

TEST(Analysis, CompleteGraphAveragesInOneRound) {
  // Every agent pushes 1/n of (w, ω) to everyone: after one round each holds the exact average.
  Schedule s(spec_of("complete"), 16, 4);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 8);
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.diameter, 1);
  EXPECT_EQ(a.exact_after_rounds, 1);
  EXPECT_EQ(a.contraction_rate, 0.0);
  EXPECT_GT(a.initial_error, 1.0);  // normal probes around a mean ~ 1/sqrt(16)
  EXPECT_LT(a.final_error, 1e-13);
}

TEST(Analysis, SingleAgentIsTriviallyConnected) {
  Schedule s(spec_of("random-directed"), 1, 4);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 3);
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.strongly_connected_rounds, 3);
  EXPECT_EQ(a.diameter, 0);
  EXPECT_EQ(a.out_degree.max, 0);
}

struct ExampleFile {
  const char* name;
  int agents;
  std::int64_t b;
  int diameter;
};

class ExampleFiles : public ::testing::TestWithParam<ExampleFile> {};

TEST_P(ExampleFiles, NoRoundAloneButEveryWindowOfBIsStronglyConnected) {
  const ExampleFile& f = GetParam();
  Schedule s(spec_of("file", kTopologies + f.name), f.agents, 0);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 64);
  EXPECT_EQ(a.strongly_connected_rounds, 0);
  EXPECT_EQ(a.b, f.b);
  EXPECT_EQ(a.diameter, f.diameter);
  EXPECT_EQ(rejection(a), "accepted");
  // The claim behind B, checked by brute force: every window of B rounds is strongly connected,
  // and some window of B − 1 rounds is not.
  auto window_connected = [&](std::int64_t t0, std::int64_t len) {
    for (int u = 0; u < f.agents; ++u)
      for (int v = 0; v < f.agents; ++v)
        if (!reaches(s, t0, t0 + len, u, v)) return false;
    return true;
  };
  for (std::int64_t t0 = 0; t0 + f.b <= 64; t0 += 7) EXPECT_TRUE(window_connected(t0, f.b)) << t0;
  bool some_shorter_fails = false;
  for (std::int64_t t0 = 0; t0 < 4; ++t0) some_shorter_fails |= !window_connected(t0, f.b - 1);
  EXPECT_TRUE(some_shorter_fails);
}

INSTANTIATE_TEST_SUITE_P(Topologies, ExampleFiles,
                         ::testing::Values(ExampleFile{"ring8-alternating.txt", 8, 2, 7},
                                           ExampleFile{"two-clusters-6.txt", 6, 2, 5},
                                           ExampleFile{"token-ring-4.txt", 4, 4, 3}));

TEST(Analysis, BCountsOnlyWindowsThatFitInsideTheRange) {
  // token-ring-4 has B = 4: over [0, 4) exactly one window fits and it is strongly connected; over
  // [0, 3) the whole union misses an edge.
  Schedule s(spec_of("file", kTopologies + "token-ring-4.txt"), 4, 0);
  EXPECT_EQ(analyze_schedule(s, 0, 4).b, 4);
  EXPECT_EQ(analyze_schedule(s, 5, 9).b, 4);
  EXPECT_EQ(analyze_schedule(s, 0, 3).b, 0);
  // One-peer exponential on 8 agents, distances 1, 2, 4 in rounds ≡ 0, 1, 2 (mod 3). A union is
  // strongly connected iff it holds distance 1 (the others are even). Over [1, 4) the only window
  // of 3 starts at 1 and does; the windows of 2, [1, 3) (distances 2, 4), do not: B = 3.
  // Over [0, 4) the windows of 2 are [0,2), [1,3), [2,4): [1,3) fails, so again B = 3.
  // Over [0, 1) the lone ring round: B = 1.
  Schedule ope(spec_of("one-peer-exponential"), 8, 0);
  EXPECT_EQ(analyze_schedule(ope, 1, 4).b, 3);
  EXPECT_EQ(analyze_schedule(ope, 0, 4).b, 3);
  EXPECT_EQ(analyze_schedule(ope, 0, 1).b, 1);
  EXPECT_EQ(analyze_schedule(ope, 2, 4).b, 2);  // [2, 4): distances 4, 1
}

TEST(Analysis, DisconnectedStaticGraphIsRejected) {
  // {0, 1} and {2, 3}, each both ways, and 1 -> 2: {2, 3} has no way back.
  TempFile f("split.txt", "agents 4\nrounds 1\n0 0 1\n0 1 0\n0 2 3\n0 3 2\n0 1 2\n");
  Schedule s(spec_of("file", f.path()), 4, 1);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 8);
  EXPECT_EQ(a.b, 0);
  EXPECT_EQ(a.diameter, -1);
  EXPECT_EQ(a.reason,
            "the union of those rounds is not strongly connected (agent 2 cannot reach agent 0)");
  EXPECT_EQ(rejection(a),
            "topology: kind 'file' with 4 agents (seed 1) is not B-strongly connected over rounds "
            "[0, 8): the union of those rounds is not strongly connected (agent 2 cannot reach "
            "agent 0); add edges to the schedule file '" +
                f.path() + "'");
}

TEST(Analysis, SparseErdosRenyiIsRejectedNamingATrueUnreachablePair) {
  TopologySpec spec = spec_of("erdos-renyi");
  spec.probability = 0.08;
  Schedule s(spec, 12, 3);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 64);
  ASSERT_EQ(a.b, 0);
  const std::string message = rejection(a);
  EXPECT_THAT(message, HasSubstr("topology: kind 'erdos-renyi' with 12 agents (seed 3) is not "
                                 "B-strongly connected over rounds [0, 64): the union of those "
                                 "rounds is not strongly connected (agent "));
  // A static graph: more rounds would not help, so only the probability is named.
  EXPECT_THAT(message, ::testing::EndsWith("); raise topology.probability"));
  int from = -1, to = -1;
  ASSERT_EQ(std::sscanf(a.reason.c_str(),
                        "the union of those rounds is not strongly connected (agent %d cannot "
                        "reach agent %d)",
                        &from, &to),
            2);
  EXPECT_FALSE(reaches(s, 0, 1, from, to));
}

TEST(Analysis, TooFewRoundsOfAPeriodicScheduleAskForMoreRounds) {
  // Rounds [1, 6) of one-peer exponential on 1024 agents have distances 2 .. 32, all even: the odd
  // agents are out of reach of agent 0. Ten rounds (the period) would include distance 1.
  Schedule s(spec_of("one-peer-exponential"), 1024, 0);
  const ScheduleAnalysis a = analyze_schedule(s, 1, 6);
  EXPECT_EQ(rejection(a),
            "topology: kind 'one-peer-exponential' with 1024 agents (seed 0) is not B-strongly "
            "connected over rounds [1, 6): the union of those rounds is not strongly connected "
            "(agent 0 cannot reach agent 1); raise topology.check_rounds to at least the period, "
            "10");
}

TEST(Analysis, RandomDirectedNamesRatesAndRounds) {
  // A tiny rate: most rounds are empty and four rounds cannot connect 10 agents.
  TopologySpec spec = spec_of("random-directed");
  spec.rate_min = 0.001;
  spec.rate_max = 0.002;
  Schedule s(spec, 10, 1);
  const ScheduleAnalysis a = analyze_schedule(s, 0, 4);
  EXPECT_EQ(a.b, 0);
  EXPECT_THAT(rejection(a),
              ::testing::EndsWith("; raise topology.rate_min or topology.check_rounds"));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Timing bounds hold for optimized builds only (sanitizers and -O0 are several times slower).
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr double kTimeLimitSeconds = 1.0;
#else
constexpr double kTimeLimitSeconds = 30.0;
#endif

TEST(Analysis, OnePeerExponentialOn1024Agents) {
  // Distances 2^(t mod 10) in round t. A union of rounds is strongly connected iff it contains
  // distance 1 (all other distances are even, so they keep agents in their parity class; with 1 the
  // ring alone connects). Rounds ≡ 0 (mod 10) recur every 10 rounds, so the longest wait is from a
  // round ≡ 1: L = 10, hence B = 10. Alone, only rounds 0, 10, ..., 60 (7 of 64) are connected.
  // Union over 64 rounds = the exponential graph: reaching d takes popcount(d) hops and any
  // representation of 1023 (mod 1024) as a sum of powers of two needs ≥ 10 terms: diameter 10.
  // Push-sum: 10 consecutive rounds multiply to Π_k (I + P^(2^k)) / 2 = (1/1024) Σ_j P^j, the exact
  // average; ω stays 1 (every agent receives exactly two halves).
  Schedule s(spec_of("one-peer-exponential"), 1024, 0);
  const auto start = std::chrono::steady_clock::now();
  const ScheduleAnalysis a = analyze_schedule(s, 0, 64);
  const double seconds = seconds_since(start);
  RecordProperty("seconds", std::to_string(seconds));
  std::printf("[ timing   ] 1024-agent one-peer-exponential analysis over 64 rounds: %.4f s\n",
              seconds);
  EXPECT_LT(seconds, kTimeLimitSeconds);
  EXPECT_EQ(a.b, 10);
  EXPECT_EQ(a.strongly_connected_rounds, 7);
  EXPECT_EQ(a.diameter, 10);
  EXPECT_EQ(a.out_degree.min, 1);
  EXPECT_EQ(a.out_degree.max, 1);
  EXPECT_EQ(a.exact_after_rounds, 10);
  EXPECT_LT(a.final_error, 1e-13);
  // Over 9 rounds half the agents' values are still mixed in; the error is far from zero.
  EXPECT_GT(a.contraction_rate, 0.1);
  EXPECT_LT(a.contraction_rate, 1.0);
}

TEST(Analysis, RandomDirectedOn64AgentsIsFast) {
  Schedule s(spec_of("random-directed"), 64, 0);
  const auto start = std::chrono::steady_clock::now();
  const ScheduleAnalysis a = analyze_schedule(s, 0, 64);
  const double seconds = seconds_since(start);
  std::printf("[ timing   ] 64-agent random-directed analysis over 64 rounds: %.4f s\n", seconds);
  EXPECT_LT(seconds, kTimeLimitSeconds);
  // Each round has every edge with probability >= 0.4 among 63 candidates per agent: connected.
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.strongly_connected_rounds, 64);
  EXPECT_EQ(a.diameter, 1);  // the union of 64 rounds holds every edge
  // Mean out-degree 63 × E[r] = 63 × 0.6 ≈ 37.8; 64 × 64 draws give a standard error ~ 0.1.
  EXPECT_NEAR(a.out_degree.mean, 37.8, 1.0);
  EXPECT_NEAR(a.edges_per_round, 64 * a.out_degree.mean, 1e-9);
  // ~38 peers: each round shrinks the error by far more than a ring would.
  EXPECT_LT(a.contraction_rate, 0.3);
}

TEST(Analysis, OptionsSkipTheExpensiveParts) {
  Schedule s(spec_of("torus"), 16, 0);
  AnalysisOptions options;
  options.diameter = false;
  options.contraction = false;
  const ScheduleAnalysis a = analyze_schedule(s, 0, 4, options);
  EXPECT_EQ(a.b, 1);
  EXPECT_EQ(a.diameter, -1);
  EXPECT_EQ(a.contraction_rate, -1.0);
}

TEST(Analysis, DiameterIsSkippedPastItsWorkBudget) {
  Schedule s(spec_of("torus"), 16, 0);  // union: 16 agents × 64 edges = 1024 steps of work
  AnalysisOptions options;
  options.diameter_max_work = 1024;
  EXPECT_EQ(analyze_schedule(s, 0, 4, options).diameter, 4);  // 4 × 4 torus: 2 + 2
  options.diameter_max_work = 1023;
  EXPECT_EQ(analyze_schedule(s, 0, 4, options).diameter, -1);
}

TEST(Analysis, RejectsAnEmptyRange) {
  Schedule s(spec_of("torus"), 16, 0);
  EXPECT_THROW(analyze_schedule(s, 4, 4), Error);
  EXPECT_THROW(analyze_schedule(s, -1, 4), Error);
}

TEST(Analysis, DescribeSaysTheEssentials) {
  Schedule s(spec_of("directed-ring"), 5, 0);
  const std::string text = describe(analyze_schedule(s, 0, 8));
  EXPECT_THAT(text, HasSubstr("topology 'directed-ring', 5 agents, seed 0, rounds [0, 8)"));
  EXPECT_THAT(text, HasSubstr("B-strongly connected with B = 1"));
  EXPECT_THAT(text, HasSubstr("diameter of the union graph: 4"));
}

}  // namespace
}  // namespace hyperpush::graph

// Edge and degree properties of every generated kind, and the registry's errors.
#include "hyperpush/graph/topology.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::graph {
namespace {

using ::testing::ElementsAre;

TopologySpec spec_of(const std::string& kind) {
  TopologySpec spec;
  spec.kind = kind;
  return spec;
}

// Peers (out-neighbours without the self-loop) of every agent in round t.
std::vector<std::vector<int>> peers(Schedule& s, std::int64_t t) {
  const Digraph& g = s.round(t);
  std::vector<std::vector<int>> p(static_cast<std::size_t>(g.agents()));
  for (int i = 0; i < g.agents(); ++i)
    for (const int* v = g.out_begin(i); v != g.out_end(i); ++v)
      if (*v != i) p[i].push_back(*v);
  return p;
}

bool symmetric(const Digraph& g) {
  for (int u = 0; u < g.agents(); ++u)
    for (const int* v = g.out_begin(u); v != g.out_end(u); ++v)
      if (!g.has_edge(*v, u)) return false;
  return true;
}

std::string error_of(const TopologySpec& spec, int agents) {
  try {
    make_topology(spec, agents, 1);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(TopologyRegistry, ListsEveryKindInDocOrderWithFlags) {
  std::vector<std::string> names;
  for (const TopologyKind& k : topology_kinds()) {
    names.push_back(k.name);
    EXPECT_GT(std::string(k.doc).size(), 10u) << k.name;
    EXPECT_NE(k.make, nullptr) << k.name;
  }
  EXPECT_THAT(names, ElementsAre("complete", "directed-ring", "exponential", "one-peer-exponential",
                                 "random-directed", "random-undirected", "erdos-renyi", "torus",
                                 "star", "file"));
  std::set<std::string> scalable, time_varying;
  for (const TopologyKind& k : topology_kinds()) {
    if (k.scalable) scalable.insert(k.name);
    if (k.time_varying) time_varying.insert(k.name);
  }
  EXPECT_EQ(scalable, (std::set<std::string>{"directed-ring", "exponential", "one-peer-exponential",
                                             "torus"}));
  EXPECT_EQ(time_varying, (std::set<std::string>{"one-peer-exponential", "random-directed",
                                                 "random-undirected", "file"}));
}

TEST(TopologyRegistry, UnknownKindListsTheValidOnes) {
  EXPECT_EQ(error_of(spec_of("foo"), 4),
            "topology.kind: unknown kind 'foo'; valid kinds: complete, directed-ring, exponential, "
            "one-peer-exponential, random-directed, random-undirected, erdos-renyi, torus, star, "
            "file");
}

TEST(TopologyRegistry, NeedsAnAgent) {
  EXPECT_EQ(error_of(spec_of("complete"), 0), "topology: need at least one agent, got 0");
}

TEST(TopologyRegistry, RandomKindsValidateTheirRates) {
  TopologySpec spec = spec_of("random-directed");
  spec.rate_min = 0.9;
  spec.rate_max = 0.5;
  EXPECT_EQ(error_of(spec, 4),
            "topology.rate_min / topology.rate_max: need 0 < rate_min <= rate_max <= 1 for kind "
            "'random-directed', got rate_min = 0.9 and rate_max = 0.5");
  spec.kind = "random-undirected";
  spec.rate_min = 0.0;
  spec.rate_max = 0.5;
  EXPECT_EQ(error_of(spec, 4),
            "topology.rate_min / topology.rate_max: need 0 < rate_min <= rate_max <= 1 for kind "
            "'random-undirected', got rate_min = 0 and rate_max = 0.5");
  spec.rate_min = 0.5;
  spec.rate_max = 1.5;
  EXPECT_THROW(make_topology(spec, 4, 1), Error);
  spec.rate_max = 0.5;  // a constant rate is allowed
  EXPECT_NO_THROW(make_topology(spec, 4, 1));
}

TEST(TopologyRegistry, ErdosRenyiValidatesItsProbability) {
  TopologySpec spec = spec_of("erdos-renyi");
  spec.probability = 0.0;
  EXPECT_EQ(error_of(spec, 4),
            "topology.probability: need 0 < probability <= 1 for kind 'erdos-renyi', got 0");
  spec.probability = 1.0;
  EXPECT_NO_THROW(make_topology(spec, 4, 1));
}

TEST(TopologyRegistry, FileKindNeedsAPath) {
  EXPECT_EQ(error_of(spec_of("file"), 4),
            "topology.file: kind 'file' needs the path of an edge-list schedule file");
}

TEST(Complete, HasEveryEdge) {
  for (int n : {1, 2, 5, 16}) {
    Schedule s(spec_of("complete"), n, 3);
    EXPECT_EQ(s.period(), 1);
    EXPECT_EQ(s.round(0).edge_count(), static_cast<std::int64_t>(n) * (n - 1) + n) << n;
    for (int u = 0; u < n; ++u)
      for (int v = 0; v < n; ++v) EXPECT_TRUE(s.round(7).has_edge(u, v));
  }
}

TEST(DirectedRing, EveryAgentPushesToItsSuccessor) {
  Schedule s(spec_of("directed-ring"), 7, 0);
  EXPECT_EQ(s.period(), 1);
  const auto p = peers(s, 5);
  for (int i = 0; i < 7; ++i) EXPECT_THAT(p[i], ElementsAre((i + 1) % 7)) << i;
  const Digraph& g = s.round(5);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(g.in_degree(i), 2);
  Schedule one(spec_of("directed-ring"), 1, 0);
  EXPECT_EQ(one.round(0).edge_count(), 1);
}

TEST(Exponential, PeersAtEveryPowerOfTwoDistance) {
  for (int n = 2; n <= 40; ++n) {
    Schedule s(spec_of("exponential"), n, 0);
    // floor(log2(n - 1)) + 1 powers of two are < n.
    int expected = 0;
    while ((1 << expected) <= n - 1) ++expected;
    const auto p = peers(s, 0);
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(static_cast<int>(p[i].size()), expected) << "n = " << n << ", agent " << i;
      for (int k = 0; (1 << k) < n; ++k) EXPECT_TRUE(s.round(0).has_edge(i, (i + (1 << k)) % n));
    }
  }
  // The numbers the brief names: n = 8 → 3 peers, n = 9 → 4, n = 1024 → 10.
  for (auto [n, d] : {std::pair{8, 3}, {9, 4}, {1024, 10}}) {
    Schedule s(spec_of("exponential"), n, 0);
    EXPECT_EQ(s.round(0).out_degree(n - 1) - 1, d) << n;
  }
}

TEST(OnePeerExponential, OnePeerPerRoundCyclingThroughDistances) {
  Schedule s(spec_of("one-peer-exponential"), 12, 0);  // 1, 2, 4, 8 < 12: L = 4
  EXPECT_EQ(s.period(), 4);
  for (std::int64_t t = 0; t < 9; ++t) {
    const auto p = peers(s, t);
    const int d = 1 << (t % 4);
    for (int i = 0; i < 12; ++i) EXPECT_THAT(p[i], ElementsAre((i + d) % 12)) << t << " " << i;
  }
  EXPECT_EQ(Schedule(spec_of("one-peer-exponential"), 1024, 0).period(), 10);
  EXPECT_EQ(Schedule(spec_of("one-peer-exponential"), 1025, 0).period(), 11);
  EXPECT_EQ(Schedule(spec_of("one-peer-exponential"), 2, 0).period(), 1);
  Schedule one(spec_of("one-peer-exponential"), 1, 0);
  EXPECT_EQ(one.period(), 1);
  EXPECT_EQ(one.round(3).edge_count(), 1);
}

TEST(Torus, FourByFourIsFourRegularAndSymmetric) {
  Schedule s(spec_of("torus"), 16, 0);
  const Digraph& g = s.round(0);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(g.out_degree(i) - 1, 4) << i;
    EXPECT_EQ(g.in_degree(i) - 1, 4) << i;
  }
  EXPECT_TRUE(symmetric(g));
  // Agent 5 = (1, 1): up (0, 1) = 1, down (2, 1) = 9, left (1, 0) = 4, right (1, 2) = 6.
  EXPECT_THAT(peers(s, 0)[5], ElementsAre(1, 4, 6, 9));
  // Agent 0 wraps: (3, 0) = 12 and (0, 3) = 3.
  EXPECT_THAT(peers(s, 0)[0], ElementsAre(1, 3, 4, 12));
}

TEST(Torus, ShapeIsTheMostSquareFactorization) {
  // 12 = 3 × 4: agent 0 = (0, 0) has down 4, up 8, right 1, left 3.
  Schedule twelve(spec_of("torus"), 12, 0);
  EXPECT_THAT(peers(twelve, 0)[0], ElementsAre(1, 3, 4, 8));
  // 8 = 2 × 4: up and down coincide, so 3 peers.
  Schedule eight(spec_of("torus"), 8, 0);
  EXPECT_THAT(peers(eight, 0)[0], ElementsAre(1, 3, 4));
  // 4 = 2 × 2: 2 peers.
  Schedule four(spec_of("torus"), 4, 0);
  EXPECT_THAT(peers(four, 0)[0], ElementsAre(1, 2));
  // 7 is prime: 1 × 7, the bidirectional ring.
  Schedule seven(spec_of("torus"), 7, 0);
  for (int i = 0; i < 7; ++i) {
    std::vector<int> expected = {(i + 1) % 7, (i + 6) % 7};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(peers(seven, 0)[i], expected) << i;
  }
  Schedule two(spec_of("torus"), 2, 0);
  EXPECT_THAT(peers(two, 0)[0], ElementsAre(1));
  Schedule one(spec_of("torus"), 1, 0);
  EXPECT_EQ(one.round(0).edge_count(), 1);
}

TEST(Star, HubTalksToEveryone) {
  Schedule s(spec_of("star"), 6, 0);
  const Digraph& g = s.round(0);
  EXPECT_EQ(g.out_degree(0) - 1, 5);
  EXPECT_EQ(g.in_degree(0) - 1, 5);
  for (int i = 1; i < 6; ++i) {
    EXPECT_THAT(peers(s, 0)[i], ElementsAre(0));
    EXPECT_EQ(g.in_degree(i) - 1, 1);
  }
  EXPECT_EQ(g.edge_count(), 2 * 5 + 6);
  EXPECT_TRUE(symmetric(g));
}

}  // namespace
}  // namespace hyperpush::graph

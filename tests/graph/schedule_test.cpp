#include "hyperpush/graph/schedule.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hyperpush/error.hpp"
#include "temp_file.hpp"

namespace hyperpush::graph {
namespace {

TopologySpec spec_of(const std::string& kind) {
  TopologySpec spec;
  spec.kind = kind;
  return spec;
}

TEST(Schedule, RejectsNegativeRounds) {
  Schedule s(spec_of("directed-ring"), 4, 0);
  try {
    s.round(-1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "schedule: round -1 is negative; rounds count from 0");
  }
}

TEST(Schedule, KeepsItsSpecAgentsAndSeed) {
  Schedule s(spec_of("torus"), 9, 77);
  EXPECT_EQ(s.agents(), 9);
  EXPECT_EQ(s.seed(), 77u);
  EXPECT_EQ(s.spec().kind, "torus");
  EXPECT_EQ(s.period(), 1);
}

TEST(Schedule, PeriodicRoundsAreBuiltOnceAndReused) {
  Schedule s(spec_of("one-peer-exponential"), 16, 0);  // period 4
  const Digraph* first[4];
  for (std::int64_t t = 0; t < 4; ++t) first[t] = &s.round(t);
  for (std::int64_t t = 4; t < 40; ++t) {
    const Digraph& g = s.round(t);
    EXPECT_EQ(&g, first[t % 4]) << t;  // the cached object itself
    EXPECT_TRUE(g.has_edge(0, 1 << (t % 4)));
  }
  // A cached round stays valid across later calls.
  const Digraph& g1 = s.round(1);
  s.round(2);
  EXPECT_TRUE(g1.has_edge(3, 5));
}

TEST(Schedule, NonRepeatingRoundsReuseStorage) {
  // A random-directed round is regenerated into the same Digraph; once it has held the largest of a
  // set of rounds, revisiting any of them allocates nothing, so its storage does not move.
  Schedule s(spec_of("random-directed"), 20, 3);
  for (std::int64_t t = 0; t < 50; ++t) s.round(t);
  const Digraph& g = s.round(0);
  const int* out = g.out_begin(0);
  const int* in = g.in_begin(0);
  for (std::int64_t t = 0; t < 50; ++t) {
    const Digraph& h = s.round(t);
    EXPECT_EQ(&h, &g);
    EXPECT_EQ(h.out_begin(0), out) << t;
    EXPECT_EQ(h.in_begin(0), in) << t;
  }
}

TEST(Schedule, LongPeriodsAreRegeneratedNotCached) {
  // 2 agents × 2,000,000 rounds is past the cache budget (kMaxCachedEdges / (agents + 40) rounds):
  // every round is rebuilt into the one reused Digraph.
  const std::int64_t rounds = 2'000'000;
  ASSERT_GT(rounds, Schedule::kMaxCachedEdges / (2 + 40));
  test::TempFile f("long.txt", "agents 2\nrounds 2000000\n0 0 1\n1999999 1 0\n");
  TopologySpec spec = spec_of("file");
  spec.file = f.path();
  Schedule s(spec, 2, 0);
  EXPECT_EQ(s.period(), rounds);
  const Digraph* first = &s.round(0);
  EXPECT_TRUE(first->has_edge(0, 1));
  EXPECT_EQ(&s.round(1), first);
  EXPECT_EQ(s.round(1).edge_count(), 2);
  EXPECT_TRUE(s.round(rounds - 1).has_edge(1, 0));
  EXPECT_TRUE(s.round(rounds).has_edge(0, 1));
  EXPECT_FALSE(s.round(rounds).has_edge(1, 0));
}

TEST(Schedule, SameSpecSameGraphsWhateverTheCallOrder) {
  for (const char* kind : {"one-peer-exponential", "random-undirected", "torus"}) {
    Schedule a(spec_of(kind), 10, 9), b(spec_of(kind), 10, 9);
    for (std::int64_t t = 0; t < 12; ++t) {
      const Digraph bt = b.round(11 - t);
      EXPECT_EQ(a.round(11 - t), bt) << kind << " " << t;
    }
  }
}

}  // namespace
}  // namespace hyperpush::graph

// The random kinds: exact agreement with the documented generator (random.hpp), determinism in
// (seed, t), and edge frequencies that match their rates.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "hyperpush/graph/schedule.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::graph {
namespace {

TopologySpec spec_of(const std::string& kind) {
  TopologySpec spec;
  spec.kind = kind;
  return spec;
}

// The generator of random.hpp, written out again from its documentation so that a change to the
// library's copy cannot go unnoticed.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
double documented_uniform(std::uint64_t seed, std::uint64_t purpose, std::uint64_t a,
                          std::uint64_t b, std::uint64_t c) {
  const std::uint64_t bits = mix(mix(mix(mix(mix(seed) ^ purpose) ^ a) ^ b) ^ c);
  return static_cast<double>(bits >> 11) / 9007199254740992.0;  // 2^53
}

TEST(RandomDirected, MatchesTheDocumentedFormulaByHand) {
  // seed 42, edge 2 -> 5, rates U(0.4, 0.8): values computed independently in Python (pure
  // integers mod 2^64, see tests/graph/replay_schedule.py):
  //   U_rate = documented_uniform(42, edge_rate = 1, 2, 5, 0), r = 0.4 + 0.4 U_rate =
  //   0.45586814673… documented_uniform(42, edge_active = 2, 2, 5, t) = 0.8785 (t = 0), 0.0815 (t =
  //   2)
  // so 2 -> 5 is off in round 0 and on in round 2; 5 -> 2 (r = 0.63846…) the other way round.
  const double r25 = 0.4 + 0.4 * documented_uniform(42, 1, 2, 5, 0);
  EXPECT_NEAR(r25, 0.4558681467335103, 1e-15);
  EXPECT_NEAR(documented_uniform(42, 2, 2, 5, 0), 0.8785321075023118, 1e-15);
  EXPECT_NEAR(documented_uniform(42, 2, 2, 5, 2), 0.08154404359599476, 1e-15);
  EXPECT_DOUBLE_EQ(documented_uniform(42, 1, 2, 5, 0),
                   random_uniform(42, Purpose::edge_rate, 2, 5, 0));

  Schedule s(spec_of("random-directed"), 8, 42);
  EXPECT_FALSE(s.round(0).has_edge(2, 5));
  EXPECT_TRUE(s.round(0).has_edge(5, 2));
  EXPECT_TRUE(s.round(2).has_edge(2, 5));
  EXPECT_FALSE(s.round(2).has_edge(5, 2));
  // And every edge of a few rounds, against the formula.
  for (std::int64_t t : {0, 1, 17, 1000000}) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < 8; ++u)
      for (int v = 0; v < 8; ++v) {
        if (u == v) continue;
        const double r = 0.4 + 0.4 * documented_uniform(42, 1, u, v, 0);
        const bool on = documented_uniform(42, 2, u, v, static_cast<std::uint64_t>(t)) < r;
        EXPECT_EQ(g.has_edge(u, v), on) << t << ": " << u << " -> " << v;
      }
  }
}

TEST(RandomDirected, DeterministicInSeedAndRound) {
  Schedule a(spec_of("random-directed"), 12, 5), b(spec_of("random-directed"), 12, 5);
  Schedule other_seed(spec_of("random-directed"), 12, 6);
  EXPECT_EQ(a.period(), 0);
  // b visits the rounds in another order: each G(t) depends on t alone.
  for (std::int64_t t = 9; t >= 0; --t) {
    const Digraph bt = b.round(t);
    EXPECT_EQ(a.round(t), bt) << t;
  }
  int differing = 0;
  for (std::int64_t t = 0; t < 10; ++t) {
    const Digraph at = a.round(t);
    if (at != a.round(t + 1)) ++differing;
    EXPECT_NE(at, other_seed.round(t)) << t;
  }
  EXPECT_EQ(differing, 10);
}

TEST(RandomDirected, EdgeFrequencyMatchesItsRate) {
  // Over N rounds, edge u -> v is on Binomial(N, r_uv) times; the frequency has standard deviation
  // sqrt(r(1 − r) / N) <= 0.5 / sqrt(20000) = 0.0035. A 5σ band misses a correct generator with
  // probability 6e-7 per edge (3e-5 over the 30 edges); the seed is fixed, so this is deterministic
  // anyway, and a wrong rate (e.g. rates not used, or 1 − r) is off by far more than 5σ.
  const int n = 6;
  const std::int64_t rounds = 20000;
  TopologySpec spec = spec_of("random-directed");
  spec.rate_min = 0.2;
  spec.rate_max = 0.9;
  Schedule s(spec, n, 7);
  std::vector<int> on(static_cast<std::size_t>(n * n), 0);
  for (std::int64_t t = 0; t < rounds; ++t) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < n; ++u)
      for (const int* v = g.out_begin(u); v != g.out_end(u); ++v) ++on[u * n + *v];
  }
  for (int u = 0; u < n; ++u)
    for (int v = 0; v < n; ++v) {
      if (u == v) {
        EXPECT_EQ(on[u * n + v], rounds);  // self-loops always
        continue;
      }
      const double r = 0.2 + 0.7 * random_uniform(7, Purpose::edge_rate, u, v, 0);
      ASSERT_GE(r, 0.2);
      ASSERT_LE(r, 0.9);
      const double sigma = std::sqrt(r * (1 - r) / static_cast<double>(rounds));
      EXPECT_NEAR(static_cast<double>(on[u * n + v]) / rounds, r, 5 * sigma) << u << " -> " << v;
    }
}

TEST(RandomUndirected, SymmetricAndDrawnPerPair) {
  Schedule s(spec_of("random-undirected"), 9, 11);
  EXPECT_EQ(s.period(), 0);
  for (std::int64_t t = 0; t < 20; ++t) {
    const Digraph& g = s.round(t);
    for (int u = 0; u < 9; ++u)
      for (int v = u + 1; v < 9; ++v) {
        const double r = 0.4 + 0.4 * documented_uniform(11, 1, u, v, 0);
        const bool on = documented_uniform(11, 2, u, v, static_cast<std::uint64_t>(t)) < r;
        EXPECT_EQ(g.has_edge(u, v), on);
        EXPECT_EQ(g.has_edge(v, u), on);
      }
  }
  const Digraph g0 = s.round(0);
  EXPECT_NE(g0, s.round(1));
}

TEST(ErdosRenyi, OneStaticGraphFromTheStaticGraphStream) {
  TopologySpec spec = spec_of("erdos-renyi");
  spec.probability = 0.3;
  Schedule s(spec, 10, 3);
  EXPECT_EQ(s.period(), 1);
  const Digraph g0 = s.round(0);
  EXPECT_EQ(s.round(123), g0);
  int edges = 0;
  for (int u = 0; u < 10; ++u)
    for (int v = 0; v < 10; ++v) {
      if (u == v) continue;
      const bool on = documented_uniform(3, 3, u, v, 0) < 0.3;
      EXPECT_EQ(g0.has_edge(u, v), on);
      edges += on;
    }
  EXPECT_GT(edges, 0);
  EXPECT_LT(edges, 90);
  Schedule other(spec, 10, 4);
  EXPECT_NE(other.round(0), g0);
}

}  // namespace
}  // namespace hyperpush::graph

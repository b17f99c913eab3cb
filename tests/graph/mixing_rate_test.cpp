// The long-run push-sum rate against closed forms: the directed ring's mixing matrix (I + P)/2 has
// eigenvalues cos(πk/n)·e^{iπk/n}, so its second-largest modulus is cos(π/n); the complete graph
// averages exactly in one round; symmetry is read off every round's edges.
#include "hyperpush/graph/mixing_rate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hyperpush/graph/analysis.hpp"
#include "hyperpush/graph/schedule.hpp"

namespace hyperpush::graph {
namespace {

// TopologySpec{kind}: the kind's defaults.
TopologySpec kind(const char* name) { return TopologySpec{name}; }

TEST(MixingRate, DirectedRingIsCosPiOverN) {
  for (const int n : {8, 16, 64}) {
    Schedule s(kind("directed-ring"), n, 1);
    const MixingRate m = estimate_mixing_rate(s);
    const double exact = std::cos(M_PI / n);
    EXPECT_NEAR(m.rate, exact, 2e-3 * (1 - exact)) << n << " agents, " << m.rounds << " rounds";
    EXPECT_FALSE(m.symmetric);
    EXPECT_GE(static_cast<double>(m.rounds) * (1 - m.rate), 4.0);  // the tail was long enough
  }
}

TEST(MixingRate, TheAnalysisPrefixRateUnderestimatesTheRing) {
  // Why the inner step reads the tail: 64 rounds on 64 agents average over the fast early decay.
  Schedule s(kind("directed-ring"), 64, 1);
  const double prefix = analyze_schedule(s, 0, 64).contraction_rate;
  EXPECT_LT(prefix, std::cos(M_PI / 64) - 0.02);
  EXPECT_NEAR(estimate_mixing_rate(s).rate, std::cos(M_PI / 64), 1e-4);
}

TEST(MixingRate, CompleteGraphAveragesInOneRound) {
  Schedule s(kind("complete"), 16, 1);
  const MixingRate m = estimate_mixing_rate(s);
  EXPECT_EQ(m.rate, 0.0);
  EXPECT_EQ(m.rounds, 1);
  EXPECT_TRUE(m.symmetric);
}

TEST(MixingRate, SymmetryOfEachKind) {
  for (const char* name : {"torus", "star", "random-undirected"}) {
    Schedule s(kind(name), 16, 1);
    EXPECT_TRUE(estimate_mixing_rate(s).symmetric) << name;
  }
  for (const char* name : {"exponential", "one-peer-exponential", "random-directed"}) {
    Schedule s(kind(name), 16, 1);
    EXPECT_FALSE(estimate_mixing_rate(s).symmetric) << name;
  }
}

TEST(MixingRate, StopsAtTheWorkLimit) {
  Schedule s(kind("directed-ring"), 64, 1);
  const MixingRate m = estimate_mixing_rate(s, 1 << 16, 64.0 * 100);  // ~100 rounds of work
  EXPECT_LE(m.rounds, 128);
}

}  // namespace
}  // namespace hyperpush::graph

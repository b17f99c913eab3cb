// The exponential mechanism's weights and draw: the shifted form, greedy ties, invalid splits.
#include "hyperpush/tree/exponential_mechanism.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hyperpush/random.hpp"

namespace hyperpush::tree {
namespace {

TEST(ExponentialMechanism, WeightsAreTheShiftedExponential) {
  const std::vector<int> scores = {8, -1, 10, 5, 10, 7};
  std::vector<double> w;
  ASSERT_EQ(split_weights(scores, 0.5, w), 5u);
  const double beta = 2 * std::log(5.0) / 0.5;
  for (std::size_t c = 0; c < scores.size(); ++c) {
    if (scores[c] < 0) {
      EXPECT_EQ(w[c], 0.0);
      continue;
    }
    // P(c) ∝ exp(β a_c / a_max): the ratios are what matters
    EXPECT_NEAR(w[c] / w[2], std::exp(beta * scores[c] / 10.0) / std::exp(beta), 1e-12);
    EXPECT_NEAR(w[c], std::exp(beta * (scores[c] / 10.0 - 1)), 1e-15);
  }
}

TEST(ExponentialMechanism, TinyEpsilonNeitherOverflowsNorDiffersFromGreedy) {
  // K = 15,000 valid splits (30 features × 500 thresholds), a_max = 455: β ≈ 1.9e6 at ε = 1e-5.
  std::vector<int> scores(15000);
  for (std::size_t c = 0; c < scores.size(); ++c) scores[c] = 300 + static_cast<int>(c % 156);
  std::vector<double> stable, greedy;
  split_weights(scores, 1e-5, stable);
  split_weights(scores, -1, greedy);
  EXPECT_GT(2 * std::log(15000.0) / 1e-5, 1.9e6);
  EXPECT_GT(std::exp(2 * std::log(15000.0) / 1e-5), 1e308);  // the unshifted form overflows
  for (std::size_t c = 0; c < scores.size(); ++c) {
    ASSERT_TRUE(std::isfinite(stable[c]));
    ASSERT_EQ(stable[c], greedy[c]) << c;  // 1 for the best splits, exp(−β/455) = 0 otherwise
  }
  for (std::uint64_t position = 0; position < 1000; ++position) {
    ASSERT_EQ(draw_split(stable, 3, position), draw_split(greedy, 3, position));
    ASSERT_EQ(draw_split(scores, 1e-5, 3, position), draw_split(greedy, 3, position));
  }
}

TEST(ExponentialMechanism, GreedyIsUniformOverTheBestSplits) {
  const std::vector<int> scores = {3, 9, -1, 9, 2, 9};
  std::vector<double> w;
  split_weights(scores, -1, w);
  EXPECT_EQ(w, (std::vector<double>{0, 1, 0, 1, 0, 1}));
  int hits[6] = {};
  for (std::uint64_t position = 0; position < 30000; ++position) ++hits[draw_split(w, 1, position)];
  EXPECT_EQ(hits[1] + hits[3] + hits[5], 30000);
  for (const int c : {1, 3, 5}) EXPECT_NEAR(hits[c], 10000, 4 * std::sqrt(30000 * 2.0 / 9));
}

TEST(ExponentialMechanism, NeverDrawsAnInvalidSplit) {
  // ε huge: near uniform over the valid splits, none over the invalid ones, whatever u.
  const std::vector<int> scores = {-1, -1, 4, -1, 0, 1, -1};
  std::vector<double> w;
  ASSERT_EQ(split_weights(scores, 1e9, w), 3u);
  for (std::uint64_t position = 0; position < 10000; ++position) {
    const int c = draw_split(w, 0, position);
    ASSERT_GE(c, 0);
    ASSERT_GE(scores[c], 0) << "position " << position;
  }
  std::vector<double> none;
  EXPECT_EQ(split_weights({-1, -1}, 1.0, none), 0u);
  EXPECT_EQ(draw_split(none, 0, 0), -1);
  EXPECT_EQ(draw_split({}, 0, 0), -1);
}

TEST(ExponentialMechanism, TheRaceIsKeyedByNodePositionAndCandidate) {
  // argmin_c E_c / w_c with E_c = −ln(1 − U_c), U_c from random.hpp with the documented key
  const std::vector<double> w = {0.5, 0.0, 1.0, 0.25, 0.75};
  for (std::uint64_t position = 0; position < 200; ++position) {
    int expected = -1;
    double best = INFINITY;
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (w[c] == 0) continue;
      const double e = -std::log1p(-random_uniform(9, Purpose::tree_split, position, 0, c));
      if (e / w[c] < best) best = e / w[c], expected = static_cast<int>(c);
    }
    EXPECT_EQ(draw_split(w, 9, position), expected);
  }
}

TEST(ExponentialMechanism, DrawingFromScoresEqualsDrawingFromWeights) {
  const std::vector<int> scores = {12, -1, 30, 29, 30, 0, 17, -1, 25};
  for (const double epsilon : {-1.0, 0.01, 0.3, 1.0, 50.0}) {
    std::vector<double> w;
    split_weights(scores, epsilon, w);
    for (std::uint64_t position = 0; position < 500; ++position)
      ASSERT_EQ(draw_split(scores, epsilon, 4, position), draw_split(w, 4, position));
  }
}

TEST(ExponentialMechanism, SmallWeightChangesRarelyMoveTheWinner) {
  // The coupling: perturbing every weight by up to ±2% changes the winner in few races.
  std::vector<double> w(2000), v(2000);
  for (std::size_t c = 0; c < w.size(); ++c) {
    w[c] = std::exp(-5.0 * random_uniform(1, Purpose::tree_split, c, 0, 1));
    v[c] = w[c] * (1 + 0.02 * (2 * random_uniform(2, Purpose::tree_split, c, 0, 1) - 1));
  }
  int moved = 0;
  for (std::uint64_t position = 0; position < 1000; ++position)
    moved += draw_split(w, 5, position) != draw_split(v, 5, position);
  EXPECT_LT(moved, 50);
}

}  // namespace
}  // namespace hyperpush::tree

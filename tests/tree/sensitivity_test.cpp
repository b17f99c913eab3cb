// Removal sets and the coupled average-sensitivity estimate.
#include "hyperpush/tree/sensitivity.hpp"

#include <gtest/gtest.h>

#include <set>

#include "hyperpush/error.hpp"
#include "hyperpush/tree/tree_distance.hpp"
#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

TEST(Sensitivity, RemovalSetsAreDeterministicDistinctAndSorted) {
  const auto s = removal_set(100, 10, 7, 3);
  EXPECT_EQ(s, removal_set(100, 10, 7, 3));
  EXPECT_NE(s, removal_set(100, 10, 7, 4));
  EXPECT_NE(s, removal_set(100, 10, 8, 3));
  ASSERT_EQ(s.size(), 10u);
  EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
  EXPECT_EQ(std::set<std::size_t>(s.begin(), s.end()).size(), 10u);
  EXPECT_LT(s.back(), 100u);
  // one point per trial: the first n trials remove every point once
  std::set<std::size_t> seen;
  for (int r = 0; r < 50; ++r) seen.insert(removal_set(50, 1, 7, r).at(0));
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_THROW(removal_set(10, 10, 0, 0), Error);
  EXPECT_THROW(removal_set(10, 0, 0, 0), Error);
}

TEST(Sensitivity, OnePointRemovalsCoverEveryPointWhenTrialsReachN) {
  const auto d = make_dataset({{1, 1}, {2, 2}, {3, 6}, {4, 4}, {5, 5}, {0, 3}}, {0, 0, 0, 1, 1, 1});
  const TreeLearner cart(d, {LearnerKind::cart, 2, -1, 500, 2});
  const Tree full = cart.fit(0);
  const Sensitivity s = average_sensitivity(cart, full, {1, 100, 0, 0});
  EXPECT_EQ(s.trials, 6);
  ASSERT_EQ(s.distance.size(), 3u);
  for (int depth = 0; depth <= 2; ++depth) {
    double exact = 0, exact_feature = 0;
    for (std::size_t i = 0; i < d.rows; ++i) {
      const Tree reduced = cart.fit_without({i}, 0);
      exact += normalized_tree_distance(full, reduced, depth, RuleMatch::feature_threshold) / 6;
      exact_feature += normalized_tree_distance(full, reduced, depth, RuleMatch::feature) / 6;
    }
    EXPECT_NEAR(s.distance[depth], exact, 1e-15);
    EXPECT_NEAR(s.distance_feature[depth], exact_feature, 1e-15);
  }
}

TEST(Sensitivity, TheStableTreeIsLessSensitiveThanGreedyOnBreastCancer) {
  const auto split = breast_cancer(0);
  const TreeLearner greedy(split.train, {LearnerKind::stable, 5, -1, 500, 2});
  const TreeLearner stable(split.train, {LearnerKind::stable, 5, 1.0, 500, 2});
  double g = 0, s = 0;
  for (std::uint64_t tree_seed = 0; tree_seed < 2; ++tree_seed) {
    const SensitivityOptions options{45, 15, 0, tree_seed};  // 10% of 455 samples
    g += average_sensitivity(greedy, greedy.fit(tree_seed), options).distance[5];
    s += average_sensitivity(stable, stable.fit(tree_seed), options).distance[5];
  }
  EXPECT_GT(g, 0.0);
  EXPECT_LT(s, 0.5 * g);
}

}  // namespace
}  // namespace hyperpush::tree

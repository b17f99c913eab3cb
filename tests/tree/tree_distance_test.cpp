// The tree distance: identical trees, hand-computed values for removals on a six-sample data set
// (one pivotal), the rule variants, labels at the evaluation depth, the normalisation.
#include "hyperpush/tree/tree_distance.hpp"

#include <gtest/gtest.h>

#include "hyperpush/tree/cart.hpp"
#include "hyperpush/tree/learner.hpp"
#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

// Sorted by x0 the labels read 1 0 0 0 1 1 (s6 out of place), sorted by x1 0 0 1 1 1 0 (s3 out of
// place). Both best Gini splits cost 1.5, so CART takes x0 <= 3.5 (the lower feature).
//        s1      s2      s3      s4      s5      s6
data::Dataset six() {
  return make_dataset({{1, 1}, {2, 2}, {3, 6}, {4, 4}, {5, 5}, {0, 3}}, {0, 0, 0, 1, 1, 1});
}

TEST(TreeDistance, IdenticalTreesAreAtDistanceZero) {
  const auto split = breast_cancer(0);
  const TreeLearner learner(split.train, {LearnerKind::stable, 10, 1.0, 500, 2});
  const Tree a = learner.fit(3), b = learner.fit(3);
  for (int depth = 0; depth <= 10; ++depth) {
    EXPECT_EQ(tree_distance(a, b, depth, RuleMatch::feature_threshold), 0);
    EXPECT_EQ(tree_distance(a, b, depth, RuleMatch::feature), 0);
  }
}

TEST(TreeDistance, HandComputedRemovals) {
  const auto d = six();
  const TreeLearner cart(d, {LearnerKind::cart, 2, -1, 500, 2});
  // D: x0 <= 3.5 ? (x0 <= 0.5 ? 1 [s6] : 0 [s1 s2 s3]) : 1 [s4 s5]
  const Tree full = cart.fit(0);
  ASSERT_EQ(full.nodes.size(), 5u);
  EXPECT_EQ(full.nodes[0].feature, 0);
  EXPECT_EQ(full.nodes[0].threshold, 3.5);
  EXPECT_EQ(full.nodes[1].threshold, 0.5);

  // D \ {s3} (pivotal): x1 separates perfectly, so x1 <= 2.5 ? 0 : 1. The roots differ, so nothing
  // matches: completed T = root + (internal + 2 at depth 2) + (leaf at depth 1 → 3) = 7, same for
  // T' (1 + 3 + 3): d = 14, normalised 14 / (2 · 2^3) = 0.875.
  const Tree pivotal = cart.fit_without({2}, 0);
  EXPECT_EQ(pivotal.nodes[0].feature, 1);
  EXPECT_EQ(pivotal.nodes[0].threshold, 2.5);
  EXPECT_EQ(tree_distance(full, pivotal, 2, RuleMatch::feature_threshold), 14);
  EXPECT_EQ(tree_distance(full, pivotal, 2, RuleMatch::feature), 14);
  EXPECT_DOUBLE_EQ(normalized_tree_distance(full, pivotal, 2, RuleMatch::feature_threshold), 0.875);
  // at depth 1: 3 + 3
  EXPECT_EQ(tree_distance(full, pivotal, 1, RuleMatch::feature_threshold), 6);

  // D \ {s6}: x0 <= 3.5 ? 0 : 1. Same root rule; the left child is internal in T and a leaf in T'
  // (3 completed nodes each: 6), the right leaves agree: d = 6.
  const Tree same_root = cart.fit_without({5}, 0);
  ASSERT_EQ(same_root.nodes.size(), 3u);
  EXPECT_EQ(tree_distance(full, same_root, 2, RuleMatch::feature_threshold), 6);
  EXPECT_DOUBLE_EQ(normalized_tree_distance(full, same_root, 2, RuleMatch::feature), 0.375);
  EXPECT_EQ(tree_distance(same_root, full, 2, RuleMatch::feature), 6);  // symmetric
  // at depth 1 both are "x0 <= 3.5 ? 0 : 1" (the left child's majority is 0): 0
  EXPECT_EQ(tree_distance(full, same_root, 1, RuleMatch::feature_threshold), 0);
}

TEST(TreeDistance, FeatureOnlyRulesIgnoreThresholds) {
  const Tree a = fit_cart(six(), {2, 2});
  Tree b = a;
  b.nodes[0].threshold = 3.6;
  EXPECT_EQ(tree_distance(a, b, 2, RuleMatch::feature_threshold), 14);
  EXPECT_EQ(tree_distance(a, b, 2, RuleMatch::feature), 0);
}

TEST(TreeDistance, NodesAtTheEvaluationDepthCompareTheirMajorityLabels) {
  // Two stumps on the same rule whose children are internal with different majorities: at depth 1
  // each child is a leaf with its label (the authors' code returns 0 here; the spec counts 2 + 2).
  Tree a;
  a.classes = 2;
  a.max_depth = 2;
  const int root[] = {4, 4}, left0[] = {3, 1}, left1[] = {1, 3}, leaf0[] = {1, 0}, leaf1[] = {0, 1};
  const int r = a.add_leaf(0, root);
  const int l = a.add_leaf(1, left0);
  const int ll = a.add_leaf(2, leaf0), lr = a.add_leaf(2, leaf1);
  const int rt = a.add_leaf(1, left1);
  const int rl = a.add_leaf(2, leaf0), rr = a.add_leaf(2, leaf1);
  a.set_split(l, 1, 0.5, ll, lr);
  a.set_split(rt, 1, 0.5, rl, rr);
  a.set_split(r, 0, 0.5, l, rt);
  Tree b = a;
  std::swap(b.counts[2], b.counts[3]);  // left child: {1, 3}
  b.nodes[1].label = 1;
  EXPECT_EQ(tree_distance(a, b, 1, RuleMatch::feature_threshold), 2);
  EXPECT_EQ(tree_distance(a, b, 2, RuleMatch::feature_threshold), 0);  // the leaves agree
  EXPECT_EQ(tree_distance(a, b, 0, RuleMatch::feature_threshold), 0);  // roots: label 0 both
  // completed sizes: a leaf at depth c completes to 2^(D−c+1) − 1 nodes
  Tree leaf;
  leaf.classes = 2;
  leaf.add_leaf(0, root);
  EXPECT_EQ(completed_size(leaf, 0, 3), 15);
  EXPECT_EQ(completed_size(a, 0, 3), 1 + 2 * (1 + 2 * 3));
  EXPECT_EQ(tree_distance(a, leaf, 2, RuleMatch::feature), 7 + 7);
  EXPECT_LT(normalized_tree_distance(a, leaf, 2, RuleMatch::feature), 1.0);
}

}  // namespace
}  // namespace hyperpush::tree

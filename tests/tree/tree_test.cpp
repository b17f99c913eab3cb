// Tree storage, truncated prediction and accuracy by depth on a hand-built tree.
#include "hyperpush/tree/tree.hpp"

#include <gtest/gtest.h>

#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

// x0 <= 0.5 ? (x1 <= 0.5 ? 0 : 1) : 1, with counts that make the root's majority 1 and the left
// child's majority 0.
Tree hand_built() {
  Tree t;
  t.classes = 2;
  t.max_depth = 3;
  const int root_counts[] = {3, 4}, left_counts[] = {3, 1}, right_counts[] = {0, 3};
  const int ll_counts[] = {3, 0}, lr_counts[] = {0, 1};
  const int root = t.add_leaf(0, root_counts);
  const int left = t.add_leaf(1, left_counts);
  const int ll = t.add_leaf(2, ll_counts);
  const int lr = t.add_leaf(2, lr_counts);
  const int right = t.add_leaf(1, right_counts);
  t.set_split(left, 1, 0.5, ll, lr);
  t.set_split(root, 0, 0.5, left, right);
  return t;
}

TEST(Tree, LeavesCarryTheMajorityLabelAndSampleCount) {
  const Tree t = hand_built();
  ASSERT_EQ(t.nodes.size(), 5u);
  EXPECT_EQ(t.nodes[0].label, 1);
  EXPECT_EQ(t.nodes[0].samples, 7);
  EXPECT_EQ(t.nodes[1].label, 0);
  EXPECT_EQ(t.depth(), 2);
  EXPECT_EQ(t.leaf_count(), 3);
  const int tie[] = {2, 2};
  EXPECT_EQ(majority_class(tie, 2), 0);
}

TEST(Tree, PredictionIsTruncatedAtAnyDepth) {
  const Tree t = hand_built();
  const double x[] = {0.0, 1.0};  // path: root → left → lr
  EXPECT_EQ(t.predict(x, 0), 1);  // the root's majority
  EXPECT_EQ(t.predict(x, 1), 0);  // the left child's majority
  EXPECT_EQ(t.predict(x, 2), 1);
  EXPECT_EQ(t.predict(x), 1);
  const double y[] = {1.0, 0.0};  // root → right (a leaf at depth 1)
  EXPECT_EQ(t.predict(y, 5), 1);
}

TEST(Tree, AccuracyByDepthMatchesTruncatedPredictions) {
  const Tree t = hand_built();
  const auto d = make_dataset({{0, 0}, {0, 1}, {1, 0}, {0, 0}, {1, 1}}, {0, 1, 1, 1, 0});
  const auto by_depth = t.accuracy_by_depth(d);
  ASSERT_EQ(by_depth.size(), 4u);
  for (int depth = 0; depth <= 3; ++depth) EXPECT_DOUBLE_EQ(by_depth[depth], t.accuracy(d, depth));
  EXPECT_DOUBLE_EQ(by_depth[0], 3.0 / 5);
  EXPECT_DOUBLE_EQ(by_depth[2], 3.0 / 5);
}

}  // namespace
}  // namespace hyperpush::tree

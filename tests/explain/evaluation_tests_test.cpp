// The three tests of explanations on hand-built cases, the metric list parser, and top-k lists.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "hyperpush/error.hpp"
#include "hyperpush/explain/identical_class_test.hpp"
#include "hyperpush/explain/identical_subclass_test.hpp"
#include "hyperpush/explain/metric.hpp"
#include "hyperpush/explain/randomization_test.hpp"
#include "hyperpush/explain/similarity_index.hpp"
#include "hyperpush/explain/top_k.hpp"

namespace hyperpush::explain {
namespace {

Eigen::VectorXi ints(std::initializer_list<int> v) {
  Eigen::VectorXi out(static_cast<Eigen::Index>(v.size()));
  int i = 0;
  for (const int x : v) out(i++) = x;
  return out;
}

TEST(IdenticalClassTest, CountsTop1AndAllOfTopK) {
  const Eigen::VectorXi train = ints({0, 0, 1, 1, 2});
  // query 0 predicted 0: top (1, 0) → top-1 and top-2 succeed
  // query 1 predicted 1: top (2, 4) → top-1 succeeds, top-2 fails
  // query 2 predicted 2: top (0, 4) → both fail
  const TestScore s = identical_class_test({{1, 0}, {2, 4}, {0, 4}}, ints({0, 1, 2}), train, 2);
  EXPECT_EQ(s.count, 3);
  EXPECT_DOUBLE_EQ(s.success_rate, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.top_k_success_rate, 1.0 / 3);
}

TEST(IdenticalSubclassTest, KeepsCorrectSuperclassPredictionsAndComparesOriginalClasses) {
  // Classes 0..3, superclasses {0, 2} → 0, {1, 3} → 1.
  const std::vector<int> superclass = {0, 1, 0, 1};
  const Eigen::VectorXi train = ints({0, 1, 2, 3, 2});
  const Eigen::VectorXi query_classes = ints({0, 2, 3, 1, 0});
  // Superclass predictions: q0 right (0), q1 right (0), q2 wrong (0 ≠ 1), q3 right (1), q4 wrong.
  const Eigen::VectorXi predicted = ints({0, 0, 0, 1, 1});
  // Retrievals: q0 → train 0 (class 0 ✓); q1 → train 0 (class 0, same superclass but ✗);
  // q2 dropped; q3 → train 1 then 3 (✓ top-1, ✗ top-2); q4 dropped.
  const TestScore s = identical_subclass_test({{0, 4}, {0, 2}, {3, 3}, {1, 3}, {0, 0}},
                                              query_classes, predicted, superclass, train, 2);
  EXPECT_EQ(s.count, 3);
  EXPECT_DOUBLE_EQ(s.success_rate, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.top_k_success_rate, 0.0);
  EXPECT_EQ(superclass_labels(train, superclass), ints({0, 1, 0, 1, 0}));
}

TEST(IdenticalSubclassTest, RandomSuperclassesAreFivePlusFiveAndSeeded) {
  const auto a = random_superclasses(10, 3);
  int zeros = 0;
  for (const int s : a) zeros += s == 0;
  EXPECT_EQ(zeros, 5);
  EXPECT_EQ(a, random_superclasses(10, 3));
  bool differs = false;
  for (std::uint64_t seed = 4; seed < 10 && !differs; ++seed)
    differs = random_superclasses(10, seed) != a;
  EXPECT_TRUE(differs);
  EXPECT_THROW(random_superclasses(1, 0), Error);
}

TEST(RandomizationTest, SpearmanOfKnownRankings) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_TRUE(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
  Eigen::MatrixXd a(4, 2), b(4, 2);
  a << 1, 1, 2, 2, 3, 3, 4, 4;
  b << 5, 4, 6, 3, 7, 2, 8, 1;  // column 0 agrees, column 1 reversed
  EXPECT_DOUBLE_EQ(randomization_test(a, b), 0.0);
  EXPECT_DOUBLE_EQ(randomization_test(a, a), 1.0);
}

TEST(Metrics, ParsesListsAndRefusesUnknownNames) {
  EXPECT_EQ(parse_metrics(" grad_cos, x_cos ,if", "explain.metrics"),
            (std::vector<Metric>{Metric::grad_cos, Metric::x_cos, Metric::if_}));
  try {
    parse_metrics("grad_cos, gc", "explain.metrics");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "explain.metrics: unknown metric 'gc'; valid: x_l2, x_cos, x_dot, last_l2, "
                 "last_cos, last_dot, all_l2, all_cos, all_dot, if, rif, fk, grad_dot, grad_cos");
  }
  EXPECT_EQ(parse_metrics("all_dot,last_cos", "k"),
            (std::vector<Metric>{Metric::all_dot, Metric::last_cos}));
  EXPECT_TRUE(uses_hidden_layers(Metric::last_l2));
  EXPECT_FALSE(uses_gradients(Metric::all_cos));
  EXPECT_FALSE(uses_hidden_layers(Metric::grad_cos));
  EXPECT_THROW(parse_metrics("x_l2,x_l2", "k"), Error);
  EXPECT_THROW(parse_metrics("", "k"), Error);
}

TEST(TopK, MergeIsIdempotentCommutativeAndBreaksTiesByAgentThenIndex) {
  const double scores[] = {0.5, 0.9, 0.5, 0.1};
  const TopK a = top_k_of(scores, 4, 3, 0);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].index, 1);
  EXPECT_EQ(a[1].index, 0);  // tie with index 2: lower index first
  EXPECT_EQ(a[2].index, 2);
  const double other[] = {0.5, 0.95};
  const TopK b = top_k_of(other, 2, 3, 1);
  const TopK ab = merge_top_k({&a, &b}, 3), ba = merge_top_k({&b, &a}, 3);
  const TopK again = merge_top_k({&ab, &a, &ab}, 3);
  ASSERT_EQ(ab.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ab[i].agent, ba[i].agent);
    EXPECT_EQ(ab[i].index, ba[i].index);
    EXPECT_EQ(ab[i].agent, again[i].agent);
    EXPECT_EQ(ab[i].index, again[i].index);
  }
  EXPECT_EQ(ab[0].agent, 1);  // 0.95
  EXPECT_EQ(ab[2].agent, 0);  // 0.5 of agent 0 before 0.5 of agent 1
  EXPECT_EQ(ab[2].index, 0);
  std::vector<double> packed(3 * 4);
  pack_top_k(ab, 4, packed.data());
  EXPECT_EQ(packed[9], -1.0);
  EXPECT_EQ(packed[11], -std::numeric_limits<double>::infinity());
  const TopK back = unpack_top_k(packed.data(), 4);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].score, ab[1].score);
}

TEST(SimilarityIndex, BatchedTopKEqualsOneProduct) {
  Eigen::MatrixXd rows(50, 3), queries(7, 3);
  for (int i = 0; i < 50; ++i) rows.row(i) << std::sin(i), std::cos(3 * i), i % 5 - 2.0;
  for (int q = 0; q < 7; ++q) queries.row(q) << q - 3.0, 1.0, std::sin(q);
  const SimilarityIndex index(rows, Similarity::negative_l2);
  const auto batched = index.top_k(queries, 4, 2, 3);
  const Eigen::MatrixXd s = index.scores(queries);
  for (int q = 0; q < 7; ++q) {
    const TopK one = top_k_of(s.col(q).data(), 50, 4, 2);
    ASSERT_EQ(batched[q].size(), 4u);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(batched[q][i].index, one[i].index);
    // −l2 by GEMM agrees with the direct distance
    EXPECT_NEAR(s(one[0].index, q), -(rows.row(one[0].index) - queries.row(q)).norm(), 1e-12);
  }
}

}  // namespace
}  // namespace hyperpush::explain

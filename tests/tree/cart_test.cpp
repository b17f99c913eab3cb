// CART against a naive reference written here (re-sorts at every node, Gini computed from scratch),
// on random data with many ties; stopping rules; breast cancer.
#include "hyperpush/tree/cart.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "hyperpush/random.hpp"
#include "hyperpush/tree/tree_json.hpp"
#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

double gini(const std::vector<int>& counts) {
  const double n = std::accumulate(counts.begin(), counts.end(), 0.0);
  double s = 1;
  for (const int c : counts) s -= (c / n) * (c / n);
  return s;
}

// The textbook algorithm: for every feature, sort the node's samples, try every midpoint between
// distinct values, keep the lowest weighted Gini (first found on ties, within a relative 1e-12).
int naive_grow(const data::Dataset& d, const std::vector<std::size_t>& rows, int depth,
               int max_depth, Tree& t) {
  std::vector<int> counts(d.classes, 0);
  for (const auto r : rows) ++counts[d.labels[r]];
  const int node = t.add_leaf(depth, counts.data());
  const int nonzero =
      static_cast<int>(std::count_if(counts.begin(), counts.end(), [](int c) { return c > 0; }));
  if (depth >= max_depth || rows.size() < 2 || nonzero <= 1) return node;
  double best = INFINITY, best_t = 0;
  int best_f = -1;
  for (std::size_t f = 0; f < d.cols; ++f) {
    std::vector<double> values;
    for (const auto r : rows) values.push_back(d.row(r)[f]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (std::size_t v = 0; v + 1 < values.size(); ++v) {
      const double threshold = values[v] / 2 + values[v + 1] / 2;
      std::vector<int> left(d.classes, 0), right(d.classes, 0);
      for (const auto r : rows) ++(d.row(r)[f] <= threshold ? left : right)[d.labels[r]];
      const double nl = std::accumulate(left.begin(), left.end(), 0.0);
      const double nr = std::accumulate(right.begin(), right.end(), 0.0);
      const double impurity = nl * gini(left) + nr * gini(right);
      if (impurity < best - 1e-12 * rows.size()) {
        best = impurity;
        best_f = static_cast<int>(f);
        best_t = threshold;
      }
    }
  }
  if (best_f < 0) return node;
  std::vector<std::size_t> l, r;
  for (const auto row : rows) (d.row(row)[best_f] <= best_t ? l : r).push_back(row);
  const int left = naive_grow(d, l, depth + 1, max_depth, t);
  const int right = naive_grow(d, r, depth + 1, max_depth, t);
  t.set_split(node, best_f, best_t, left, right);
  return node;
}

// n samples, `features` features drawn from {0, …, levels − 1} (many ties), 3 classes that depend
// on the features plus noise.
data::Dataset random_data(std::size_t n, std::size_t features, int levels, std::uint64_t seed) {
  std::vector<std::vector<double>> rows(n, std::vector<double>(features));
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t f = 0; f < features; ++f) {
      rows[i][f] = std::floor(random_uniform(seed, Purpose::initial_value, i, f, 0) * levels);
      s += (f % 2 ? -1 : 1) * rows[i][f];
    }
    const double noise = random_uniform(seed, Purpose::initial_value, i, features, 0);
    labels[i] = noise < 0.15 ? static_cast<int>(noise * 20) : (s > 0 ? 2 : (s > -levels ? 1 : 0));
  }
  return make_dataset(rows, labels, 3);
}

TEST(Cart, MatchesTheNaiveReferenceNodeForNode) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto d = random_data(60 + 7 * seed, 4, seed % 2 ? 5 : 1000, seed);
    std::vector<std::size_t> all(d.rows);
    std::iota(all.begin(), all.end(), std::size_t{0});
    Tree expected;
    expected.classes = d.classes;
    expected.max_depth = 6;
    naive_grow(d, all, 0, 6, expected);
    EXPECT_EQ(tree_to_json(fit_cart(d, {6, 2})), tree_to_json(expected)) << "seed " << seed;
  }
}

TEST(Cart, FitsTheGivenRowsOnly) {
  const auto d = random_data(80, 3, 7, 5);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < d.rows; r += 2) rows.push_back(r);
  EXPECT_EQ(tree_to_json(fit_cart(d, rows, {5, 2})),
            tree_to_json(fit_cart(data::subset(d, rows), {5, 2})));
}

TEST(Cart, StopsAtDepthMinSamplesAndPureNodes) {
  const auto d = random_data(100, 3, 9, 2);
  const Tree t = fit_cart(d, {3, 10});
  for (std::size_t i = 0; i < t.nodes.size(); ++i) {
    const TreeNode& n = t.nodes[i];
    EXPECT_LE(n.depth, 3);
    if (n.is_leaf()) continue;
    EXPECT_GE(n.samples, 10);
    EXPECT_EQ(n.samples, t.nodes[n.left].samples + t.nodes[n.right].samples);
    for (int k = 0; k < t.classes; ++k)
      EXPECT_EQ(t.class_counts(int(i))[k], t.class_counts(n.left)[k] + t.class_counts(n.right)[k]);
  }
  const auto pure = make_dataset({{0}, {1}, {2}}, {1, 1, 1});
  EXPECT_EQ(fit_cart(pure, {5, 2}).nodes.size(), 1u);
  const auto constant = make_dataset({{1}, {1}, {1}}, {0, 1, 0});
  EXPECT_EQ(fit_cart(constant, {5, 2}).nodes.size(), 1u);
  EXPECT_EQ(fit_cart(pure, std::vector<std::size_t>{}, {5, 2}).nodes.size(), 1u);
}

TEST(Cart, BreastCancerGrowsToAPerfectTrainingFit) {
  const auto split = breast_cancer(0);
  const Tree t = fit_cart(split.train, {10, 2});
  const auto train = t.accuracy_by_depth(split.train);
  for (int d = 1; d <= 10; ++d) EXPECT_GE(train[d], train[d - 1]);
  EXPECT_DOUBLE_EQ(train[10], 1.0);
  EXPECT_GT(t.accuracy(split.test, 5), 0.88);
}

}  // namespace
}  // namespace hyperpush::tree

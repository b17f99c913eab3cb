// The stable tree: split frequencies at a hand-built node against exp-weights computed here
// (chi-square), greedy at tiny ε on breast cancer, invalid splits, collapsing, coupling.
#include "hyperpush/tree/stable_tree.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"
#include "hyperpush/tree/exponential_mechanism.hpp"
#include "hyperpush/tree/learner.hpp"
#include "hyperpush/tree/sensitivity.hpp"
#include "hyperpush/tree/tree_json.hpp"
#include "tree_fixtures.hpp"

namespace hyperpush::tree {
namespace {

std::vector<std::size_t> all_rows(const data::Dataset& d) {
  std::vector<std::size_t> rows(d.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

// Ten samples; feature 0 separates the classes at 4.5, feature 1 (= rank², ranks holding labels
// 0 0 1 0 0 1 0 1 1 1) only roughly. Every valid split leaves class 0 the majority on the left and
// class 1 on the right, so a depth-1 tree never collapses and shows the root's choice.
data::Dataset hand_built_node() {
  const std::vector<int> labels = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<int> rank = {0, 1, 3, 4, 6, 2, 5, 7, 8, 9};
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({double(i), double(rank[i] * rank[i])});
  return make_dataset(rows, labels);
}

TEST(StableTree, SplitFrequenciesMatchTheExponentialWeights) {
  const auto d = hand_built_node();
  const int T = 6;
  const auto candidates = split_candidates(d, T);
  // The candidates, scores and weights, computed here from the definitions.
  struct Candidate {
    int feature;
    double threshold;
    int score;
  };
  std::vector<Candidate> valid;
  for (int f = 0; f < 2; ++f) {
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t r = 0; r < d.rows; ++r) {
      lo = std::min(lo, d.row(r)[f]);
      hi = std::max(hi, d.row(r)[f]);
    }
    for (int k = 0; k < T; ++k) {
      const double t = lo + k * ((hi - lo) / T);
      int left[2] = {0, 0}, right[2] = {0, 0};
      for (std::size_t r = 0; r < d.rows; ++r) ++(d.row(r)[f] <= t ? left : right)[d.labels[r]];
      if (left[0] + left[1] == 0 || right[0] + right[1] == 0) continue;
      ASSERT_GE(left[0], left[1]);  // the precondition: no collapse at depth 1
      ASSERT_GT(right[1], right[0]);
      valid.push_back({f, t, std::max(left[0], left[1]) + std::max(right[0], right[1])});
    }
  }
  ASSERT_EQ(valid.size(), 12u);
  for (const double epsilon : {1.0, 0.3}) {
    int a_max = 0;
    for (const auto& c : valid) a_max = std::max(a_max, c.score);
    const double beta = 2 * std::log(double(valid.size())) / epsilon;
    std::vector<double> p;
    for (const auto& c : valid) p.push_back(std::exp(beta * c.score / a_max));
    const double total = std::accumulate(p.begin(), p.end(), 0.0);
    for (double& x : p) x /= total;

    const int draws = 20000;
    std::vector<int> hits(valid.size(), 0);
    for (int s = 0; s < draws; ++s) {
      const Tree t = fit_stable_tree(d, candidates, all_rows(d), {1, epsilon, 2, std::uint64_t(s)});
      ASSERT_EQ(t.nodes.size(), 3u);
      std::size_t c = 0;
      while (c < valid.size() && !(valid[c].feature == t.nodes[0].feature &&
                                   valid[c].threshold == t.nodes[0].threshold))
        ++c;
      ASSERT_LT(c, valid.size()) << "not a valid candidate";
      ++hits[c];
    }
    double chi2 = 0;
    for (std::size_t c = 0; c < valid.size(); ++c)
      chi2 += std::pow(hits[c] - draws * p[c], 2) / (draws * p[c]);
    // χ² critical value at α = 0.001 (Wilson–Hilferty, z = 3.09) with K − 1 degrees of freedom
    const double df = valid.size() - 1.0, a = 2 / (9 * df);
    const double critical = df * std::pow(1 - a + 3.09 * std::sqrt(a), 3);
    EXPECT_LT(chi2, critical) << "epsilon " << epsilon;
  }
}

TEST(StableTree, TheRootRacesWithItsPosition) {
  const auto d = hand_built_node();
  const auto candidates = split_candidates(d, 6);
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    std::vector<double> w;
    split_weights(split_scores(d, candidates, all_rows(d)), 0.5, w);
    const int c = draw_split(w, seed, 0);
    const Tree t = fit_stable_tree(d, candidates, all_rows(d), {1, 0.5, 2, seed});
    EXPECT_EQ(t.nodes[0].feature, c / 6);
    EXPECT_EQ(t.nodes[0].threshold, candidates.threshold(c / 6, c % 6));
  }
}

TEST(StableTree, TinyEpsilonEqualsGreedyOnBreastCancer) {
  const auto split = breast_cancer(0);
  const TreeLearner tiny(split.train, {LearnerKind::stable, 10, 1e-5, 500, 2});
  const TreeLearner greedy(split.train, {LearnerKind::stable, 10, -1, 500, 2});
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    const Tree t = tiny.fit(seed);
    EXPECT_EQ(tree_to_json(t), tree_to_json(greedy.fit(seed))) << "seed " << seed;
    for (const auto& n : t.nodes) ASSERT_TRUE(std::isfinite(n.threshold));
  }
}

TEST(StableTree, NeverPicksAnInvalidSplit) {
  // Clustered values: deep nodes see few distinct values, so most candidates are invalid there.
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  for (int i = 0; i < 120; ++i) {
    rows.push_back({double(i % 3), double(i % 7) * 100, i < 60 ? 0.0 : 1.0});
    labels.push_back((i * 7919) % 5 < 2 ? 1 : 0);
  }
  const auto d = make_dataset(rows, labels);
  const TreeLearner near_uniform(d, {LearnerKind::stable, 8, 1e6, 500, 2});
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Tree t = near_uniform.fit(seed);
    for (const auto& n : t.nodes) {
      if (n.is_leaf()) continue;
      ASSERT_GT(t.nodes[n.left].samples, 0);
      ASSERT_GT(t.nodes[n.right].samples, 0);
    }
  }
  // no valid split at all: every sample has the same features
  const auto flat = make_dataset({{1, 2}, {1, 2}, {1, 2}}, {0, 1, 0});
  EXPECT_EQ(TreeLearner(flat, {LearnerKind::stable, 5, 1.0, 500, 2}).fit(0).nodes.size(), 1u);
}

TEST(StableTree, EqualLabelSiblingLeavesCollapse) {
  // Every depth-1 split of labels 0 1 0 0 gives two leaves labelled 0 (ties go to class 0).
  const auto d = make_dataset({{0}, {1}, {2}, {3}}, {0, 1, 0, 0});
  for (std::uint64_t seed = 0; seed < 20; ++seed)
    EXPECT_EQ(TreeLearner(d, {LearnerKind::stable, 1, 1.0, 10, 2}).fit(seed).nodes.size(), 1u);
  // On breast cancer no internal node keeps two leaves with one label; counts add up.
  const auto split = breast_cancer(1);
  const TreeLearner learner(split.train, {LearnerKind::stable, 10, 0.1, 500, 2});
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Tree t = learner.fit(seed);
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
      const TreeNode& n = t.nodes[i];
      if (n.is_leaf()) continue;
      const TreeNode &l = t.nodes[n.left], &r = t.nodes[n.right];
      EXPECT_FALSE(l.is_leaf() && r.is_leaf() && l.label == r.label);
      EXPECT_EQ(l.depth, n.depth + 1);
      for (int k = 0; k < t.classes; ++k)
        EXPECT_EQ(t.class_counts(int(i))[k],
                  t.class_counts(n.left)[k] + t.class_counts(n.right)[k]);
    }
  }
}

TEST(StableTree, CoupledFitsShareTheirDraws) {
  const auto split = breast_cancer(2);
  const TreeLearner learner(split.train, {LearnerKind::stable, 6, 1.0, 500, 2});
  EXPECT_EQ(tree_to_json(learner.fit_without({}, 7)), tree_to_json(learner.fit(7)));
  EXPECT_NE(tree_to_json(learner.fit(7)), tree_to_json(learner.fit(8)));
}

TEST(StableTree, RefitsReusingTheFullTreeEqualFreshFits) {
  const auto split = breast_cancer(3);
  const std::size_t n = split.train.rows;
  for (const double epsilon : {-1.0, 0.05, 1.0}) {
    const TreeLearner learner(split.train, {LearnerKind::stable, 10, epsilon, 500, 2});
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      const Tree full = learner.fit(seed);
      for (std::size_t trial = 0; trial < 6; ++trial) {
        // one point, a tenth, and a half of the training set
        const std::size_t k = trial < 2 ? 1 : trial < 4 ? n / 10 : n / 2;
        const auto removed = removal_set(n, k, seed, trial);
        EXPECT_EQ(tree_to_json(learner.fit_without(removed, seed, &full)),
                  tree_to_json(learner.fit_without(removed, seed)))
            << "epsilon " << epsilon << ", seed " << seed << ", trial " << trial;
      }
    }
  }
}

TEST(StableTree, RejectsEpsilonZero) {
  const auto d = hand_built_node();
  EXPECT_THROW(TreeLearner(d, {LearnerKind::stable, 3, 0.0, 500, 2}), Error);
}

}  // namespace
}  // namespace hyperpush::tree

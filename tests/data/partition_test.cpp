// Partitions of one data set over agents and each agent's train / validation / test split.
#include "hyperpush/data/partition.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hyperpush/data/dirichlet.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::data {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

using Partition = std::vector<std::vector<std::size_t>>;

// Every sample index in [0, n) appears in exactly one list, and each list is ascending.
void expect_exact_cover(const Partition& p, std::size_t n) {
  std::vector<int> seen(n, 0);
  for (const auto& indices : p) {
    EXPECT_TRUE(std::is_sorted(indices.begin(), indices.end()));
    for (const std::size_t i : indices) {
      ASSERT_LT(i, n);
      ++seen[i];
    }
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<std::ptrdiff_t>(n));
}

// `classes` classes of `per_class` samples each, interleaved: label of sample i is i mod classes.
std::vector<int> cyclic_labels(int classes, int per_class) {
  std::vector<int> labels(static_cast<std::size_t>(classes * per_class));
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int>(i % classes);
  return labels;
}

// Shannon entropy (nats) of the labels an agent holds.
double label_entropy(const std::vector<std::size_t>& indices, const std::vector<int>& labels,
                     int classes) {
  std::vector<double> count(static_cast<std::size_t>(classes), 0);
  for (const std::size_t i : indices) ++count[labels[i]];
  double h = 0;
  for (const double c : count)
    if (c > 0) h -= c / indices.size() * std::log(c / indices.size());
  return h;
}

double mean_label_entropy(const Partition& p, const std::vector<int>& labels, int classes) {
  double sum = 0;
  for (const auto& indices : p) sum += label_entropy(indices, labels, classes);
  return sum / p.size();
}

// A data set whose feature is the row index, so that parts can be traced back.
Dataset indexed_dataset(std::size_t n) {
  Dataset d;
  d.source = "agent-data";
  d.rows = n;
  d.cols = 1;
  d.classes = 2;
  for (std::size_t r = 0; r < n; ++r) {
    d.features.push_back(static_cast<double>(r));
    d.labels.push_back(static_cast<int>(r % 2));
  }
  return d;
}

std::vector<std::size_t> rows_of(const Dataset& d) {
  std::vector<std::size_t> rows;
  for (const double x : d.features) rows.push_back(static_cast<std::size_t>(x));
  return rows;
}

TEST(PartitionIid, CoversEverySampleOnceWithSizesWithinOne) {
  const Partition p = partition_iid(103, 10, 4);
  ASSERT_EQ(p.size(), 10u);
  expect_exact_cover(p, 103);
  // 103 = 10 · 10 + 3: the first three agents take 11.
  for (std::size_t j = 0; j < 10; ++j) EXPECT_EQ(p[j].size(), j < 3 ? 11u : 10u) << j;
}

TEST(PartitionIid, DeterministicInTheSeed) {
  EXPECT_EQ(partition_iid(500, 7, 1), partition_iid(500, 7, 1));
  EXPECT_NE(partition_iid(500, 7, 1), partition_iid(500, 7, 2));
}

TEST(PartitionIid, BlocksOfTheDocumentedShuffle) {
  // Stable argsort of the keys random_bits(seed, partition_order, 0, 0, i), then blocks.
  const std::size_t n = 20;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [](std::size_t a, std::size_t b) {
    return random_bits(9, Purpose::partition_order, 0, 0, a) <
           random_bits(9, Purpose::partition_order, 0, 0, b);
  });
  std::vector<std::size_t> first(order.begin(), order.begin() + 7);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(partition_iid(n, 3, 9)[0], first);  // 20 = 3 · 6 + 2: agent 0 takes 7
}

TEST(PartitionIid, RejectsImpossibleRequests) {
  EXPECT_THAT(
      [] { partition_iid(10, 0, 1); },
      ThrowsMessage<Error>(StrEq("partition: agents = 0 is out of range; valid: at least 1")));
  EXPECT_THAT([] { partition_iid(5, 10, 1); },
              ThrowsMessage<Error>(StrEq("partition: 5 samples cannot give each of 10 agents a "
                                         "sample; valid: agents <= 5")));
}

TEST(PartitionDirichlet, CoversEverySampleOnce) {
  const auto labels = cyclic_labels(10, 100);
  for (const double alpha : {0.05, 0.5, 5.0}) {
    const Partition p = partition_dirichlet(labels, 10, 20, alpha, 3, 0);
    ASSERT_EQ(p.size(), 20u);
    expect_exact_cover(p, labels.size());
  }
}

TEST(PartitionDirichlet, DeterministicInTheSeed) {
  const auto labels = cyclic_labels(5, 60);
  EXPECT_EQ(partition_dirichlet(labels, 5, 6, 0.5, 1, 2),
            partition_dirichlet(labels, 5, 6, 0.5, 1, 2));
  EXPECT_NE(partition_dirichlet(labels, 5, 6, 0.5, 1, 2),
            partition_dirichlet(labels, 5, 6, 0.5, 2, 2));
}

TEST(PartitionDirichlet, LabelSkewGrowsAsAlphaShrinks) {
  // Mean per-agent label entropy: near ln 10 ≈ 2.30 at α = 100 (every agent sees the global mix),
  // far lower at α = 0.1 (each class goes to few agents).
  const auto labels = cyclic_labels(10, 200);
  double previous = 0;
  for (const double alpha : {0.1, 1.0, 100.0}) {
    double entropy = 0;
    for (std::uint64_t seed = 0; seed < 5; ++seed)
      entropy +=
          mean_label_entropy(partition_dirichlet(labels, 10, 20, alpha, seed, 1), labels, 10) / 5;
    EXPECT_GT(entropy, previous) << alpha;
    previous = entropy;
    if (alpha == 0.1) EXPECT_LT(entropy, 1.2);
    if (alpha == 100.0) EXPECT_GT(entropy, 0.97 * std::log(10.0));
  }
}

TEST(PartitionDirichlet, CountsAreTheDocumentedCuts) {
  // min_per_agent = 0 moves nothing: agent j holds ⌊n_k·P_j⌋ − ⌊n_k·P_{j−1}⌋ samples of class k,
  // P_j the cumulative Dirichlet proportions keyed (label_proportions, k).
  const auto labels = cyclic_labels(3, 50);
  const Partition p = partition_dirichlet(labels, 3, 4, 0.7, 12, 0);
  for (int k = 0; k < 3; ++k) {
    const auto prop = symmetric_dirichlet_sample(4, 0.7, 12, Purpose::label_proportions, k);
    double cumulative = 0;
    std::size_t previous = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      cumulative += prop[j];
      const std::size_t cut = j == 3 ? 50 : static_cast<std::size_t>(std::floor(50 * cumulative));
      const auto count =
          std::count_if(p[j].begin(), p[j].end(), [&](std::size_t i) { return labels[i] == k; });
      EXPECT_EQ(static_cast<std::size_t>(count), cut - previous) << k << " " << j;
      previous = cut;
    }
  }
}

TEST(PartitionDirichlet, EveryAgentGetsTheMinimum) {
  const auto labels = cyclic_labels(10, 50);
  const Partition raw = partition_dirichlet(labels, 10, 50, 0.05, 8, 0);
  const auto smallest = [](const Partition& p) {
    std::size_t m = p[0].size();
    for (const auto& indices : p) m = std::min(m, indices.size());
    return m;
  };
  ASSERT_LT(smallest(raw), 5u);  // α = 0.05 over 50 agents leaves some agents short
  const Partition p = partition_dirichlet(labels, 10, 50, 0.05, 8, 5);
  expect_exact_cover(p, labels.size());
  EXPECT_GE(smallest(p), 5u);
  // Exactly the shortfall moved: Σ_j max(0, 5 − |raw_j|) samples changed hands.
  std::size_t shortfall = 0, moved = 0;
  for (std::size_t j = 0; j < 50; ++j) {
    shortfall += raw[j].size() < 5 ? 5 - raw[j].size() : 0;
    for (const std::size_t i : p[j])
      moved += std::binary_search(raw[j].begin(), raw[j].end(), i) ? 0 : 1;
  }
  EXPECT_EQ(moved, shortfall);
}

TEST(PartitionDirichlet, MinimumOfAllSamplesIsFeasible) {
  // agents · min_per_agent = n: every agent gets exactly n / agents.
  const auto labels = cyclic_labels(2, 10);
  const Partition p = partition_dirichlet(labels, 2, 4, 0.1, 1, 5);
  for (const auto& indices : p) EXPECT_EQ(indices.size(), 5u);
  expect_exact_cover(p, 20);
}

TEST(PartitionDirichlet, RejectsImpossibleRequests) {
  const auto labels = cyclic_labels(2, 10);
  EXPECT_THAT([&] { partition_dirichlet(labels, 2, 4, 0, 1, 0); },
              ThrowsMessage<Error>(
                  StrEq("partition: data.alpha = 0 is out of range; valid: a finite number > 0")));
  EXPECT_THAT([&] { partition_dirichlet(labels, 2, 4, -1, 1, 0); },
              ThrowsMessage<Error>(
                  StrEq("partition: data.alpha = -1 is out of range; valid: a finite number > 0")));
  EXPECT_THAT(
      [&] { partition_dirichlet(labels, 2, 0, 1, 1, 0); },
      ThrowsMessage<Error>(StrEq("partition: agents = 0 is out of range; valid: at least 1")));
  EXPECT_THAT([&] { partition_dirichlet(labels, 2, 4, 1, 1, 6); },
              ThrowsMessage<Error>(StrEq(
                  "partition: 20 samples cannot give each of 4 agents the 6 samples a Dirichlet "
                  "split guarantees every agent; valid: at most 3 agents, or data.partition = "
                  "\"iid\"")));
  EXPECT_THAT(
      [&] { partition_dirichlet(labels, 0, 4, 1, 1, 0); },
      ThrowsMessage<Error>(StrEq("partition: classes = 0 is out of range; valid: at least 1")));
  EXPECT_THAT(
      [] {
        partition_dirichlet({0, 1, 2}, 2, 1, 1, 1, 0);
      },
      ThrowsMessage<Error>(StrEq("partition: sample 2 has label 2; valid: [0, 2)")));
}

TEST(SplitAgent, PartsHaveTheFractionsAndCoverTheAgent) {
  const Dataset d = indexed_dataset(100);
  const AgentSplit s = split_agent(d, 0.2, 0.1, 3, 4);
  EXPECT_EQ(s.train.rows, 70u);
  EXPECT_EQ(s.validation.rows, 20u);
  EXPECT_EQ(s.test.rows, 10u);
  EXPECT_EQ(s.train.source, "agent-data");
  EXPECT_EQ(s.validation.classes, 2);
  std::vector<std::size_t> all = rows_of(s.train);
  for (const Dataset* part : {&s.validation, &s.test}) {
    const auto rows = rows_of(*part);
    all.insert(all.end(), rows.begin(), rows.end());
  }
  std::sort(all.begin(), all.end());
  for (std::size_t r = 0; r < 100; ++r) EXPECT_EQ(all[r], r);
  // Labels travel with their rows.
  for (std::size_t r = 0; r < s.test.rows; ++r)
    EXPECT_EQ(s.test.labels[r], static_cast<int>(rows_of(s.test)[r] % 2));
}

TEST(SplitAgent, RoundsHalfAwayFromZero) {
  // n = 7: validation round(1.75) = 2, test round(0.7) = 1, train the remaining 4.
  const AgentSplit s = split_agent(indexed_dataset(7), 0.25, 0.1, 1, 0);
  EXPECT_EQ(s.train.rows, 4u);
  EXPECT_EQ(s.validation.rows, 2u);
  EXPECT_EQ(s.test.rows, 1u);
  const AgentSplit no_test = split_agent(indexed_dataset(7), 0.25, 0, 1, 0);
  EXPECT_EQ(no_test.train.rows, 5u);
  EXPECT_EQ(no_test.test.rows, 0u);
}

TEST(SplitAgent, DeterministicInSeedAndAgent) {
  const Dataset d = indexed_dataset(50);
  EXPECT_EQ(rows_of(split_agent(d, 0.2, 0.2, 5, 1).train),
            rows_of(split_agent(d, 0.2, 0.2, 5, 1).train));
  EXPECT_NE(rows_of(split_agent(d, 0.2, 0.2, 5, 1).train),
            rows_of(split_agent(d, 0.2, 0.2, 6, 1).train));
  EXPECT_NE(rows_of(split_agent(d, 0.2, 0.2, 5, 1).train),
            rows_of(split_agent(d, 0.2, 0.2, 5, 2).train));
}

TEST(SplitAgent, OrderIsTheDocumentedShuffle) {
  const Dataset d = indexed_dataset(10);
  std::vector<std::size_t> order(10);
  for (std::size_t i = 0; i < 10; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [](std::size_t a, std::size_t b) {
    return random_bits(2, Purpose::agent_split, 3, 0, a) <
           random_bits(2, Purpose::agent_split, 3, 0, b);
  });
  const AgentSplit s = split_agent(d, 0.2, 0.3, 2, 3);
  EXPECT_EQ(rows_of(s.train), std::vector<std::size_t>(order.begin(), order.begin() + 5));
  EXPECT_EQ(rows_of(s.validation), std::vector<std::size_t>(order.begin() + 5, order.begin() + 7));
  EXPECT_EQ(rows_of(s.test), std::vector<std::size_t>(order.begin() + 7, order.end()));
}

TEST(SplitAgent, RejectsImpossibleRequests) {
  const Dataset d = indexed_dataset(3);
  EXPECT_THAT(
      [&] { split_agent(d, 1, 0.1, 1, 0); },
      ThrowsMessage<Error>(StrEq("data.validation_fraction = 1 is out of range; valid: [0, 1)")));
  EXPECT_THAT(
      [&] { split_agent(d, 0.1, -0.1, 1, 0); },
      ThrowsMessage<Error>(StrEq("data.test_fraction = -0.1 is out of range; valid: [0, 1)")));
  EXPECT_THAT([&] { split_agent(d, 0.6, 0.5, 1, 0); },
              ThrowsMessage<Error>(StrEq("data.validation_fraction + data.test_fraction = 0.6 + "
                                         "0.5 leaves no training data; valid: a sum < 1")));
  EXPECT_THAT([&] { split_agent(d, 0.1, 0.2, 1, 2); },
              ThrowsMessage<Error>(StrEq(
                  "agent-data: agent 2 has 3 samples; data.validation_fraction = 0.1 and "
                  "data.test_fraction = 0.2 would leave its validation part empty; valid: more "
                  "samples per agent or other fractions")));
  // round(1.5) + round(0.9) = 3: nothing left to train on.
  EXPECT_THAT([&] { split_agent(d, 0.5, 0.3, 1, 2); },
              ThrowsMessage<Error>(
                  StrEq("agent-data: agent 2 has 3 samples; data.validation_fraction = 0.5 and "
                        "data.test_fraction = 0.3 would leave its train part empty; valid: more "
                        "samples per agent or other fractions")));
  EXPECT_THAT([&] { split_agent(d, 0.2, 0.2, 1, -1); },
              ThrowsMessage<Error>(StrEq("split_agent: agent = -1 is out of range; valid: >= 0")));
}

}  // namespace
}  // namespace hyperpush::data

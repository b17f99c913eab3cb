// The HGP paper's synthetic mixture task: shapes, determinism, the documented keys, and that it is
// the non-iid, label-balanced task the experiment needs.
#include "hyperpush/data/synthetic_mixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "hyperpush/data/dirichlet.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush::data {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

double label_fraction(const Dataset& d) {
  return std::accumulate(d.labels.begin(), d.labels.end(), 0.0) / static_cast<double>(d.rows);
}

// Fraction of the agent's samples labelled as component c's noiseless rule 1[θ_cᵀx > 0] labels
// them.
double agreement(const Dataset& d, const std::vector<double>& theta) {
  std::size_t agree = 0;
  for (std::size_t r = 0; r < d.rows; ++r) {
    double score = 0;
    for (std::size_t j = 0; j < d.cols; ++j) score += theta[j] * d.row(r)[j];
    agree += (score > 0) == (d.labels[r] == 1) ? 1 : 0;
  }
  return static_cast<double>(agree) / static_cast<double>(d.rows);
}

TEST(SyntheticMixture, PaperShape) {
  const auto agents = synthetic_mixture(3, kMixtureSamplesPerAgent, 1);
  ASSERT_EQ(agents.size(), 3u);
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const Dataset& d = agents[i];
    EXPECT_EQ(d.source, "synthetic-mixture agent " + std::to_string(i));
    EXPECT_EQ(d.rows, 100u);
    EXPECT_EQ(d.cols, 5u);
    EXPECT_EQ(d.classes, 2);
    ASSERT_EQ(d.features.size(), 500u);
    ASSERT_EQ(d.labels.size(), 100u);
    for (const double x : d.features) EXPECT_TRUE(x >= -1 && x < 1) << x;
    for (const int y : d.labels) EXPECT_TRUE(y == 0 || y == 1) << y;
  }
}

TEST(SyntheticMixture, DeterministicInTheSeed) {
  const auto a = synthetic_mixture(3, 100, 7), b = synthetic_mixture(3, 100, 7),
             c = synthetic_mixture(3, 100, 8);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a[i].features, b[i].features);
    EXPECT_EQ(a[i].labels, b[i].labels);
    EXPECT_NE(a[i].features, c[i].features);
    EXPECT_NE(a[i].labels, c[i].labels);
  }
  const auto task_a = synthetic_mixture_task(3, 7), task_c = synthetic_mixture_task(3, 8);
  EXPECT_EQ(task_a.theta, synthetic_mixture_task(3, 7).theta);
  EXPECT_NE(task_a.theta, task_c.theta);
  EXPECT_NE(task_a.weights, task_c.weights);
}

// A rank generates only its own agents, and they are the same bits as in the whole set.
TEST(SyntheticMixture, ARangeOfAgentsIsThatPartOfTheWholeSet) {
  const auto all = synthetic_mixture(6, 50, 3, {}, MixtureSampleSet::test);
  const auto part = synthetic_mixture(6, 50, 3, {}, MixtureSampleSet::test, 2, 3);
  ASSERT_EQ(part.size(), 3u);
  for (std::size_t i = 0; i < part.size(); ++i) {
    EXPECT_EQ(part[i].features, all[2 + i].features);
    EXPECT_EQ(part[i].labels, all[2 + i].labels);
    EXPECT_EQ(part[i].source, all[2 + i].source);
  }
  EXPECT_TRUE(synthetic_mixture(6, 50, 3, {}, MixtureSampleSet::test, 6, 0).empty());
  EXPECT_THROW(synthetic_mixture(6, 50, 3, {}, MixtureSampleSet::test, 4, 3), Error);
}

TEST(SyntheticMixture, MoreAgentsOrSamplesExtendRatherThanRedraw) {
  const auto small = synthetic_mixture(3, 100, 5), large = synthetic_mixture(5, 250, 5);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(small[i].labels,
              std::vector<int>(large[i].labels.begin(), large[i].labels.begin() + 100));
    EXPECT_EQ(small[i].features,
              std::vector<double>(large[i].features.begin(), large[i].features.begin() + 500));
  }
}

TEST(SyntheticMixture, SampleSetsAreIndependentDrawsOfOneTask) {
  const auto train = synthetic_mixture(3, 100, 5, {}, MixtureSampleSet::train);
  const auto validation = synthetic_mixture(3, 100, 5, {}, MixtureSampleSet::validation);
  const auto test =
      synthetic_mixture(3, kMixtureTestSamplesPerAgent, 5, {}, MixtureSampleSet::test);
  EXPECT_NE(train[0].features, validation[0].features);
  EXPECT_EQ(test[0].rows, 5000u);
  // One task: the dominant component's rule labels all three sets alike.
  const auto task = synthetic_mixture_task(3, 5);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& w = task.weights[i];
    const std::size_t c = std::max_element(w.begin(), w.end()) - w.begin();
    EXPECT_NEAR(agreement(train[i], task.theta[c]), agreement(test[i], task.theta[c]), 0.15) << i;
  }
}

TEST(SyntheticMixture, TaskIsTheDocumentedDraws) {
  const SyntheticMixtureSpec spec;
  const auto task = synthetic_mixture_task(4, 11, spec);
  ASSERT_EQ(task.theta.size(), 3u);
  ASSERT_EQ(task.weights.size(), 4u);
  for (std::uint64_t c = 0; c < 3; ++c)
    for (std::uint64_t j = 0; j < 5; ++j)
      EXPECT_EQ(task.theta[c][j],
                -1 + 2 * random_uniform(11, Purpose::mixture_components, c, j, 0));
  for (std::uint64_t i = 0; i < 4; ++i)
    EXPECT_EQ(task.weights[i], symmetric_dirichlet_sample(3, 0.4, 11, Purpose::mixture_weights, i));
}

TEST(SyntheticMixture, SamplesAreTheDocumentedDraws) {
  // Agent 2's samples of the validation set (set 1), recomputed from the header's key table.
  const std::uint64_t seed = 11, a = 2 + (std::uint64_t{1} << 32);
  const auto task = synthetic_mixture_task(3, seed);
  const Dataset d = synthetic_mixture(3, 50, seed, {}, MixtureSampleSet::validation)[2];
  const auto& pi = task.weights[2];
  for (std::uint64_t s = 0; s < 50; ++s) {
    const double u = random_uniform(seed, Purpose::mixture_samples, a, s, 0);
    const std::size_t c = u < pi[0] ? 0 : u < pi[0] + pi[1] ? 1 : 2;
    double score = 0;
    for (std::uint64_t j = 0; j < 5; ++j) {
      const double x = -1 + 2 * random_uniform(seed, Purpose::mixture_samples, a, s, 1 + j);
      ASSERT_EQ(d.row(s)[j], x);
      score += task.theta[c][j] * x;
    }
    const double noise =
        0.1 * std::sqrt(-2 * std::log1p(-random_uniform(seed, Purpose::mixture_samples, a, s, 6))) *
        std::cos(2 * M_PI * random_uniform(seed, Purpose::mixture_samples, a, s, 7));
    EXPECT_EQ(d.labels[s], score + noise > 0 ? 1 : 0) << s;
  }
}

TEST(SyntheticMixture, AgentsHaveDifferentMixtureWeights) {
  // Dirichlet(0.4) over 3 components: pairs of agents differ by E‖π_i − π_k‖₁ ≈ 0.9; an iid task
  // would give 0. Over 10 seeds × 3 pairs, the mean L1 distance is far from 0.
  double total = 0;
  int pairs = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const auto w = synthetic_mixture_task(3, seed).weights;
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(std::accumulate(w[i].begin(), w[i].end(), 0.0), 1.0, 1e-15);
      for (int k = i + 1; k < 3; ++k) {
        double l1 = 0;
        for (int c = 0; c < 3; ++c) l1 += std::abs(w[i][c] - w[k][c]);
        total += l1;
        ++pairs;
      }
    }
  }
  EXPECT_GT(total / pairs, 0.5);
}

TEST(SyntheticMixture, AgentsDataFollowTheirOwnComponents) {
  // An agent that is almost all component c is labelled by θ_c's rule (up to the noise σ = 0.1),
  // and disagrees with the other components' rules: the agents' conditional laws differ.
  const auto task = synthetic_mixture_task(40, 3);
  const auto data = synthetic_mixture(40, 1000, 3);
  int checked = 0;
  for (std::size_t i = 0; i < 40; ++i) {
    const auto& w = task.weights[i];
    const std::size_t c = std::max_element(w.begin(), w.end()) - w.begin();
    if (w[c] < 0.97) continue;
    ++checked;
    EXPECT_GT(agreement(data[i], task.theta[c]), 0.9) << i;
    for (std::size_t other = 0; other < 3; ++other)
      if (other != c) EXPECT_LT(agreement(data[i], task.theta[other]), 0.85) << i << " " << other;
  }
  EXPECT_GE(checked, 3);
}

TEST(SyntheticMixture, LabelsAreBalanced) {
  // Each component labels half the cube 1 (x and ε are symmetric about 0), so P(y = 1) = 1/2 for
  // every agent: 100 samples give a fraction within 0.5 ± 0.2 (4 standard deviations).
  for (std::uint64_t seed = 0; seed < 10; ++seed)
    for (const Dataset& d : synthetic_mixture(3, 100, seed))
      EXPECT_NEAR(label_fraction(d), 0.5, 0.2) << seed << " " << d.source;
  double all = 0;
  for (const Dataset& d : synthetic_mixture(10, 1000, 1)) all += label_fraction(d) / 10;
  EXPECT_NEAR(all, 0.5, 0.025);  // 10000 samples: standard deviation 0.005
}

TEST(SyntheticMixture, RejectsImpossibleRequests) {
  EXPECT_THAT([] { synthetic_mixture(0, 100, 1); },
              ThrowsMessage<Error>(
                  StrEq("synthetic-mixture: agents = 0 is out of range; valid: at least 1")));
  EXPECT_THAT([] { synthetic_mixture(3, 0, 1); },
              ThrowsMessage<Error>(StrEq(
                  "synthetic-mixture: samples_per_agent = 0 is out of range; valid: at least 1")));
  SyntheticMixtureSpec spec;
  spec.dirichlet_alpha = 0;
  EXPECT_THAT([&] { synthetic_mixture(3, 100, 1, spec); },
              ThrowsMessage<Error>(StrEq("synthetic-mixture: dirichlet_alpha = 0 is out of range; "
                                         "valid: a finite number > 0")));
  spec = {};
  spec.components = 0;
  EXPECT_THAT([&] { synthetic_mixture_task(3, 1, spec); },
              ThrowsMessage<Error>(
                  StrEq("synthetic-mixture: components = 0 is out of range; valid: at least 1")));
  spec = {};
  spec.noise = -0.1;
  EXPECT_THAT([&] { synthetic_mixture_task(3, 1, spec); },
              ThrowsMessage<Error>(StrEq(
                  "synthetic-mixture: noise = -0.1 is out of range; valid: a finite number >= 0")));
  spec = {};
  spec.low = 1;
  EXPECT_THAT([&] { synthetic_mixture_task(3, 1, spec); },
              ThrowsMessage<Error>(StrEq("synthetic-mixture: the box [low, high] = [1, 1] is "
                                         "empty; valid: finite low < high")));
}

}  // namespace
}  // namespace hyperpush::data

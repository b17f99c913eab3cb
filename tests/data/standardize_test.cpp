// Standardization from aggregate moments: against a direct computation, and the no-leak plan
// (agents' moments summed or averaged give the standardization of the pooled training data).
#include "hyperpush/data/standardize.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hyperpush/data/synthetic_mixture.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::data {
namespace {

using testing::ElementsAre;
using testing::StrEq;
using testing::ThrowsMessage;

Dataset table(std::size_t cols, const std::vector<double>& features) {
  Dataset d;
  d.source = "table";
  d.cols = cols;
  d.rows = features.size() / cols;
  d.features = features;
  d.labels.assign(d.rows, 0);
  d.classes = 1;
  return d;
}

// Mean and population std of column j, two-pass.
std::pair<double, double> column_stats(const std::vector<const Dataset*>& parts, std::size_t j) {
  double sum = 0, n = 0;
  for (const Dataset* d : parts)
    for (std::size_t r = 0; r < d->rows; ++r, ++n) sum += d->row(r)[j];
  const double mean = sum / n;
  double squares = 0;
  for (const Dataset* d : parts)
    for (std::size_t r = 0; r < d->rows; ++r) squares += std::pow(d->row(r)[j] - mean, 2);
  return {mean, std::sqrt(squares / n)};
}

TEST(FeatureMoments, SumsAndCount) {
  const FeatureMoments m = moments(table(2, {1, 10, 2, 20, 4, 40}));
  EXPECT_THAT(m.sum, ElementsAre(7, 70));
  EXPECT_THAT(m.sum_squares, ElementsAre(21, 2100));
  EXPECT_EQ(m.count, 3);
}

TEST(FeatureMoments, VectorRoundTrip) {
  const FeatureMoments m = moments(table(2, {1, 10, 2, 20, 4, 40}));
  EXPECT_THAT(moments_to_vector(m), ElementsAre(7, 70, 21, 2100, 3));
  const FeatureMoments back = moments_from_vector(moments_to_vector(m));
  EXPECT_EQ(back.sum, m.sum);
  EXPECT_EQ(back.sum_squares, m.sum_squares);
  EXPECT_EQ(back.count, m.count);
  EXPECT_THAT(
      [] {
        moments_from_vector({1, 2});
      },
      ThrowsMessage<Error>(StrEq("feature moments: a vector of 2 numbers; valid: "
                                 "2·features + 1 (sums, sums of squares, count)")));
}

TEST(Standardization, MeanAndPopulationStd) {
  const Dataset d = table(2, {1, 10, 2, 20, 4, 40});
  const Standardization s = standardization(moments(d));
  for (std::size_t j = 0; j < 2; ++j) {
    const auto [mean, std] = column_stats({&d}, j);
    EXPECT_NEAR(s.mean[j], mean, 1e-14 * std::abs(mean));
    EXPECT_NEAR(s.scale[j], std, 1e-12 * std);
  }
}

TEST(Standardization, ConstantFeaturesGetScaleOne) {
  // Column 0 is exactly 0, column 1 a large constant whose Σx²/N − mean² is rounding noise,
  // column 2 varies by 1e-4 relative (kept), column 3 by 1e-6 relative (below the 1e-5 tolerance:
  // treated as constant).
  const double big = 123456.789;
  const Dataset d = table(4, {0, big, 1 + 1e-4, 1 + 1e-6,  //
                              0, big, 1 - 1e-4, 1 - 1e-6,  //
                              0, big, 1 + 1e-4, 1 + 1e-6});
  const Standardization s = standardization(moments(d));
  EXPECT_EQ(s.scale[0], 1);
  EXPECT_EQ(s.mean[0], 0);
  EXPECT_EQ(s.scale[1], 1);
  EXPECT_NEAR(s.scale[2], std::sqrt(8.0 / 9.0) * 1e-4, 1e-10);
  EXPECT_EQ(s.scale[3], 1);
  Dataset copy = d;
  standardize(copy, s.mean, s.scale);
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(copy.row(r)[0], 0);
    EXPECT_NEAR(copy.row(r)[1], 0, 1e-9);
  }
}

TEST(Standardization, AgentsAggregateOnlyMomentsAndAgreeWithThePooledData) {
  // Three agents' training parts of the synthetic task, shifted and scaled differently so that
  // per-agent and global standardization differ.
  auto agents = synthetic_mixture(3, 200, 4);
  for (std::size_t i = 0; i < 3; ++i)
    for (double& x : agents[i].features) x = 3.0 * i + (1.0 + i) * x;

  // Exact aggregation: the moments summed in agent order.
  FeatureMoments total = moments(agents[0]);
  add_moments(total, moments(agents[1]));
  add_moments(total, moments(agents[2]));
  const Standardization summed = standardization(total);
  // What push-sum converges to: the average of the moment vectors.
  std::vector<double> average(moments_to_vector(total).size(), 0);
  for (const Dataset& d : agents) {
    const auto v = moments_to_vector(moments(d));
    for (std::size_t k = 0; k < v.size(); ++k) average[k] += v[k] / 3;
  }
  const Standardization averaged = standardization(moments_from_vector(average));

  for (std::size_t j = 0; j < 5; ++j) {
    const auto [mean, std] = column_stats({&agents[0], &agents[1], &agents[2]}, j);
    EXPECT_NEAR(summed.mean[j], mean, 1e-12);
    EXPECT_NEAR(summed.scale[j], std, 1e-12);
    EXPECT_NEAR(averaged.mean[j], mean, 1e-12);
    EXPECT_NEAR(averaged.scale[j], std, 1e-12);
  }
  // Each agent applies the same transformation to its own data; the pooled result is standard.
  for (Dataset& d : agents) standardize(d, summed.mean, summed.scale);
  for (std::size_t j = 0; j < 5; ++j) {
    const auto [mean, std] = column_stats({&agents[0], &agents[1], &agents[2]}, j);
    EXPECT_NEAR(mean, 0, 1e-12);
    EXPECT_NEAR(std, 1, 1e-12);
  }
}

TEST(Standardization, Rejections) {
  FeatureMoments empty;
  empty.sum = {0};
  empty.sum_squares = {0};
  EXPECT_THAT([&] { standardization(empty); },
              ThrowsMessage<Error>(StrEq("feature moments: count = 0; valid: > 0 (standardization "
                                         "needs training rows)")));
  FeatureMoments two = moments(table(2, {1, 2}));
  EXPECT_THAT(
      [&] {
        add_moments(two, moments(table(3, {1, 2, 3})));
      },
      ThrowsMessage<Error>(StrEq("feature moments: cannot add moments of 3 features to "
                                 "moments of 2; valid: the same number of features")));
  Dataset d = table(2, {1, 2});
  EXPECT_THAT(
      [&] {
        standardize(d, {0}, {1, 1});
      },
      ThrowsMessage<Error>(StrEq("table: standardization with 1 means and 2 scales for 2 "
                                 "features; valid: one of each per feature")));
  EXPECT_THAT(
      [&] {
        standardize(d, {0, 0}, {1, 0});
      },
      ThrowsMessage<Error>(StrEq("table: standardization scale of feature 1 = 0; valid: "
                                 "a finite number > 0")));
  EXPECT_THAT(
      [&] {
        standardize(d, {NAN, 0}, {1, 1});
      },
      ThrowsMessage<Error>(
          StrEq("table: standardization mean of feature 0 = nan; valid: a finite number")));
}

}  // namespace
}  // namespace hyperpush::data

// The real data sets, every number checked independently with Python (numpy and
// sklearn.datasets.load_*, gzip for the IDX files).
#include "hyperpush/data/builtin.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "hyperpush/error.hpp"
#include "support/scratch_dir.hpp"

namespace hyperpush::data {
namespace {

using testing::ElementsAre;
using testing::StrEq;
using testing::ThrowsMessage;

std::vector<int> class_counts(const Dataset& data) {
  std::vector<int> counts(static_cast<std::size_t>(data.classes), 0);
  for (const int label : data.labels) ++counts.at(static_cast<std::size_t>(label));
  return counts;
}

// Σ_i i · label_i: one number that checks every label in its place.
std::int64_t weighted_label_sum(const Dataset& data) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < data.labels.size(); ++i)
    sum += static_cast<std::int64_t>(i) * data.labels[i];
  return sum;
}

// Σ grey levels, each recovered exactly from its feature level / 255.0.
std::int64_t grey_level_sum(const double* begin, const double* end) {
  std::int64_t sum = 0;
  for (const double* x = begin; x != end; ++x) sum += std::llround(*x * 255);
  return sum;
}

double feature_sum(const Dataset& data) {
  return std::accumulate(data.features.begin(), data.features.end(), 0.0);
}

TEST(BuiltinDatasets, Names) {
  EXPECT_THAT(builtin_dataset_names(),
              ElementsAre("fashion-mnist", "breast-cancer", "digits", "wine", "iris"));
}

TEST(BuiltinDatasets, FashionMnistTrain) {
  const Dataset data = read_builtin("fashion-mnist", "train");
  EXPECT_EQ(data.rows, 60000u);
  EXPECT_EQ(data.cols, 784u);
  EXPECT_EQ(data.classes, 10);
  EXPECT_EQ(data.class_names.size(), 10u);
  EXPECT_EQ(data.class_names[9], "Ankle boot");
  EXPECT_THAT(std::vector<int>(data.labels.begin(), data.labels.begin() + 10),
              ElementsAre(9, 0, 0, 3, 0, 2, 7, 2, 5, 5));
  EXPECT_EQ(data.labels.back(), 5);
  EXPECT_EQ(class_counts(data), std::vector<int>(10, 6000));
  EXPECT_EQ(weighted_label_sum(data), 8087216427);
  const auto [low, high] = std::minmax_element(data.features.begin(), data.features.end());
  EXPECT_EQ(*low, 0.0);
  EXPECT_EQ(*high, 1.0);
  // Image 0: its first ink pixels are 96, 99 and 100 at grey levels 1, 13 and 73; levels sum to
  // 76247. All 47,040,000 levels sum to 3,431,114,169.
  EXPECT_EQ(data.row(0)[95], 0.0);
  EXPECT_EQ(data.row(0)[96], 1 / 255.0);
  EXPECT_EQ(data.row(0)[99], 13 / 255.0);
  EXPECT_EQ(data.row(0)[100], 73 / 255.0);
  EXPECT_EQ(grey_level_sum(data.row(0), data.row(1)), 76247);
  EXPECT_EQ(grey_level_sum(data.row(0), data.row(60000)), 3431114169);
}

TEST(BuiltinDatasets, FashionMnistTest) {
  const Dataset data = read_builtin("fashion-mnist", "test");
  EXPECT_EQ(data.rows, 10000u);
  EXPECT_EQ(data.cols, 784u);
  EXPECT_EQ(data.classes, 10);
  EXPECT_THAT(std::vector<int>(data.labels.begin(), data.labels.begin() + 3), ElementsAre(9, 2, 1));
  EXPECT_EQ(class_counts(data), std::vector<int>(10, 1000));
  EXPECT_EQ(weighted_label_sum(data), 225732341);
  EXPECT_EQ(grey_level_sum(data.row(0), data.row(10000)), 573469082);
}

TEST(BuiltinDatasets, BreastCancer) {
  const Dataset data = read_builtin("breast-cancer", "all");
  EXPECT_EQ(data.rows, 569u);
  EXPECT_EQ(data.cols, 30u);
  EXPECT_EQ(data.classes, 2);
  EXPECT_THAT(data.class_names, ElementsAre("malignant", "benign"));
  EXPECT_THAT(class_counts(data), ElementsAre(212, 357));
  EXPECT_EQ(weighted_label_sum(data), 114204);
  EXPECT_THAT(std::vector<double>(data.row(0), data.row(0) + 3), ElementsAre(17.99, 10.38, 122.8));
  EXPECT_EQ(data.row(568)[29], 0.07039);
  EXPECT_NEAR(feature_sum(data), 1056474.4596356, 1e-6);
}

TEST(BuiltinDatasets, Digits) {
  const Dataset data = read_builtin("digits", "all");
  EXPECT_EQ(data.rows, 1797u);
  EXPECT_EQ(data.cols, 64u);
  EXPECT_EQ(data.classes, 10);
  EXPECT_THAT(data.class_names, ElementsAre("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
  EXPECT_THAT(class_counts(data), ElementsAre(178, 182, 177, 183, 181, 182, 181, 179, 174, 180));
  EXPECT_EQ(weighted_label_sum(data), 7264791);
  EXPECT_EQ(data.labels.front(), 0);
  EXPECT_EQ(data.labels.back(), 8);
  EXPECT_EQ(feature_sum(data), 561718.0);
}

TEST(BuiltinDatasets, Wine) {
  const Dataset data = read_builtin("wine", "all");
  EXPECT_EQ(data.rows, 178u);
  EXPECT_EQ(data.cols, 13u);
  EXPECT_EQ(data.classes, 3);
  EXPECT_THAT(data.class_names, ElementsAre("class_0", "class_1", "class_2"));
  EXPECT_THAT(class_counts(data), ElementsAre(59, 71, 48));
  EXPECT_EQ(weighted_label_sum(data), 21410);
  EXPECT_EQ(data.row(177)[12], 560.0);
  EXPECT_NEAR(feature_sum(data), 159975.295999, 1e-6);
}

TEST(BuiltinDatasets, Iris) {
  const Dataset data = read_builtin("iris", "all");
  EXPECT_EQ(data.rows, 150u);
  EXPECT_EQ(data.cols, 4u);
  EXPECT_EQ(data.classes, 3);
  EXPECT_THAT(data.class_names, ElementsAre("setosa", "versicolor", "virginica"));
  EXPECT_THAT(class_counts(data), ElementsAre(50, 50, 50));
  EXPECT_EQ(weighted_label_sum(data), 16175);
  EXPECT_THAT(std::vector<double>(data.row(0), data.row(0) + 4), ElementsAre(5.1, 3.5, 1.4, 0.2));
  EXPECT_NEAR(feature_sum(data), 2078.7, 1e-9);
}

TEST(BuiltinDatasets, RejectsUnknownName) {
  EXPECT_THAT([] { read_builtin("mnist", "train"); },
              ThrowsMessage<Error>(StrEq("unknown data set \"mnist\"; valid names: fashion-mnist, "
                                         "breast-cancer, digits, wine, iris")));
}

TEST(BuiltinDatasets, RejectsUnknownPart) {
  EXPECT_THAT([] { read_builtin("fashion-mnist", "all"); },
              ThrowsMessage<Error>(StrEq("data set \"fashion-mnist\" has no part \"all\"; valid "
                                         "parts: train, test")));
  EXPECT_THAT(
      [] { read_builtin("iris", "train"); },
      ThrowsMessage<Error>(StrEq("data set \"iris\" has no part \"train\"; valid parts: all")));
}

TEST(BuiltinDatasets, MissingFileNamesTheDebianPackage) {
  test::ScratchDir root;
  EXPECT_THAT(
      [&] { read_builtin("fashion-mnist", "test", root.path("")); },
      ThrowsMessage<Error>(StrEq(root.path("usr/share/datasets/fashion-mnist/"
                                           "t10k-images-idx3-ubyte.gz") +
                                 ": no such file; data set \"fashion-mnist\" comes with the Debian "
                                 "package dataset-fashion-mnist: run scripts/install-deps.sh")));
  EXPECT_THAT(
      [&] { read_builtin("wine", "all", root.path("")); },
      ThrowsMessage<Error>(StrEq(root.path("usr/lib/python3/dist-packages/sklearn/datasets/data/"
                                           "wine_data.csv") +
                                 ": no such file; data set \"wine\" comes with the Debian package "
                                 "python3-sklearn: run scripts/install-deps.sh")));
}

}  // namespace
}  // namespace hyperpush::data

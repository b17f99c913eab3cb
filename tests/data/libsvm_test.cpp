#include "hyperpush/data/libsvm.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hyperpush/error.hpp"

namespace hyperpush::data {
namespace {

using testing::ElementsAre;
using testing::StrEq;
using testing::ThrowsMessage;

std::string fixture(const std::string& name) {
  return std::string(HYPERPUSH_TEST_DATA) + "/" + name;
}

// read_libsvm(fixture(name), features) throws hyperpush::Error "<path><message>".
void expect_error(const std::string& name, const std::string& message, std::size_t features = 0) {
  EXPECT_THAT([&] { read_libsvm(fixture(name), features); },
              ThrowsMessage<Error>(StrEq(fixture(name) + message)));
}

TEST(ReadLibsvm, MapsSignedLabelsToClassesAndFillsAbsentIndicesWithZero) {
  // "+1 1:0.5 3:-2", "-1<tab>2:1e-3  ", a blank line, "+1 1:1 2:2 3:3 ".
  const Dataset data = read_libsvm(fixture("libsvm_binary.txt"));
  EXPECT_EQ(data.source, fixture("libsvm_binary.txt"));
  EXPECT_EQ(data.rows, 3u);
  EXPECT_EQ(data.cols, 3u);  // largest index
  EXPECT_THAT(data.features, ElementsAre(0.5, 0, -2, 0, 1e-3, 0, 1, 2, 3));
  EXPECT_THAT(data.labels, ElementsAre(1, 0, 1));
  EXPECT_EQ(data.classes, 2);
  EXPECT_THAT(data.label_values, ElementsAre(-1.0, 1.0));
  EXPECT_TRUE(data.class_names.empty());
}

TEST(ReadLibsvm, FeatureCountWidensRows) {
  const Dataset data = read_libsvm(fixture("libsvm_binary.txt"), 5);
  EXPECT_EQ(data.cols, 5u);
  EXPECT_THAT(data.features, ElementsAre(0.5, 0, -2, 0, 0, 0, 1e-3, 0, 0, 0, 1, 2, 3, 0, 0));
}

TEST(ReadLibsvm, SortedDistinctLabelsBecomeClasses) {
  const Dataset data = read_libsvm(fixture("libsvm_multiclass.txt"));
  EXPECT_EQ(data.cols, 4u);
  EXPECT_THAT(data.labels, ElementsAre(2, 0, 1, 2));
  EXPECT_EQ(data.classes, 3);
  EXPECT_THAT(data.label_values, ElementsAre(1.0, 2.0, 3.0));
}

TEST(ReadLibsvm, RejectsMissingFile) {
  expect_error("absent.txt",
               ": cannot open: No such file or directory; expected a readable data file, plain or "
               "gzip-compressed");
}

TEST(ReadLibsvm, RejectsEmptyFile) {
  for (const char* name : {"empty.txt", "blank.txt"})
    expect_error(name, ": file is empty; expected lines \"<label> <index>:<value> ...\"");
}

TEST(ReadLibsvm, RejectsDescendingIndices) {
  expect_error("libsvm_descending.txt",
               ":1: index 2 after index 3; indices must be strictly ascending in a line");
}

TEST(ReadLibsvm, RejectsRepeatedIndex) {
  expect_error("libsvm_repeated.txt",
               ":1: index 1 after index 1; indices must be strictly ascending in a line");
}

TEST(ReadLibsvm, RejectsIndexZero) {
  expect_error("libsvm_zero_index.txt", ":1: index 0 in \"0:1\"; LIBSVM indices start at 1");
}

TEST(ReadLibsvm, RejectsIndexAboveFeatureCount) {
  expect_error("libsvm_binary.txt",
               ":1: index 3 is above the 2 features asked for; expected indices 1 to 2", 2);
}

TEST(ReadLibsvm, RejectsTokenWithoutColon) {
  expect_error("libsvm_bad_token.txt",
               ":2: token \"2=5\" is not index:value; expected a positive integer index, a colon "
               "and a number, such as 3:0.5");
}

TEST(ReadLibsvm, RejectsNonIntegerIndex) {
  expect_error("libsvm_bad_index.txt",
               ":2: token \"a:5\" is not index:value; expected a positive integer index, a colon "
               "and a number, such as 3:0.5");
}

TEST(ReadLibsvm, RejectsSvmlightComment) {
  expect_error("libsvm_comment.txt",
               ":1: \"#\" starts a comment, which the LIBSVM format does not have; expected only "
               "\"<label> <index>:<value> ...\" on each line");
}

TEST(ReadLibsvm, RejectsNaNValue) {
  expect_error("libsvm_nan_value.txt",
               ":1: value of index 1 \"nan\" is not finite; expected a finite number");
}

TEST(ReadLibsvm, RejectsNonNumericLabel) {
  expect_error("libsvm_bad_label.txt",
               ":1: label \"one\" is not a number; expected a decimal number such as 3, -0.25 or "
               "1e-3");
}

}  // namespace
}  // namespace hyperpush::data

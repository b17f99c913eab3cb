#include "hyperpush/data/sklearn_csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hyperpush/error.hpp"
#include "support/scratch_dir.hpp"

namespace hyperpush::data {
namespace {

using testing::ElementsAre;
using testing::StrEq;
using testing::ThrowsMessage;

std::string fixture(const std::string& name) {
  return std::string(HYPERPUSH_TEST_DATA) + "/" + name;
}

// What csv_header.csv holds: "4,2,cat,dog" then four samples of two features.
void expect_cats_and_dogs(const Dataset& data) {
  EXPECT_EQ(data.rows, 4u);
  EXPECT_EQ(data.cols, 2u);
  EXPECT_THAT(data.features, ElementsAre(1.5, 2, -3, 0.4, 0, 0, 7.25, 8));
  EXPECT_THAT(data.labels, ElementsAre(0, 1, 1, 0));
  EXPECT_EQ(data.classes, 2);
  EXPECT_THAT(data.class_names, ElementsAre("cat", "dog"));
  EXPECT_TRUE(data.label_values.empty());
}

TEST(ReadSklearnCsv, ReadsHeaderClassNamesAndSamples) {
  const Dataset data = read_sklearn_csv(fixture("csv_header.csv"));
  EXPECT_EQ(data.source, fixture("csv_header.csv"));
  expect_cats_and_dogs(data);
}

TEST(ReadSklearnCsv, ReadsGzipLikePlain) {
  expect_cats_and_dogs(read_sklearn_csv(fixture("csv_header.csv.gz")));
}

TEST(ReadSklearnCsv, AcceptsCrLfBlankLinesSpacesAndNoFinalNewline) {
  expect_cats_and_dogs(read_sklearn_csv(fixture("csv_crlf.csv")));
}

TEST(ReadSklearnCsv, WithoutHeaderClassesAreLargestLabelPlusOne) {
  const Dataset data = read_sklearn_csv(fixture("csv_no_header.csv"));
  EXPECT_EQ(data.rows, 3u);
  EXPECT_EQ(data.cols, 3u);
  EXPECT_THAT(data.features, ElementsAre(0, 1, 2, 4, 5, 6, 7, 8, 9));
  EXPECT_THAT(data.labels, ElementsAre(3, 2, 0));
  EXPECT_EQ(data.classes, 4);
  EXPECT_TRUE(data.class_names.empty());
}

TEST(ReadSklearnCsv, NumericFirstLineNotDeclaringTheShapeIsData) {
  // "1,2,0" could be a header of 1 sample and 2 features, but 3 samples follow it.
  const Dataset data = read_sklearn_csv(fixture("csv_no_header_two_features.csv"));
  EXPECT_EQ(data.rows, 3u);
  EXPECT_THAT(data.features, ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(data.labels, ElementsAre(0, 1, 1));
}

TEST(ReadSklearnCsv, NumericFirstLineDeclaringTheShapeIsAHeader) {
  // "2,3,10,20": 2 samples of 3 features follow, of classes named "10" and "20".
  const Dataset data = read_sklearn_csv(fixture("csv_shape_header.csv"));
  EXPECT_EQ(data.rows, 2u);
  EXPECT_EQ(data.cols, 3u);
  EXPECT_THAT(data.features, ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(data.labels, ElementsAre(0, 1));
  EXPECT_THAT(data.class_names, ElementsAre("10", "20"));
}

TEST(ReadSklearnCsv, RejectsMissingFile) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("absent.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("absent.csv") +
                                         ": cannot open: No such file or directory; expected a "
                                         "readable data file, plain or gzip-compressed")));
}

TEST(ReadSklearnCsv, RejectsDirectory) {
  const std::string dir = HYPERPUSH_TEST_DATA;
  EXPECT_THAT(
      [&] { read_sklearn_csv(dir); },
      ThrowsMessage<Error>(StrEq(dir + ": cannot open: Is a directory; expected a readable data "
                                       "file, plain or gzip-compressed")));
}

TEST(ReadSklearnCsv, RejectsEmptyFile) {
  for (const char* name : {"empty.txt", "blank.txt"}) {
    EXPECT_THAT([&] { read_sklearn_csv(fixture(name)); },
                ThrowsMessage<Error>(StrEq(fixture(name) +
                                           ": file is empty; expected CSV lines of the features, "
                                           "then the class label")));
  }
}

TEST(ReadSklearnCsv, RejectsTruncatedGzip) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_truncated.csv.gz")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_truncated.csv.gz") +
                                         ": cannot decompress: unexpected end of file; expected a "
                                         "complete, uncorrupted gzip file")));
}

TEST(ReadSklearnCsv, RejectsRaggedRowAgainstHeader) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_ragged.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_ragged.csv") +
                                         ":4: expected 3 fields, got 2; line 1 declares 2 "
                                         "features, and each line holds the features, then the "
                                         "class label")));
}

TEST(ReadSklearnCsv, RejectsRaggedRowWithoutHeader) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_ragged_no_header.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_ragged_no_header.csv") +
                                         ":3: expected 3 fields, got 4; each line has as many as "
                                         "line 1: the features, then the class label")));
}

TEST(ReadSklearnCsv, RejectsSingleField) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_one_field.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_one_field.csv") +
                                         ":1: got 1 field; expected at least 2: the features, then "
                                         "the class label")));
}

TEST(ReadSklearnCsv, RejectsNaN) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_nan.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_nan.csv") +
                                         ":3: field 2 \"nan\" is not finite; expected a finite "
                                         "number")));
}

TEST(ReadSklearnCsv, RejectsInfinity) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_inf.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_inf.csv") +
                                         ":3: field 1 \"-inf\" is not finite; expected a finite "
                                         "number")));
}

TEST(ReadSklearnCsv, RejectsNumberBeyondDouble) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_out_of_range.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_out_of_range.csv") +
                                         ":2: field 2 \"1e999\" is outside the range of a double; "
                                         "expected 0 or a magnitude from 4.9e-324 to 1.8e308")));
}

TEST(ReadSklearnCsv, RejectsNonNumericField) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_not_number.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_not_number.csv") +
                                         ":2: field 2 \"4x\" is not a number; expected a decimal "
                                         "number such as 3, -0.25 or 1e-3")));
}

TEST(ReadSklearnCsv, QuotesBinaryAndLongFieldsOnOneLine) {
  test::ScratchDir dir;
  const std::string path =
      dir.write("binary.csv", "1,2,0\n3,\"\xff\x01" + std::string(50, 'x') + ",1\n5,6,0\n");
  EXPECT_THAT(
      [&] { read_sklearn_csv(path); },
      ThrowsMessage<Error>(StrEq(path + ":2: field 2 \"\\x22\\xff\\x01" + std::string(37, 'x') +
                                 "...\" is not a number; expected a decimal number such "
                                 "as 3, -0.25 or 1e-3")));
}

TEST(ReadSklearnCsv, RejectsNegativeLabel) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_label_negative.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_label_negative.csv") +
                                         ":2: label \"-1\" is not a class index; expected an "
                                         "integer 0, 1, 2, ...")));
}

TEST(ReadSklearnCsv, RejectsFractionalLabel) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_label_fraction.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_label_fraction.csv") +
                                         ":2: label \"0.5\" is not a class index; expected an "
                                         "integer 0, 1, 2, ...")));
}

TEST(ReadSklearnCsv, RejectsLabelBeyondDeclaredClasses) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_label_out_of_range.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_label_out_of_range.csv") +
                                         ":3: label \"2\" is not a class index; expected an "
                                         "integer from 0 to 1, one per class name on line 1")));
}

TEST(ReadSklearnCsv, RejectsSampleCountOtherThanDeclared) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_header_samples.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_header_samples.csv") +
                                         ":1: the header declares 5 samples, but 2 lines follow; "
                                         "expected n_samples to count the data lines")));
}

TEST(ReadSklearnCsv, RejectsFeatureCountOtherThanDeclared) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_header_features.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_header_features.csv") +
                                         ":1: the header declares 3 features, but line 2 has 3 "
                                         "fields; expected n_features + 1 fields per line: the "
                                         "features, then the class label")));
}

TEST(ReadSklearnCsv, RejectsColumnNameHeader) {
  EXPECT_THAT([] { read_sklearn_csv(fixture("csv_header_names.csv")); },
              ThrowsMessage<Error>(StrEq(fixture("csv_header_names.csv") +
                                         ":1: header field 1 \"x\" is not a sample count; expected "
                                         "a scikit-learn header \"n_samples,n_features,class "
                                         "names...\" or none")));
}

}  // namespace
}  // namespace hyperpush::data

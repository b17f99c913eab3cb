// make_linear_problem refuses inconsistent inputs with a message that says what and what is valid.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"

namespace hyperpush::model {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

// rows × columns features (k + j) and the given labels.
LabelledData part(int rows, int columns, std::initializer_list<int> labels) {
  LabelledData p;
  p.features.resize(rows, columns);
  for (int k = 0; k < rows; ++k)
    for (int j = 0; j < columns; ++j) p.features(k, j) = k + j;
  p.labels = Eigen::Map<const Eigen::VectorXi>(labels.begin(), labels.size());
  return p;
}

LinearSpec spec(LinearKind kind = LinearKind::logistic, HyperKind hyper = HyperKind::l2,
                int classes = 2, double l2 = 0.0) {
  LinearSpec s;
  s.kind = kind;
  s.hyper = hyper;
  s.classes = classes;
  s.l2 = l2;
  return s;
}

void expect_error(const LinearSpec& s, const LabelledData& train, const LabelledData& validation,
                  const LabelledData& test, const std::string& message) {
  EXPECT_THAT([&] { make_linear_problem(s, train, validation, test); },
              ThrowsMessage<Error>(StrEq(message)));
}

const LabelledData kTrain = part(3, 2, {0, 1, 1});
const LabelledData kValidation = part(2, 2, {1, 0});

TEST(MakeLinearProblem, AcceptsConsistentParts) {
  EXPECT_NO_THROW(make_linear_problem(spec(), kTrain, kValidation, kValidation));
  EXPECT_NO_THROW(make_linear_problem(spec(), kTrain, {}, {}));  // empty parts: any columns
}

TEST(MakeLinearProblem, RejectsAnEmptyTrainingPart) {
  expect_error(spec(), {}, kValidation, {},
               "linear problem: the training part is empty; expected at least one sample");
}

TEST(MakeLinearProblem, RejectsColumnCountsThatDiffer) {
  expect_error(spec(), kTrain, part(2, 3, {0, 1}), {},
               "linear problem: validation part has 3 feature columns, the training part has 2");
  expect_error(spec(), kTrain, kValidation, part(1, 1, {0}),
               "linear problem: test part has 1 feature column, the training part has 2");
}

TEST(MakeLinearProblem, RejectsRowCountsThatDifferFromLabelCounts) {
  expect_error(spec(), part(3, 2, {0, 1}), kValidation, {},
               "linear problem: training part has 3 feature rows but 2 labels");
  expect_error(spec(), kTrain, kValidation, part(1, 2, {0, 1}),
               "linear problem: test part has 1 feature row but 2 labels");
}

TEST(MakeLinearProblem, RejectsLabelsOutsideTheClasses) {
  expect_error(spec(), part(3, 2, {0, 2, 1}), kValidation, {},
               "linear problem: training part: label 2 of sample 1 is outside [0, 2)");
  expect_error(spec(), kTrain, part(2, 2, {1, -1}), {},
               "linear problem: validation part: label -1 of sample 1 is outside [0, 2)");
  expect_error(spec(LinearKind::softmax, HyperKind::l2, 3), kTrain, kValidation, part(1, 2, {3}),
               "linear problem: test part: label 3 of sample 0 is outside [0, 3)");
}

TEST(MakeLinearProblem, RejectsNonFiniteFeatures) {
  LabelledData bad = kTrain;
  bad.features(2, 1) = std::numeric_limits<double>::quiet_NaN();
  expect_error(spec(), bad, kValidation, {},
               "linear problem: training part: feature 1 of sample 2 is nan; expected a finite "
               "number");
}

TEST(MakeLinearProblem, RejectsTwoClassModelsWithOtherClassCounts) {
  expect_error(spec(LinearKind::logistic, HyperKind::l2, 3), kTrain, kValidation, {},
               "linear problem: logistic needs classes = 2, got 3; use softmax for more classes");
  expect_error(spec(LinearKind::ridge, HyperKind::l2, 1), kTrain, kValidation, {},
               "linear problem: ridge needs classes = 2, got 1; use softmax for more classes");
}

TEST(MakeLinearProblem, RejectsSoftmaxWithFewerThanTwoClasses) {
  expect_error(spec(LinearKind::softmax, HyperKind::l2, 1), kTrain, kValidation, {},
               "linear problem: softmax needs classes >= 2, got 1");
}

TEST(MakeLinearProblem, RejectsPerSampleWeightsWithoutL2) {
  expect_error(spec(LinearKind::logistic, HyperKind::per_sample, 2, 0.0), kTrain, kValidation, {},
               "linear problem: per-sample weights need l2 > 0 (got 0) to keep the inner problem "
               "strongly convex");
  EXPECT_NO_THROW(make_linear_problem(spec(LinearKind::logistic, HyperKind::per_sample, 2, 1e-3),
                                      kTrain, kValidation, {}));
}

TEST(MakeLinearProblem, RejectsPerClassWeightsWithOneLogitOrWithoutL2) {
  expect_error(spec(LinearKind::logistic, HyperKind::per_class, 2, 1e-3), kTrain, kValidation, {},
               "linear problem: per-class logit weights need softmax (C >= 2 logits); logistic "
               "has one logit per sample");
  expect_error(spec(LinearKind::ridge, HyperKind::per_class, 2, 1e-3), kTrain, kValidation, {},
               "linear problem: per-class logit weights need softmax (C >= 2 logits); ridge has "
               "one logit per sample");
  expect_error(spec(LinearKind::softmax, HyperKind::per_class, 2, 0.0), kTrain, kValidation, {},
               "linear problem: per-class logit weights need l2 > 0 (got 0) to keep the inner "
               "problem strongly convex");
  EXPECT_NO_THROW(make_linear_problem(spec(LinearKind::softmax, HyperKind::per_class, 2, 1e-3),
                                      kTrain, kValidation, {}));
}

TEST(MakeLinearProblem, RejectsNegativeOrNonFiniteL2) {
  expect_error(spec(LinearKind::logistic, HyperKind::l2, 2, -0.1), kTrain, kValidation, {},
               "linear problem: l2 = -0.1 is invalid; expected l2 >= 0");
  expect_error(spec(LinearKind::ridge, HyperKind::per_sample, 2, -1), kTrain, kValidation, {},
               "linear problem: l2 = -1 is invalid; expected l2 >= 0");
  expect_error(
      spec(LinearKind::logistic, HyperKind::l2, 2, std::numeric_limits<double>::infinity()), kTrain,
      kValidation, {}, "linear problem: l2 = inf is invalid; expected l2 >= 0");
}

TEST(MakeLinearProblem, RejectsANonFiniteInitialLogDecay) {
  LinearSpec s = spec();
  s.initial_log_decay = -std::numeric_limits<double>::infinity();
  expect_error(s, kTrain, kValidation, {},
               "linear problem: initial_log_decay = -inf is invalid; expected a finite number");
}

TEST(MakeLinearProblem, RejectsAModelWithoutParameters) {
  LinearSpec s = spec();
  s.bias = false;
  expect_error(s, part(3, 0, {0, 1, 1}), {}, {},
               "linear problem: the model has no parameters (no features and no bias)");
}

}  // namespace
}  // namespace hyperpush::model

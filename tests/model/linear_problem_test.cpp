#include "hyperpush/model/linear_problem.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>

#include "oracle_checks.hpp"
#include "support/linear_cases.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model {
namespace {

using test::random_part;

using test::relative_error;

// A = [features, 1].
Matrix design(const LabelledData& part) {
  Matrix a(part.features.rows(), part.features.cols() + 1);
  a << part.features, Vector::Ones(part.features.rows());
  return a;
}

constexpr int kTrain = 30, kValidation = 20, kTest = 10, kFeatures = 4;
constexpr double kL2 = 0.05;

using Case = test::LinearCase;

class LinearProblemOracles : public testing::TestWithParam<Case> {
 protected:
  int classes() const { return GetParam().kind == LinearKind::softmax ? 3 : 2; }

  LinearSpec spec() const {
    LinearSpec s;
    s.kind = GetParam().kind;
    s.hyper = GetParam().hyper;
    s.classes = classes();
    s.l2 = kL2;
    s.initial_log_decay = -1.5;
    return s;
  }

  LabelledData train() const { return random_part(kTrain, kFeatures, classes(), 11); }

  std::unique_ptr<LocalProblem> make() const {
    return make_linear_problem(spec(), train(), random_part(kValidation, kFeatures, classes(), 12),
                               random_part(kTest, kFeatures, classes(), 13));
  }

  static Vector random_x(const LocalProblem& p, std::uint64_t seed) {
    return test::random_vector(p.dim(), seed, 0.0, 0.5);
  }
  // Log-decays around e^{-1}; per-sample weights in [0.5, 1.5).
  Vector random_lambda(const LocalProblem& p, std::uint64_t seed) const {
    if (GetParam().hyper != HyperKind::per_sample)
      return test::random_vector(p.hyper_dim(), seed, -1.0, 0.5);
    Vector l(p.hyper_dim());
    for (Eigen::Index k = 0; k < l.size(); ++k)
      l[k] = 0.5 + random_uniform(seed, Purpose::initial_value, k, 0, 7);
    return l;
  }
  static Vector random_w(const LocalProblem& p, std::uint64_t seed) {
    return test::random_vector(p.dim(), seed);
  }
};

TEST_P(LinearProblemOracles, DimensionsAndInitialLambdaFollowTheKinds) {
  const auto p = make();
  const int q = kFeatures + 1;  // bias column
  EXPECT_EQ(p->dim(), GetParam().kind == LinearKind::softmax ? 3 * q : q);
  const Vector initial = p->initial_lambda();
  switch (GetParam().hyper) {
    case HyperKind::l2:
      EXPECT_EQ(p->hyper_dim(), 1);
      EXPECT_EQ(initial, Vector::Constant(1, -1.5));
      break;
    case HyperKind::per_feature:
      EXPECT_EQ(p->hyper_dim(), p->dim());
      EXPECT_EQ(initial, Vector::Constant(p->dim(), -1.5));
      break;
    case HyperKind::per_sample:
      EXPECT_EQ(p->hyper_dim(), kTrain);
      EXPECT_EQ(initial, Vector::Ones(kTrain));
      break;
    case HyperKind::per_class:
      EXPECT_EQ(p->hyper_dim(), classes());
      EXPECT_EQ(initial, Vector::Zero(classes()));
      break;
  }
}

TEST_P(LinearProblemOracles, InnerGradientMatchesFiniteDifferences) {
  const auto p = make();
  for (std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::expect_inner_gradient_matches_differences(*p, random_x(*p, 100 + seed),
                                                    random_lambda(*p, 200 + seed));
  }
}

TEST_P(LinearProblemOracles, HessianVectorMatchesFiniteDifferencesOfTheGradient) {
  const auto p = make();
  for (std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::expect_hessian_vector_matches_differences(
        *p, random_x(*p, 100 + seed), random_lambda(*p, 200 + seed), random_w(*p, 300 + seed));
  }
}

TEST_P(LinearProblemOracles, CrossVectorMatchesFiniteDifferencesInLambda) {
  const auto p = make();
  for (std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::expect_cross_vector_matches_differences(
        *p, random_x(*p, 100 + seed), random_lambda(*p, 200 + seed), random_w(*p, 300 + seed));
  }
}

TEST_P(LinearProblemOracles, OuterGradientsMatchFiniteDifferences) {
  const auto p = make();
  for (std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Vector x = random_x(*p, 100 + seed), lambda = random_lambda(*p, 200 + seed);
    test::expect_outer_gradients_match_differences(*p, x, lambda);
    Vector gl(p->hyper_dim());
    p->outer_gradient_lambda(x, lambda, gl);
    if (GetParam().hyper == HyperKind::per_class)  // the offsets enter f: ∇_λ f ≠ 0
      EXPECT_GT(gl.norm(), 1e-3);
    else
      EXPECT_EQ(gl, Vector::Zero(p->hyper_dim()));  // f has no λ
  }
}

TEST_P(LinearProblemOracles, DenseHessianEqualsProductsWithUnitVectorsAndIsSymmetric) {
  const auto p = make();
  test::expect_dense_hessian_matches_products(*p, random_x(*p, 101), random_lambda(*p, 201));
}

TEST_P(LinearProblemOracles, CrossJacobianEqualsCrossVectorProducts) {
  const auto p = make();
  test::expect_cross_jacobian_matches_products(*p, random_x(*p, 101), random_lambda(*p, 201),
                                               random_w(*p, 301));
}

// The per-x cache must follow x: a new x, or the same buffer with new values, gives what a fresh
// problem (empty cache) gives, bit for bit.
TEST_P(LinearProblemOracles, CacheFollowsXBetweenCalls) {
  const auto p = make();
  const Vector x1 = random_x(*p, 101), x2 = random_x(*p, 102);
  const Vector lambda = random_lambda(*p, 201), w = random_w(*p, 301);
  auto fresh = [&](const Vector& x) { return test::hessian_vector(*make(), x, lambda, w); };

  test::hessian_vector(*p, x1, lambda, w);
  EXPECT_EQ(test::hessian_vector(*p, x2, lambda, w), fresh(x2));
  EXPECT_EQ(test::inner_gradient(*p, x2, lambda), test::inner_gradient(*make(), x2, lambda));

  Vector x = x1;  // the same storage, changed in place between calls
  test::hessian_vector(*p, x, lambda, w);
  x[0] += 0.25;
  EXPECT_EQ(test::hessian_vector(*p, x, lambda, w), fresh(x));
  x[x.size() - 1] -= 1e-9;  // a tiny change is still a change
  EXPECT_EQ(test::hessian_vector(*p, x, lambda, w), fresh(x));
  EXPECT_EQ(p->inner_loss(x, lambda), make()->inner_loss(x, lambda));
  EXPECT_EQ(test::cross_vector(*p, x, lambda, w), test::cross_vector(*make(), x, lambda, w));
}

TEST_P(LinearProblemOracles, HessianVectorFollowsLambdaAtTheSameX) {
  const auto p = make();
  const Vector x = random_x(*p, 101), w = random_w(*p, 301);
  const Vector lambda1 = random_lambda(*p, 201), lambda2 = random_lambda(*p, 202);
  test::hessian_vector(*p, x, lambda1, w);
  EXPECT_EQ(test::hessian_vector(*p, x, lambda2, w), test::hessian_vector(*make(), x, lambda2, w));
  EXPECT_NE(test::hessian_vector(*p, x, lambda1, w), test::hessian_vector(*p, x, lambda2, w));
}

TEST_P(LinearProblemOracles, ValidationOnlyEntersTheOuterLoss) {
  // The same training part with another validation part: same g, different f.
  const auto p = make();
  const auto other =
      make_linear_problem(spec(), train(), random_part(kValidation, kFeatures, classes(), 99),
                          random_part(kTest, kFeatures, classes(), 13));
  const Vector x = random_x(*p, 101), lambda = random_lambda(*p, 201);
  EXPECT_EQ(p->inner_loss(x, lambda), other->inner_loss(x, lambda));
  EXPECT_NE(p->outer_loss(x, lambda), other->outer_loss(x, lambda));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, LinearProblemOracles,
                         testing::ValuesIn(test::all_linear_cases()), test::case_name);

// --- closed forms
// ----------------------------------------------------------------------------------

LinearSpec spec_of(LinearKind kind, HyperKind hyper, int classes = 2) {
  LinearSpec s;
  s.kind = kind;
  s.hyper = hyper;
  s.classes = classes;
  s.l2 = kL2;
  return s;
}

std::unique_ptr<LocalProblem> problem_of(const LinearSpec& s, std::uint64_t seed = 11) {
  return make_linear_problem(s, random_part(kTrain, kFeatures, s.classes, seed),
                             random_part(kValidation, kFeatures, s.classes, seed + 1),
                             random_part(kTest, kFeatures, s.classes, seed + 2));
}

TEST(RidgeProblem, HessianIsTheGramMatrixPlusTheDecayForEveryHyperKind) {
  const Matrix a = design(random_part(kTrain, kFeatures, 2, 11));
  const Matrix gram = a.transpose() * a / kTrain;
  const Vector x = test::random_vector(a.cols(), 101), w = test::random_vector(a.cols(), 301);

  const auto l2 = problem_of(spec_of(LinearKind::ridge, HyperKind::l2));
  const Vector lambda = Vector::Constant(1, -0.7);
  Matrix expected = gram;
  expected.diagonal().array() += std::exp(-0.7) + kL2;  // AᵀA/m + (e^λ + l2) I
  EXPECT_LT(relative_error(l2->hessian(x, lambda), expected), 1e-14);
  EXPECT_LT(relative_error(test::hessian_vector(*l2, x, lambda, w), Vector(expected * w)), 1e-14);

  const auto per_feature = problem_of(spec_of(LinearKind::ridge, HyperKind::per_feature));
  const Vector decays = test::random_vector(a.cols(), 202, -1.0, 0.5);
  expected = gram;
  expected.diagonal() += (decays.array().exp() + kL2).matrix();  // AᵀA/m + diag(e^λ + l2)
  EXPECT_LT(relative_error(per_feature->hessian(x, decays), expected), 1e-14);

  const auto per_sample = problem_of(spec_of(LinearKind::ridge, HyperKind::per_sample));
  const Vector weights = test::random_vector(kTrain, 203, 1.0, 0.2);
  expected = a.transpose() * weights.asDiagonal() * a / kTrain;  // Aᵀ diag(λ) A/m + l2 I
  expected.diagonal().array() += kL2;
  EXPECT_LT(relative_error(per_sample->hessian(x, weights), expected), 1e-14);
}

TEST(RidgeProblem, GradientIsTheNormalEquationsResidual) {
  const LabelledData part = random_part(kTrain, kFeatures, 2, 11);
  const Matrix a = design(part);
  const Vector t = (2 * part.labels.cast<double>()).array() - 1;  // targets ±1
  const auto p = problem_of(spec_of(LinearKind::ridge, HyperKind::l2));
  const Vector x = test::random_vector(a.cols(), 101), lambda = Vector::Constant(1, 0.3);
  const Vector expected = a.transpose() * (a * x - t) / kTrain + (std::exp(0.3) + kL2) * x;
  EXPECT_LT(relative_error(test::inner_gradient(*p, x, lambda), expected), 1e-14);
}

TEST(LogisticProblem, AtZeroSigmaIsOneHalf) {
  const LabelledData part = random_part(kTrain, kFeatures, 2, 11);
  const Matrix a = design(part);
  const auto p = problem_of(spec_of(LinearKind::logistic, HyperKind::l2));
  const Vector zero = Vector::Zero(a.cols()), lambda = Vector::Constant(1, -0.7);
  // g(0) = log 2, ∇g(0) = Aᵀ(½ − y)/m, H(0) = AᵀA/(4m) + (e^λ + l2) I.
  EXPECT_NEAR(p->inner_loss(zero, lambda), std::log(2.0), 1e-15);
  const Vector half_minus_y = 0.5 - part.labels.cast<double>().array();
  EXPECT_LT(relative_error(test::inner_gradient(*p, zero, lambda),
                           Vector(a.transpose() * half_minus_y / kTrain)),
            1e-14);
  Matrix expected = a.transpose() * a / (4.0 * kTrain);
  expected.diagonal().array() += std::exp(-0.7) + kL2;
  EXPECT_LT(relative_error(p->hessian(zero, lambda), expected), 1e-14);
}

TEST(SoftmaxProblem, AtZeroProbabilitiesAreUniform) {
  const int c = 3;
  const Matrix a = design(random_part(kTrain, kFeatures, c, 11));
  const Eigen::Index q = a.cols();
  const auto p = problem_of(spec_of(LinearKind::softmax, HyperKind::l2, c));
  const Vector zero = Vector::Zero(q * c), lambda = Vector::Constant(1, -0.7);
  EXPECT_NEAR(p->inner_loss(zero, lambda), std::log(3.0), 1e-15);
  // Block (c, c') = AᵀA/m (δ_cc'/C − 1/C²) + (e^λ + l2) δ_cc' I.
  Matrix expected(q * c, q * c);
  const Matrix gram = a.transpose() * a / kTrain;
  for (int i = 0; i < c; ++i)
    for (int j = 0; j < c; ++j)
      expected.block(i * q, j * q, q, q) = gram * ((i == j) / 3.0 - 1 / 9.0);
  expected.diagonal().array() += std::exp(-0.7) + kL2;
  EXPECT_LT(relative_error(p->hessian(zero, lambda), expected), 1e-14);
}

// One feature and a bias; x = (scale, 0) makes the logits ±scale.
LabelledData line(std::initializer_list<double> features, std::initializer_list<int> labels) {
  LabelledData part;
  part.features = Eigen::Map<const Vector>(features.begin(), features.size());
  part.labels = Eigen::Map<const Eigen::VectorXi>(labels.begin(), labels.size());
  return part;
}

TEST(LogisticProblem, HugeLogitsNeitherOverflowNorLoseTheLoss) {
  LinearSpec s = spec_of(LinearKind::logistic, HyperKind::l2);
  s.l2 = 0;
  const auto p = make_linear_problem(s, line({1, -1, 1, -1}, {1, 0, 0, 1}), line({1}, {0}), {});
  const Vector x = Eigen::Vector2d(1000, 0), lambda = Vector::Constant(1, -50.0);
  // ℓ = softplus(z) − y z: 0, 0, 1000, 1000 for z = 1000, −1000, 1000, −1000.
  const double decay = 0.5 * std::exp(-50.0) * 1e6;
  EXPECT_DOUBLE_EQ(p->inner_loss(x, lambda), 500.0 + decay);
  EXPECT_DOUBLE_EQ(p->outer_loss(x, lambda), 1000.0);
  const Vector g = test::inner_gradient(*p, x, lambda);
  EXPECT_TRUE(g.allFinite());
  EXPECT_NEAR(g[0], 0.5, 1e-12);  // (σ − y) a: 0, 0, +1·1, −1·(−1) over m = 4
  const Vector hw = test::hessian_vector(*p, x, lambda, Vector::Ones(2));
  EXPECT_TRUE(hw.allFinite());
  EXPECT_LT(hw.norm(), 1e-20);  // σ(1 − σ) = e^{−1000} underflows to 0, the decay is e^{−50}
}

TEST(SoftmaxProblem, HugeLogitsNeitherOverflowNorLoseTheLoss) {
  LinearSpec s = spec_of(LinearKind::softmax, HyperKind::l2, 3);
  const auto p = make_linear_problem(s, line({1, -1}, {2, 1}), line({1}, {0}), {});
  // X = [[−1000, 0, 1000], [0, 0, 0]] (q = 2 rows, C = 3 columns): logits ±1000·(−1, 0, 1).
  Vector x = Vector::Zero(6);
  x[0] = -1000;
  x[4] = 1000;
  const Vector lambda = Vector::Constant(1, -50.0);
  const double decay = 0.5 * (std::exp(-50.0) + kL2) * 2e6;
  // Sample 1 (logits −1000, 0, 1000; label 2): ℓ = 0. Sample 2 (1000, 0, −1000; label 1): 1000.
  EXPECT_DOUBLE_EQ(p->inner_loss(x, lambda), 500.0 + decay);
  EXPECT_DOUBLE_EQ(p->outer_loss(x, lambda), 2000.0);  // logits −1000, 0, 1000; label 0
  EXPECT_TRUE(test::inner_gradient(*p, x, lambda).allFinite());
  EXPECT_TRUE(test::hessian_vector(*p, x, lambda, Vector::Ones(6)).allFinite());
}

// Per-class logit weights: at x = 0 every logit vector is λ, so P_k = softmax(λ) for every sample,
// g = logsumexp(λ) − mean_k λ_{y_k} + 0 and ∇_λ f = softmax(λ) − (validation label frequencies);
// predictions and the test accuracy are those of Z + 1 λᵀ.
TEST(SoftmaxProblem, PerClassWeightsAreLogitOffsets) {
  const int c = 3;
  const LabelledData validation = random_part(kValidation, kFeatures, c, 12);
  const auto p = problem_of(spec_of(LinearKind::softmax, HyperKind::per_class, c));
  const Vector zero = Vector::Zero(p->dim());
  const Vector lambda = Eigen::Vector3d(0.5, -1.0, 2.0);
  const Vector softmax = lambda.array().exp() / lambda.array().exp().sum();
  Vector frequency = Vector::Zero(c);
  for (Eigen::Index k = 0; k < validation.labels.size(); ++k)
    frequency[validation.labels[k]] += 1.0 / kValidation;
  EXPECT_NEAR(p->outer_loss(zero, lambda),
              std::log(lambda.array().exp().sum()) - frequency.dot(lambda), 1e-14);
  Vector gl(c);
  p->outer_gradient_lambda(zero, lambda, gl);
  EXPECT_LT(relative_error(gl, Vector(softmax - frequency)), 1e-14);
  // λ = 0: the shared model's predictions; an offset far above the logits predicts its class
  // everywhere, whatever λ the problem saw last.
  const Vector x = test::random_vector(p->dim(), 101, 0.0, 0.5);
  using Part = LocalProblem::Part;
  EXPECT_EQ(p->predict(x, Vector::Zero(c), Part::train),
            problem_of(spec_of(LinearKind::softmax, HyperKind::l2, c))
                ->predict(x, Vector::Constant(1, 0.0), Part::train));
  test::expect_offsets_decide_predictions(*p, x, random_part(kTest, kFeatures, c, 13).labels);
}

TEST(LinearProblem, TestMetricIsAccuracyOnTheTestPart) {
  const LabelledData test_part = line({-2, -1, 1, 2}, {0, 1, 1, 1});  // sign predicts 0, 0, 1, 1
  const Vector x = Eigen::Vector2d(1, 0);
  for (LinearKind kind : {LinearKind::logistic, LinearKind::ridge}) {
    const auto p = make_linear_problem(spec_of(kind, HyperKind::l2), line({1, -1}, {1, 0}),
                                       line({1}, {1}), test_part);
    EXPECT_DOUBLE_EQ(p->test_metric(x, Vector::Constant(1, 0.0)), 0.75);
  }
  const auto softmax =
      make_linear_problem(spec_of(LinearKind::softmax, HyperKind::l2, 3), line({1, -1}, {2, 0}),
                          line({1}, {2}), line({-1, 2, 3}, {0, 2, 1}));
  Vector xs = Vector::Zero(6);  // logits feature · (−1, 0, 1): class 0 below 0, class 2 above
  xs[0] = -1;
  xs[4] = 1;
  EXPECT_DOUBLE_EQ(softmax->test_metric(xs, Vector::Zero(3)), 2.0 / 3.0);
}

TEST(LinearProblem, EmptyValidationAndTestPartsGiveZeroOuterLossAndNoMetric) {
  const auto p = make_linear_problem(spec_of(LinearKind::logistic, HyperKind::l2),
                                     line({1, -1}, {1, 0}), {}, {});
  const Vector x = Eigen::Vector2d(0.3, -0.2), lambda = Vector::Constant(1, 0.0);
  EXPECT_EQ(p->outer_loss(x, lambda), 0.0);
  Vector g(2);
  p->outer_gradient_x(x, lambda, g);
  EXPECT_EQ(g, Vector::Zero(2));
  EXPECT_TRUE(std::isnan(p->test_metric(x, lambda)));
}

TEST(LinearProblem, WithoutBiasTheModelHasOneWeightPerFeature) {
  LinearSpec s = spec_of(LinearKind::logistic, HyperKind::per_feature);
  s.bias = false;
  const auto p = problem_of(s);
  EXPECT_EQ(p->dim(), kFeatures);
  EXPECT_EQ(p->hyper_dim(), kFeatures);
  test::expect_inner_gradient_matches_differences(*p, test::random_vector(kFeatures, 1),
                                                  test::random_vector(kFeatures, 2, -1, 0.5));
}

}  // namespace
}  // namespace hyperpush::model

// predict(): the class of the largest logit (logit > 0 for two classes) on the asked part, and
// accuracy is the share of those predictions that match the labels.
TEST(LinearProblemPredict, LargestLogitOnTheAskedPart) {
  using hyperpush::model::LabelledData;
  LabelledData train, test;
  train.features = hyperpush::model::Matrix{{1.0, 0.0}, {-2.0, 1.0}, {0.5, -3.0}};
  train.labels = Eigen::VectorXi{{1, 0, 0}};
  test.features = hyperpush::model::Matrix{{-1.0, 0.0}, {3.0, 3.0}};
  test.labels = Eigen::VectorXi{{1, 1}};
  hyperpush::model::LinearSpec spec;  // logistic, bias: x = (w1, w2, b)
  auto problem = hyperpush::model::make_linear_problem(spec, train, train, test);
  const hyperpush::model::Vector x{{1.0, 0.5, -0.25}};  // z = w·a + b
  const hyperpush::model::Vector lambda = problem->initial_lambda();
  using Part = hyperpush::model::LocalProblem::Part;
  EXPECT_EQ(problem->predict(x, lambda, Part::train),
            (Eigen::VectorXi{{1, 0, 0}}));  // z = .75, -1.25, -1.75
  EXPECT_EQ(problem->predict(x, lambda, Part::test), (Eigen::VectorXi{{0, 1}}));  // z = -1.25, 4.25
  EXPECT_DOUBLE_EQ(problem->test_metric(x, lambda), 0.5);
}

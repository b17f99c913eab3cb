// Minibatches of the linear models (LocalProblem::use_minibatch): the products and outer oracles on
// a minibatch equal those of the same problem built on those rows alone (the reference: a problem
// whose parts are the rows), the inner oracles stay full-batch, the empty batch restores the whole
// parts, and what cannot be minibatched is refused with its message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hyperpush/error.hpp"
#include "hyperpush/model/linear_problem.hpp"
#include "hyperpush/model/quadratic_problem.hpp"
#include "model/oracle_checks.hpp"
#include "support/linear_cases.hpp"
#include "support/random_part.hpp"

namespace hyperpush::model::test {
namespace {

constexpr int kFeatures = 4;

LinearSpec spec_of(const LinearCase& c) {
  LinearSpec spec;
  spec.kind = c.kind;
  spec.hyper = c.hyper;
  spec.classes = c.kind == LinearKind::softmax ? 3 : 2;
  spec.l2 = 0.1;
  return spec;
}

LabelledData rows_of(const LabelledData& part, const std::vector<int>& rows) {
  return {part.features(rows, Eigen::all), part.labels(rows)};
}

class Minibatch : public testing::TestWithParam<LinearCase> {};

TEST_P(Minibatch, EqualsTheProblemOnThoseRows) {
  const LinearSpec spec = spec_of(GetParam());
  const LabelledData train = random_part(30, kFeatures, spec.classes, 1);
  const LabelledData validation = random_part(20, kFeatures, spec.classes, 2);
  const std::vector<int> rows = {1, 4, 5, 11, 17, 29}, validation_rows = {0, 3, 19};
  const auto full = make_linear_problem(spec, train, validation, {});
  const auto reference =
      make_linear_problem(spec, rows_of(train, rows), rows_of(validation, validation_rows), {});
  const int d = full->dim(), p = full->hyper_dim();
  const Vector x = random_vector(d, 3, 0, 0.5), w = random_vector(d, 4);
  const Vector lambda = lambda_of(spec.hyper, p, 5);
  EXPECT_EQ(full->train_samples(), 30);
  EXPECT_EQ(full->validation_samples(), 20);

  Vector whole(d), batched(d), expected(d), jw(p), expected_jw(p);
  full->inner_gradient(x, lambda, whole);
  full->use_minibatch({rows, validation_rows});
  full->hessian_vector(x, lambda, w, batched);
  reference->hessian_vector(x, lambda, w, expected);
  EXPECT_LT(relative_error(batched, expected), 1e-14);
  full->cross_vector(x, lambda, w, jw);
  reference->cross_vector(x, lambda, w, expected_jw);
  EXPECT_LT(relative_error(jw, expected_jw), 1e-14);
  full->outer_gradient_x(x, lambda, batched);
  reference->outer_gradient_x(x, lambda, expected);
  EXPECT_LT(relative_error(batched, expected), 1e-14);
  full->outer_gradient_lambda(x, lambda, jw);
  reference->outer_gradient_lambda(x, lambda, expected_jw);
  EXPECT_LE((jw - expected_jw).norm(), 1e-14 * std::max(1.0, expected_jw.norm()));
  EXPECT_NEAR(full->outer_loss(x, lambda), reference->outer_loss(x, lambda), 1e-14);

  // The inner oracles stay full-batch; the empty batch brings the whole parts back.
  full->inner_gradient(x, lambda, batched);
  EXPECT_EQ(batched, whole);
  const auto fresh = make_linear_problem(spec, train, validation, {});
  full->use_minibatch({});
  fresh->hessian_vector(x, lambda, w, expected);
  full->hessian_vector(x, lambda, w, batched);
  EXPECT_EQ(batched, expected);
}

std::vector<LinearCase> minibatch_cases() {
  std::vector<LinearCase> out;
  for (const LinearCase& c : all_linear_cases())
    if (c.hyper != HyperKind::per_sample) out.push_back(c);
  return out;
}

INSTANTIATE_TEST_SUITE_P(LinearModels, Minibatch, testing::ValuesIn(minibatch_cases()), case_name);

TEST(Minibatch, RefusesPerSampleWeightsAndProblemsThatAreNoMeans) {
  LinearSpec spec = spec_of({LinearKind::logistic, HyperKind::per_sample});
  const auto weighted = make_linear_problem(spec, random_part(10, kFeatures, 2, 1),
                                            random_part(6, kFeatures, 2, 2), {});
  try {
    weighted->use_minibatch({{0, 1}, {}});
    FAIL() << "per-sample weights took a training minibatch";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "minibatches: per-sample weights λ_k would each be seen by one minibatch in m/b; "
              "valid: hypergradient.batch = 0 with model.hyper = per-sample");
  }
  weighted->use_minibatch({{}, {0, 1}});  // the validation part has no weights

  QuadraticAgent agent;
  agent.a = Matrix::Identity(2, 2);
  agent.b = Matrix::Ones(2, 1);
  agent.c = Vector::Zero(2);
  agent.lambda = Vector::Zero(1);
  const auto quadratic = make_quadratic_problem(agent, 0.1);
  EXPECT_EQ(quadratic->train_samples(), 0);
  quadratic->use_minibatch({});
  try {
    quadratic->use_minibatch({{0}, {}});
    FAIL() << "a quadratic problem took a minibatch";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "minibatches: this problem's losses are no means over samples; valid: "
              "hypergradient.batch = 0 and hypergradient.outer_batch = 0");
  }
}

}  // namespace
}  // namespace hyperpush::model::test

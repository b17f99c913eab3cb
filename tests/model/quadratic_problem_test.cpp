#include "hyperpush/model/quadratic_problem.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <string>

#include "hyperpush/error.hpp"
#include "oracle_checks.hpp"
#include "support/scratch_dir.hpp"

namespace hyperpush::model {
namespace {

using test::relative_error;
using testing::StartsWith;
using testing::StrEq;
using testing::ThrowsMessage;

const std::string kShipped =
    std::string(HYPERPUSH_SOURCE_DIR) + "/experiments/problems/quadratic-3agents.json";

TEST(ReadQuadraticFile, ReadsTheShippedInstance) {
  const QuadraticFile file = read_quadratic_file(kShipped);
  EXPECT_EQ(file.gamma, 0.1);
  ASSERT_EQ(file.agents.size(), 3u);
  Matrix sum = Matrix::Zero(5, 5);
  for (const QuadraticAgent& agent : file.agents) {
    ASSERT_EQ(agent.a.rows(), 5);
    ASSERT_EQ(agent.a.cols(), 5);
    ASSERT_EQ(agent.b.rows(), 5);
    ASSERT_EQ(agent.b.cols(), 2);
    ASSERT_EQ(agent.c.size(), 5);
    ASSERT_EQ(agent.lambda.size(), 2);
    EXPECT_EQ(agent.a, agent.a.transpose());
    // Spectrum in [1, 3] (make_quadratic.py), so Σ A_i is well conditioned.
    const Vector eigenvalues = Eigen::SelfAdjointEigenSolver<Matrix>(agent.a).eigenvalues();
    EXPECT_GE(eigenvalues.minCoeff(), 1.0 - 1e-12);
    EXPECT_LE(eigenvalues.maxCoeff(), 3.0 + 1e-12);
    sum += agent.a;
  }
  const Vector eigenvalues = Eigen::SelfAdjointEigenSolver<Matrix>(sum).eigenvalues();
  EXPECT_LE(eigenvalues.maxCoeff() / eigenvalues.minCoeff(), 3.0);
  // Full precision: the first entry as make_quadratic.py wrote it (repr).
  EXPECT_EQ(file.agents[0].a(0, 0), 1.771350792974947);
}

class QuadraticOracles : public testing::TestWithParam<int> {
 protected:
  QuadraticAgent agent() const { return read_quadratic_file(kShipped).agents.at(GetParam()); }
  std::unique_ptr<LocalProblem> make() const { return make_quadratic_problem(agent(), 0.1); }
};

TEST_P(QuadraticOracles, MatchFiniteDifferences) {
  const auto p = make();
  const Vector x = test::random_vector(5, 100 + GetParam());
  const Vector lambda = test::random_vector(2, 200 + GetParam());
  const Vector w = test::random_vector(5, 300 + GetParam());
  test::expect_inner_gradient_matches_differences(*p, x, lambda);
  test::expect_hessian_vector_matches_differences(*p, x, lambda, w);
  test::expect_cross_vector_matches_differences(*p, x, lambda, w);
  test::expect_outer_gradients_match_differences(*p, x, lambda);
  test::expect_dense_hessian_matches_products(*p, x, lambda);
  test::expect_cross_jacobian_matches_products(*p, x, lambda, w);
}

TEST_P(QuadraticOracles, HessianIsAAndCrossJacobianIsBTransposedExactly) {
  const QuadraticAgent a = agent();
  const auto p = make();
  const Vector x = test::random_vector(5, 1), lambda = test::random_vector(2, 2);
  EXPECT_EQ(p->dim(), 5);
  EXPECT_EQ(p->hyper_dim(), 2);
  EXPECT_EQ(p->hessian(x, lambda), a.a);
  EXPECT_EQ(p->cross_jacobian(x, lambda), a.b.transpose());
  EXPECT_EQ(p->initial_lambda(), a.lambda);
  Vector out(5), out_lambda(2);
  p->outer_gradient_x(x, lambda, out);
  EXPECT_EQ(out, x - a.c);  // ∇_x f = x − c
  p->outer_gradient_lambda(x, lambda, out_lambda);
  EXPECT_EQ(out_lambda, 0.1 * lambda);  // ∇_λ f = γ λ
  EXPECT_DOUBLE_EQ(p->outer_loss(x, lambda),
                   0.5 * (x - a.c).squaredNorm() + 0.05 * lambda.squaredNorm());
  EXPECT_TRUE(std::isnan(p->test_metric(x, lambda)));
}

INSTANTIATE_TEST_SUITE_P(ShippedAgents, QuadraticOracles, testing::Values(0, 1, 2));

TEST(MakeQuadraticProblem, UsesTheSymmetricPartOfA) {
  QuadraticAgent agent{Eigen::Matrix2d{{2, 1}, {0, 2}}, Matrix::Ones(2, 1), Vector::Zero(2),
                       Vector::Zero(1)};
  const auto p = make_quadratic_problem(agent, 0);
  const Vector x = Eigen::Vector2d(1, -2), lambda = Vector::Constant(1, 0.5);
  EXPECT_EQ(p->hessian(x, lambda), (Matrix(2, 2) << 2, 0.5, 0.5, 2).finished());
  test::expect_inner_gradient_matches_differences(*p, x, lambda);
}

TEST(MakeQuadraticProblem, RejectsInconsistentShapes) {
  const QuadraticAgent good{Matrix::Identity(3, 3), Matrix::Zero(3, 2), Vector::Zero(3),
                            Vector::Zero(2)};
  auto expect_error = [](QuadraticAgent agent, double gamma, const std::string& message) {
    EXPECT_THAT([&] { make_quadratic_problem(agent, gamma); },
                ThrowsMessage<Error>(StrEq(message)));
  };
  QuadraticAgent bad = good;
  bad.a = Matrix::Zero(3, 2);
  expect_error(bad, 0, "quadratic problem: A is 3 × 2; expected a non-empty square matrix");
  bad = good;
  bad.b = Matrix::Zero(4, 2);
  expect_error(bad, 0, "quadratic problem: B is 4 × 2; expected 3 rows like A");
  bad = good;
  bad.c = Vector::Zero(2);
  expect_error(bad, 0, "quadratic problem: c has 2 entries; expected 3 like A");
  bad = good;
  bad.lambda = Vector::Zero(3);
  expect_error(bad, 0, "quadratic problem: lambda has 3 entries; expected 2 (the columns of B)");
  expect_error(good, -1, "quadratic problem: gamma = -1 is invalid; expected a finite number >= 0");
}

// --- malformed files
// -------------------------------------------------------------------------------

// A valid two-agent file with d = 2, p = 1, in which `replace` swaps one piece of text.
std::string two_agents(const std::string& from = "", const std::string& to = "") {
  std::string text = R"({"gamma": 0.5, "agents": [
  {"A": [[2, 0.5], [0.5, 1]], "B": [[1], [0]], "c": [1, 2], "lambda": [0.1]},
  {"A": [[1, 0], [0, 1]], "B": [[0], [1]], "c": [0, 0], "lambda": [-0.3]}]})";
  if (!from.empty()) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }
  return text;
}

class MalformedQuadraticFile : public testing::Test {
 protected:
  // read_quadratic_file on `text` throws "<path>: <message>".
  void expect_error(const std::string& text, const std::string& message) {
    const std::string path = dir_.write("problem.json", text);
    EXPECT_THAT([&] { read_quadratic_file(path); },
                ThrowsMessage<Error>(StrEq(path + ": " + message)));
  }
  hyperpush::test::ScratchDir dir_;
};

TEST_F(MalformedQuadraticFile, TheValidBaseReads) {
  const QuadraticFile file = read_quadratic_file(dir_.write("problem.json", two_agents()));
  EXPECT_EQ(file.gamma, 0.5);
  ASSERT_EQ(file.agents.size(), 2u);
  EXPECT_EQ(file.agents[0].a, (Matrix(2, 2) << 2, 0.5, 0.5, 1).finished());
  EXPECT_EQ(file.agents[1].lambda, Vector::Constant(1, -0.3));
}

TEST_F(MalformedQuadraticFile, MissingFile) {
  const std::string path = dir_.path("absent.json");
  EXPECT_THAT([&] { read_quadratic_file(path); },
              ThrowsMessage<Error>(
                  StrEq(path + ": cannot open: No such file or directory; expected a JSON file")));
}

TEST_F(MalformedQuadraticFile, InvalidJson) {
  const std::string path = dir_.write("problem.json", two_agents("[-0.3]}", "[-0.3]"));
  EXPECT_THAT([&] { read_quadratic_file(path); },
              ThrowsMessage<Error>(StartsWith(path + ": invalid JSON: parse error at line 3")));
}

TEST_F(MalformedQuadraticFile, NumberOutOfRange) {
  expect_error(two_agents("\"c\": [1, 2]", "\"c\": [1, 1e999]"),
               "invalid JSON: number overflow parsing '1e999'");
}

TEST_F(MalformedQuadraticFile, NotAnObject) {
  expect_error("[1, 2]",
               "expected a JSON object {\"gamma\": …, \"agents\": […]}, got an array of 2");
}

TEST_F(MalformedQuadraticFile, MissingOrUnknownKeys) {
  expect_error(R"({"gamma": 1})", "missing key \"agents\"");
  expect_error(two_agents("\"gamma\"", "\"gama\""),
               "unknown key \"gama\"; valid keys: gamma, agents");
  expect_error(two_agents("\"c\": [0, 0]", "\"C\": [0, 0]"),
               "agents[1]: unknown key \"C\"; valid keys: A, B, c, lambda");
  expect_error(two_agents(", \"lambda\": [0.1]", ""), "agents[0]: missing key \"lambda\"");
}

TEST_F(MalformedQuadraticFile, BadGamma) {
  expect_error(two_agents("0.5", "-0.5"), "gamma: expected a finite number >= 0, got -0.5");
  expect_error(two_agents("0.5", "\"big\""), "gamma: expected a finite number >= 0, got \"big\"");
}

TEST_F(MalformedQuadraticFile, NoAgents) {
  expect_error(R"({"gamma": 0, "agents": []})",
               "agents: expected a non-empty array of agents, got an array of 0");
  expect_error(R"({"gamma": 0, "agents": [3]})",
               "agents[0]: expected an object with keys A, B, c, lambda, got 3");
}

TEST_F(MalformedQuadraticFile, BRowsDifferFromD) {
  expect_error(two_agents("[[0], [1]]", "[[0], [1], [2]]"), "agents[1].B: expected 2 rows, got 3");
}

TEST_F(MalformedQuadraticFile, AgentsDisagreeOnD) {
  expect_error(two_agents("[[1, 0], [0, 1]]", "[[1, 0, 0], [0, 1, 0], [0, 0, 1]]"),
               "agents[1].A: expected 2 rows, got 3");
  expect_error(two_agents("[[1, 0], [0, 1]]", "[[1, 0], [0, 1, 0]]"),
               "agents[1].A[1]: expected 2 numbers, got 3");
}

TEST_F(MalformedQuadraticFile, ANotSquare) {
  expect_error(two_agents("[[2, 0.5], [0.5, 1]]", "[[2, 0.5, 1], [0.5, 1, 1]]"),
               "agents[0].A: expected a square matrix, got 2 × 3");
  expect_error(two_agents("[[2, 0.5], [0.5, 1]]", "[[2, 0.5], [0.5]]"),
               "agents[0].A[1]: expected 2 numbers, got 1");
}

TEST_F(MalformedQuadraticFile, ANotSymmetric) {
  expect_error(two_agents("[[2, 0.5], [0.5, 1]]", "[[2, 0.53], [0.5, 1]]"),
               "agents[0].A: not symmetric (max |A - Aᵀ| = 0.03, more than 1e-12 × max |A| = 2)");
}

TEST_F(MalformedQuadraticFile, NonNumbers) {
  expect_error(two_agents("[[2, 0.5], [0.5, 1]]", "[[2, 0.5], [\"x\", 1]]"),
               "agents[0].A[1][0]: expected a finite number, got \"x\"");
  expect_error(two_agents("\"c\": [1, 2]", "\"c\": {\"x\": 1}"),
               "agents[0].c: expected an array of numbers, got an object");
}

TEST_F(MalformedQuadraticFile, WrongVectorLengths) {
  expect_error(two_agents("\"c\": [1, 2]", "\"c\": [1, 2, 3]"),
               "agents[0].c: expected 2 numbers, got 3");
  expect_error(two_agents("[-0.3]", "[-0.3, 1]"),
               "agents[1].lambda: expected 1 number (one per column of B), got 2");
  expect_error(two_agents("\"B\": [[1], [0]]", "\"B\": [[], []]"),
               "agents[0].B[0]: expected at least one number, got none");
}

}  // namespace
}  // namespace hyperpush::model

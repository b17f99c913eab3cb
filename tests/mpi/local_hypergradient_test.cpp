// The local-only baseline (hypergradient.method = local) against its closed form on quadratic
// problems: agent i alone has v_i = (1/n) [γ λ_i − B_iᵀ A_i⁻¹ (z_i − c_i)] (quadratic_problem.hpp),
// whatever the other agents hold; its CG cap and its truncation at negative curvature.
#include <gtest/gtest.h>
#include <mpi.h>

#include <Eigen/Cholesky>
#include <string>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/model/quadratic_problem.hpp"
#include "hyperpush/random.hpp"

namespace hyperpush {
namespace {

struct LocalRun {
  bilevel::AgentSet agents;
  std::vector<model::Vector> z;
};

// Every agent of `file` on this process, at inner points z_i drawn N(0, 1).
LocalRun agents_of(const model::QuadraticFile& file) {
  LocalRun run;
  run.agents.agents = static_cast<int>(file.agents.size());
  run.agents.dim = static_cast<int>(file.agents.front().c.size());
  for (int i = 0; i < run.agents.agents; ++i) {
    run.agents.problems.push_back(model::make_quadratic_problem(file.agents[i], file.gamma));
    run.agents.lambda.push_back(file.agents[i].lambda);
    model::Vector z(run.agents.dim);
    for (int j = 0; j < z.size(); ++j) z[j] = random_normal(4, Purpose::initial_value, i, j, 0);
    run.z.push_back(z);
  }
  return run;
}

bilevel::HypergradientResult local(const LocalRun& run, int cg_iterations) {
  graph::Schedule schedule(graph::TopologySpec{}, run.agents.agents, 4);
  consensus::Gossip gossip(comm::Communicator::self(), schedule);
  bilevel::HypergradientOptions options;
  options.method = bilevel::HypergradientMethod::local;
  options.cg_tolerance = 1e-13;
  options.cg_iterations = cg_iterations;
  return bilevel::compute_hypergradient(gossip, run.agents, run.z, options);
}

// v_i = (1/n) [γ λ_i − B_iᵀ A_i⁻¹ (z_i − c_i)], to 1e-10 relative.
void expect_closed_form(const model::QuadraticFile& file, const LocalRun& run,
                        const bilevel::HypergradientResult& result, int i) {
  const auto& a = file.agents[i];
  const model::Vector expected =
      (file.gamma * a.lambda - a.b.transpose() * a.a.llt().solve(run.z[i] - a.c)) /
      run.agents.agents;
  EXPECT_LT((result.v[i] - expected).norm(), 1e-10 * expected.norm()) << "agent " << i;
}

TEST(LocalHypergradient, EqualsEachAgentsClosedForm) {
  const auto file = model::read_quadratic_file(std::string(HYPERPUSH_SOURCE_DIR) +
                                               "/experiments/problems/quadratic-3agents.json");
  const LocalRun run = agents_of(file);
  const auto result = local(run, 0);
  const int n = run.agents.agents, d = run.agents.dim;
  for (int i = 0; i < n; ++i) expect_closed_form(file, run, result, i);
  EXPECT_LE(result.hvp_count, 2 * d);  // CG: d steps in exact arithmetic
  // The cap: one product, and a different (one-step) answer.
  const auto capped = local(run, 1);
  EXPECT_EQ(capped.hvp_count, 1);
  EXPECT_GT((capped.v[0] - result.v[0]).norm(), 1e-6 * result.v[0].norm());
}

// An indefinite H_i (here negative definite: the first direction has negative curvature) stops the
// agent's CG at q = 0, leaving the direct term γ λ_i / n; the other agents keep their closed form.
TEST(LocalHypergradient, StopsAtNegativeCurvature) {
  auto file = model::read_quadratic_file(std::string(HYPERPUSH_SOURCE_DIR) +
                                         "/experiments/problems/quadratic-3agents.json");
  file.agents[1].a = -file.agents[1].a;
  const LocalRun run = agents_of(file);
  const auto result = local(run, 0);
  const int n = run.agents.agents;
  EXPECT_EQ(result.v[1], Eigen::VectorXd(file.gamma * file.agents[1].lambda / n));
  for (int i : {0, 2}) expect_closed_form(file, run, result, i);
}

}  // namespace
}  // namespace hyperpush

// Numerical health at the MPI level: a Neumann step past 2/λ_max(H̄) is caught by the agents on
// their own and reported the same on every rank, with α·λ_max read off the growth (against λ_max of
// the dense H̄); just below 2/λ_max nothing is reported; an inner step far too large stops the
// solve.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mpi.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <string>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/comm/gather.hpp"
#include "hyperpush/error.hpp"
#include "hyperpush/model/quadratic_problem.hpp"

namespace hyperpush {
namespace {

using ::testing::HasSubstr;

struct ThreeAgents {
  graph::Schedule schedule{graph::TopologySpec{}, 3, 4};  // random-directed, 3 agents
  consensus::Gossip gossip{comm::Communicator::world(), schedule};
  bilevel::AgentSet agents;
  ThreeAgents() {
    const auto file = model::read_quadratic_file(std::string(HYPERPUSH_SOURCE_DIR) +
                                                 "/experiments/problems/quadratic-3agents.json");
    agents.agents = 3;
    agents.first = gossip.first_local();
    agents.dim = static_cast<int>(file.agents.front().c.size());
    for (int i = 0; i < gossip.local_count(); ++i) {
      agents.problems.push_back(
          model::make_quadratic_problem(file.agents[agents.first + i], file.gamma));
      agents.lambda.push_back(agents.problems.back()->initial_lambda());
    }
  }
  // λ_max of H̄ = (1/n) Σ_j H_j at z, from the dense Hessians (gathered in agent order).
  double lambda_max(const std::vector<model::Vector>& z) {
    const int d = agents.dim;
    std::vector<double> rows;
    for (int i = 0; i < agents.local_count(); ++i) {
      const model::Matrix h = agents.problems[i]->hessian(z[i], agents.lambda[i]);
      rows.insert(rows.end(), h.data(), h.data() + d * d);
    }
    auto sum = comm::sum_in_agent_order(
        comm::allgather_agents(gossip.comm(), gossip.map(), rows, d * d), 3, d * d);
    const Eigen::Map<const model::Matrix> h(sum.data(), d, d);
    return Eigen::SelfAdjointEigenSolver<model::Matrix>(h / 3).eigenvalues().maxCoeff();
  }
};

std::string verdict(ThreeAgents& s, const std::vector<model::Vector>& z, double alpha) {
  bilevel::HypergradientOptions options;
  options.depth = 60;
  options.push_rounds = 30;  // close to exact averages: the growth is |1 − α·λ_max| per step
  options.alpha = alpha;
  const auto result = bilevel::compute_hypergradient(s.gossip, s.agents, z, options);
  try {
    bilevel::check_hypergradient(s.gossip, result, options);
  } catch (const Divergence& e) {
    EXPECT_EQ(e.exit_code(), kExitDiverged);
    return e.what();
  }
  return "healthy";
}

TEST(Health, NeumannStepPastTwoOverLambdaMaxIsCaughtAndMeasured) {
  ThreeAgents s;
  bilevel::InnerOptions newton;
  newton.method = bilevel::InnerMethod::exact;
  bilevel::InnerSolver inner(s.gossip, s.agents, newton);
  inner.solve();
  const double top = s.lambda_max(inner.z());
  EXPECT_EQ(verdict(s, inner.z(), 1.9 / top), "healthy");
  // ×1.02 a step: 3.3-fold in 60 steps, below the 10-fold rule; the tail's growth catches it.
  const std::string slow = verdict(s, inner.z(), 2.02 / top);
  EXPECT_THAT(slow, HasSubstr("hgp diverged at Neumann step 60 of 60"));
  EXPECT_THAT(slow, HasSubstr("a step, so α·λ_max(H̄) ≈ 2.02 ≥ 2"));
  EXPECT_THAT(slow, HasSubstr("; lower hypergradient.alpha or leave it 0 (estimated)"));
  // ×1.2 a step: tenfold by step 17.
  const std::string medium = verdict(s, inner.z(), 2.2 / top);
  EXPECT_THAT(medium, HasSubstr("hgp diverged at Neumann step 17 of 60"));
  EXPECT_THAT(medium, HasSubstr("a step, so α·λ_max(H̄) ≈ 2.2 ≥ 2"));
  const std::string fast = verdict(s, inner.z(), 1e4 / top);
  EXPECT_THAT(fast, HasSubstr("hgp diverged at Neumann step 2 of 60"));  // caught at once
}

TEST(Health, AnInnerStepFarTooLargeStopsTheSolve) {
  ThreeAgents s;
  bilevel::InnerOptions options;
  options.step = 1e6;
  bilevel::InnerSolver inner(s.gossip, s.agents, options);
  try {
    inner.solve();
    FAIL() << "a step of 1e6 converged";
  } catch (const Divergence& e) {
    EXPECT_THAT(e.what(), HasSubstr("inner solver push-diging diverged at round 50 of 20000 "));
    EXPECT_THAT(e.what(), HasSubstr("its step 1e+06 is too large for this schedule"));
  }
}

// A tolerance below the floating-point floor (0: unreachable) ends the solve as stalled, long
// before its round limit, at a residual at that floor; a reachable one still converges, unstalled.
TEST(Health, AnInnerSolveAtItsFloatingPointFloorStopsAsStalled) {
  ThreeAgents s;
  bilevel::InnerOptions options;
  options.tolerance = 0;
  options.rounds = 100000;
  bilevel::InnerSolver inner(s.gossip, s.agents, options);
  const bilevel::InnerReport floor = inner.solve();
  EXPECT_TRUE(floor.stalled);
  EXPECT_FALSE(floor.converged);
  EXPECT_LT(floor.rounds, 5000);  // 20 checks of 50 rounds without a 1% gain, after the floor
  EXPECT_LT(floor.gradient_norm, 1e-13);
  EXPECT_LT(floor.consensus_error, 1e-13);

  ThreeAgents fresh;
  options.tolerance = 1e-10;
  bilevel::InnerSolver reachable(fresh.gossip, fresh.agents, options);
  const bilevel::InnerReport done = reachable.solve();
  EXPECT_TRUE(done.converged);
  EXPECT_FALSE(done.stalled);
  EXPECT_LT(done.rounds, floor.rounds);
}

// K, the rounds a gradient step mixes with: 1 where the schedule is symmetric or mixes fast; on a
// directed ring (ρ = cos(π/n)) about the fewest rounds that halve the error, ⌈ln ½ / ln ρ⌉, where
// f(ρ^K) reaches its 0.5 cap (or one fewer, where ρ^K just above ½ costs less); between, the
// cheaper of K = 1 and K = 2 by K / f(ρ^K).
TEST(InnerMixingRounds, AutomaticChoiceFollowsTheMixingRate) {
  const double pi = std::acos(-1.0);
  const auto k = [](double rate, bool symmetric) {
    bilevel::InnerOptions options;
    options.mixing_rounds = 0;
    options.mixing_rate = rate;
    options.symmetric_schedule = symmetric;
    return bilevel::mixing_rounds(options);
  };
  EXPECT_EQ(k(0.9988, true), 1);
  EXPECT_EQ(k(0.0, false), 1);
  EXPECT_EQ(k(0.598, false), 1);  // 1 / (2 · 0.402²) = 3.09 < 2 / 0.5
  EXPECT_EQ(k(0.714, false), 2);  // 1 / (2 · 0.286²) = 6.11 > 2 / (2 · (1 − 0.714²)²) = 4.16
  for (int n : {8, 16, 64, 1024}) {
    const double halving = std::ceil(std::log(0.5) / std::log(std::cos(pi / n)));
    EXPECT_GE(k(std::cos(pi / n), false), halving - 1) << n << " agents";
    EXPECT_LE(k(std::cos(pi / n), false), halving) << n << " agents";
  }
  EXPECT_EQ(k(std::cos(pi / 16), false), 36);
  EXPECT_EQ(k(std::cos(pi / 64), false), 575);  // ρ^575 = 0.5003: 575 / 0.4994 < 576 / 0.5
  bilevel::InnerOptions fixed;
  fixed.mixing_rounds = 7;
  fixed.mixing_rate = 0.99;
  EXPECT_EQ(bilevel::mixing_rounds(fixed), 7);
  fixed.method = bilevel::InnerMethod::exact;
  EXPECT_EQ(bilevel::mixing_rounds(fixed), 1);
}

}  // namespace
}  // namespace hyperpush

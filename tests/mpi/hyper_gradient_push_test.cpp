// HGP at the MPI level: once α is given, a hyper-gradient is nothing but push rounds — no
// collective, no probe — and every message carries whole rows of d + 1 numbers (the averaged
// vector and its weight): no Hessian, no λ_i. Its result is bitwise that of a one-rank run.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstring>

#include "hyperpush/bilevel/hypergradient.hpp"
#include "hyperpush/bilevel/inner_solver.hpp"
#include "hyperpush/model/quadratic_problem.hpp"
#include "mpi_calls.hpp"

namespace hyperpush {
namespace {

struct HgpRun {
  std::vector<model::Vector> v;
  int first = 0;
};

HgpRun hgp_on(const comm::Communicator& comm, bool record) {
  const auto file = model::read_quadratic_file(std::string(HYPERPUSH_SOURCE_DIR) +
                                               "/experiments/problems/quadratic-3agents.json");
  const int n = static_cast<int>(file.agents.size());
  graph::Schedule schedule(graph::TopologySpec{}, n, 4);  // random-directed
  consensus::Gossip gossip(comm, schedule);
  bilevel::AgentSet agents;
  agents.agents = n;
  agents.first = gossip.first_local();
  agents.dim = static_cast<int>(file.agents.front().c.size());
  for (int i = 0; i < gossip.local_count(); ++i) {
    agents.problems.push_back(
        model::make_quadratic_problem(file.agents[agents.first + i], file.gamma));
    agents.lambda.push_back(agents.problems.back()->initial_lambda());
  }
  bilevel::InnerOptions newton;
  newton.method = bilevel::InnerMethod::exact;
  bilevel::InnerSolver inner(gossip, agents, newton);
  inner.solve();
  gossip.exchange(agents.dim + 1);  // created outside the recording
  bilevel::HypergradientOptions options;
  options.depth = 20;
  options.push_rounds = 3;
  options.alpha = 0.4;
  if (record) test::start_recording();
  HgpRun run{bilevel::compute_hypergradient(gossip, agents, inner.z(), options).v, agents.first};
  if (record) test::stop_recording();
  return run;
}

TEST(HyperGradientPush, OnlyPushRoundsOfDPlusOneNumbers) {
  const HgpRun distributed = hgp_on(comm::Communicator::world(), true);
  const auto& calls = test::mpi_calls();
  EXPECT_EQ(calls.collectives, 0);
  EXPECT_EQ(calls.probes, 0);
  EXPECT_EQ(calls.blocking_point_to_point, 0);
  const std::int64_t row = (5 + 1) * sizeof(double);  // d = 5 in the shipped instance
  for (const auto bytes : calls.isend_sizes) EXPECT_EQ(bytes % row, 0) << bytes << " bytes";

  const HgpRun single = hgp_on(comm::Communicator::self(), false);
  for (std::size_t i = 0; i < distributed.v.size(); ++i) {
    const auto& mine = distributed.v[i];
    const auto& reference = single.v[distributed.first + i];
    ASSERT_EQ(mine.size(), reference.size());
    EXPECT_EQ(0, std::memcmp(mine.data(), reference.data(), sizeof(double) * mine.size()));
  }
}

}  // namespace
}  // namespace hyperpush

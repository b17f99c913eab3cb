// Gathers of the agents' rows on 1, 2 and 4 ranks: agent order whatever the rank count, ragged
// rows, and a rank passing rows for other than its agents refused with a message (an MPI_Gatherv
// with mismatched counts would wait forever at the root instead).
#include "hyperpush/comm/gather.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <string>
#include <vector>

#include "hyperpush/error.hpp"

namespace hyperpush::comm {
namespace {

constexpr int kAgents = 7;

TEST(Gather, RowsArriveInAgentOrder) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const AgentMap map(kAgents, ranks);
  std::vector<double> local;
  std::vector<std::vector<double>> ragged;
  for (int i = map.first(rank); i < map.first(rank) + map.count(rank); ++i) {
    local.insert(local.end(), {10.0 * i, 10.0 * i + 1});
    ragged.emplace_back(i, static_cast<double>(i));  // agent i: i copies of i
  }
  const auto all = allgather_agents(Communicator::world(), map, local, 2);
  ASSERT_EQ(all.size(), 2u * kAgents);
  for (int i = 0; i < kAgents; ++i) EXPECT_EQ(all[2 * i + 1], 10.0 * i + 1);
  const auto rows = gather_ragged_agents(Communicator::world(), map, ragged);
  if (rank != 0) return;
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(kAgents));
  for (int i = 0; i < kAgents; ++i) EXPECT_EQ(rows[i], std::vector<double>(i, i));
}

TEST(Gather, RowsForOtherThanTheRanksAgentsAreRefused) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const AgentMap map(kAgents, ranks);
  const std::string count = std::to_string(map.count(rank));
  try {
    gather_ragged_agents(Communicator::world(), map, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "gather: rank " + std::to_string(rank) +
                                         " passes 0 numbers for its " + count +
                                         " agents, expected " + count);
  }
}

}  // namespace
}  // namespace hyperpush::comm

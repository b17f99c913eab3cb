#pragma once
// Rows of every agent, in agent order, on every rank (or on rank 0): for the exact oracles,
// baselines that need a true global sum, and metrics. A sum taken over the gathered rows in agent
// order is the same bits whatever the rank count, which MPI_Allreduce does not promise.
// Collective: never call it inside a round.
#include <vector>

#include "hyperpush/comm/agent_map.hpp"
#include "hyperpush/comm/communicator.hpp"

namespace hyperpush::comm {

// `local` holds map.count(rank) rows of `width` numbers (else hyperpush::Error, on the rank that
// passes the wrong shape); returns map.agents() rows on every rank.
std::vector<double> allgather_agents(const Communicator& comm, const AgentMap& map,
                                     const std::vector<double>& local, int width);

// The same, delivered on rank 0 only (other ranks get an empty vector).
std::vector<double> gather_agents(const Communicator& comm, const AgentMap& map,
                                  const std::vector<double>& local, int width);

// Rows of different lengths (exactly one per local agent), delivered on rank 0 in agent order
// (other ranks get an empty vector).
std::vector<std::vector<double>> gather_ragged_agents(
    const Communicator& comm, const AgentMap& map, const std::vector<std::vector<double>>& local);

// The largest of every rank's `values` (element-wise) on every rank, NaN-aware: a NaN on any rank
// gives NaN there (std::max and MPI_MAX would drop it), so a health check cannot miss one.
std::vector<double> max_over_ranks(const Communicator& comm, const std::vector<double>& values);

// Σ_i rows[i] over all agents' rows, added in agent order.
std::vector<double> sum_in_agent_order(const std::vector<double>& rows, int agents, int width);

}  // namespace hyperpush::comm

#include "hyperpush/comm/gather.hpp"

#include <cmath>
#include <string>

#include "hyperpush/comm/mpi_communicator.hpp"
#include "hyperpush/error.hpp"

namespace hyperpush::comm {
namespace {

// A rank passing other than its agents' rows would leave the root waiting for numbers that never
// come: refuse it instead (callers pass the same shape on every rank, so every rank throws).
void check_local(const AgentMap& map, int rank, std::size_t numbers, int width) {
  const std::size_t expected = static_cast<std::size_t>(map.count(rank)) * width;
  if (numbers != expected)
    throw Error("gather: rank " + std::to_string(rank) + " passes " + std::to_string(numbers) +
                " numbers for its " + std::to_string(map.count(rank)) + " agents, expected " +
                std::to_string(expected));
}

void layout(const AgentMap& map, int width, std::vector<int>& counts, std::vector<int>& displs) {
  counts.resize(map.ranks());
  displs.resize(map.ranks());
  for (int r = 0; r < map.ranks(); ++r) {
    const long long count = static_cast<long long>(map.count(r)) * width;
    const long long displ = static_cast<long long>(map.first(r)) * width;
    if (displ + count > INT32_MAX) throw Error("gather: more than 2^31 numbers in one gather");
    counts[r] = static_cast<int>(count);
    displs[r] = static_cast<int>(displ);
  }
}

}  // namespace

std::vector<double> allgather_agents(const Communicator& comm, const AgentMap& map,
                                     const std::vector<double>& local, int width) {
  check_local(map, comm.rank(), local.size(), width);
  std::vector<int> counts, displs;
  layout(map, width, counts, displs);
  std::vector<double> all(static_cast<std::size_t>(map.agents()) * width);
  MPI_Allgatherv(local.data(), static_cast<int>(local.size()), MPI_DOUBLE, all.data(),
                 counts.data(), displs.data(), MPI_DOUBLE, to_mpi(comm));
  return all;
}

std::vector<double> gather_agents(const Communicator& comm, const AgentMap& map,
                                  const std::vector<double>& local, int width) {
  const int rank = comm.rank();
  check_local(map, rank, local.size(), width);
  std::vector<int> counts, displs;
  layout(map, width, counts, displs);
  std::vector<double> all(rank == 0 ? static_cast<std::size_t>(map.agents()) * width : 0);
  MPI_Gatherv(local.data(), static_cast<int>(local.size()), MPI_DOUBLE, all.data(), counts.data(),
              displs.data(), MPI_DOUBLE, 0, to_mpi(comm));
  return all;
}

std::vector<std::vector<double>> gather_ragged_agents(
    const Communicator& comm, const AgentMap& map, const std::vector<std::vector<double>>& local) {
  const int rank = comm.rank();
  check_local(map, rank, local.size(), 1);
  std::vector<double> lengths, flat;
  for (const auto& row : local) {
    lengths.push_back(static_cast<double>(row.size()));
    flat.insert(flat.end(), row.begin(), row.end());
  }
  const auto all_lengths = gather_agents(comm, map, lengths, 1);
  std::vector<int> counts(map.ranks(), 0), displs(map.ranks(), 0);
  long long total = 0;
  if (rank == 0) {
    for (int r = 0; r < map.ranks(); ++r) {
      displs[r] = static_cast<int>(total);
      for (int i = map.first(r); i < map.first(r) + map.count(r); ++i)
        counts[r] += static_cast<int>(all_lengths[i]);
      total += counts[r];
    }
    if (total > INT32_MAX) throw Error("gather: more than 2^31 numbers in one gather");
  }
  std::vector<double> all(static_cast<std::size_t>(total));
  MPI_Gatherv(flat.data(), static_cast<int>(flat.size()), MPI_DOUBLE, all.data(), counts.data(),
              displs.data(), MPI_DOUBLE, 0, to_mpi(comm));
  std::vector<std::vector<double>> rows;
  std::size_t at = 0;
  for (const double length : all_lengths) {
    rows.emplace_back(all.begin() + at, all.begin() + at + static_cast<std::size_t>(length));
    at += static_cast<std::size_t>(length);
  }
  return rows;
}

std::vector<double> max_over_ranks(const Communicator& comm, const std::vector<double>& values) {
  // Each value v travels as (isnan(v), v or −∞): MAX over both keeps every NaN.
  const std::size_t count = values.size();
  std::vector<double> local(2 * count), global(2 * count);
  for (std::size_t k = 0; k < count; ++k) {
    local[k] = std::isnan(values[k]) ? 1.0 : 0.0;
    local[count + k] = std::isnan(values[k]) ? -INFINITY : values[k];
  }
  MPI_Allreduce(local.data(), global.data(), static_cast<int>(2 * count), MPI_DOUBLE, MPI_MAX,
                to_mpi(comm));
  std::vector<double> out(count);
  for (std::size_t k = 0; k < count; ++k) out[k] = global[k] > 0 ? NAN : global[count + k];
  return out;
}

std::vector<double> sum_in_agent_order(const std::vector<double>& rows, int agents, int width) {
  std::vector<double> sum(width, 0.0);
  for (int i = 0; i < agents; ++i)
    for (int k = 0; k < width; ++k) sum[k] += rows[static_cast<std::size_t>(i) * width + k];
  return sum;
}

}  // namespace hyperpush::comm

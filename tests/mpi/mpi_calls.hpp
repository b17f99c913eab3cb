#pragma once
// PMPI interposition (mpi_calls.cpp): the test binary's own MPI_Isend & co. record every call and
// forward to PMPI_*, so tests see exactly what crossed MPI from this rank.
#include <cstdint>
#include <map>
#include <vector>

namespace hyperpush::test {

struct MpiCalls {
  std::map<int, int> isend_count;            // destination rank → messages
  std::map<int, std::int64_t> isend_bytes;   // destination rank → bytes
  std::map<int, int> irecv_count;            // source rank → messages
  std::vector<std::int64_t> isend_sizes;     // bytes of every MPI_Isend, in call order
  int blocking_point_to_point = 0;           // MPI_Send, MPI_Recv, MPI_Sendrecv
  int collectives = 0;                       // any collective call
  int probes = 0;                            // MPI_Probe, MPI_Iprobe, MPI_Mprobe, MPI_Improbe
};

// Calls recorded since the last reset (only while recording is on).
MpiCalls& mpi_calls();
void start_recording();
void stop_recording();

}  // namespace hyperpush::test

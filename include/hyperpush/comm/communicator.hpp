#pragma once
// The ranks of a run as every layer above comm sees them (one small facade over the transport, as
// LightGBM's Network): which rank this is, how many there are, and — in comm/gather.hpp — the few
// collectives the algorithms and tasks need (gathers in agent order, a NaN-aware max). It names an
// MPI communicator without exposing it, so consensus/, bilevel/ and explain/ include no <mpi.h>;
// code that calls MPI itself converts with comm/mpi_communicator.hpp. A Communicator is a plain
// value and owns nothing: copies name the same ranks (an Exchange duplicates it, and frees only its
// duplicate).
#include <cstdint>

namespace hyperpush::comm {

class Communicator {
 public:
  // Every rank of the job (MPI_COMM_WORLD).
  static Communicator world();
  // This rank alone (MPI_COMM_SELF): a one-rank run inside a larger job (tests, replays).
  static Communicator self();

  int rank() const { return rank_; }
  int size() const { return size_; }

  // This rank's index among the ranks on its node, for picking a GPU (local rank mod device
  // count). Collective.
  int node_rank() const;

 private:
  friend struct MpiHandle;  // the conversions to and from MPI (communicator.cpp)
  Communicator(std::uintptr_t handle, int rank, int size)
      : handle_(handle), rank_(rank), size_(size) {}

  std::uintptr_t handle_;  // the MPI_Comm's bits (a pointer in Open MPI, an int in MPICH)
  int rank_, size_;
};

}  // namespace hyperpush::comm

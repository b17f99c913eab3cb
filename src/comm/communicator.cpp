#include <cstring>

#include "hyperpush/comm/mpi_communicator.hpp"

namespace hyperpush::comm {

// MPI_Comm is an opaque handle of the implementation's choice; its bits travel in a uintptr_t so
// that communicator.hpp needs no <mpi.h>.
static_assert(sizeof(MPI_Comm) <= sizeof(std::uintptr_t), "MPI_Comm wider than a pointer");

struct MpiHandle {
  static Communicator wrap(MPI_Comm comm) {
    std::uintptr_t bits = 0;
    std::memcpy(&bits, &comm, sizeof comm);
    int rank = 0, size = 1;
    if (comm != MPI_COMM_NULL) {
      MPI_Comm_rank(comm, &rank);
      MPI_Comm_size(comm, &size);
    }
    return Communicator(bits, rank, size);
  }
  static MPI_Comm unwrap(const Communicator& communicator) {
    MPI_Comm comm;
    std::memcpy(&comm, &communicator.handle_, sizeof comm);
    return comm;
  }
};

Communicator from_mpi(MPI_Comm comm) { return MpiHandle::wrap(comm); }

MPI_Comm to_mpi(const Communicator& communicator) { return MpiHandle::unwrap(communicator); }

Communicator Communicator::world() { return from_mpi(MPI_COMM_WORLD); }

Communicator Communicator::self() { return from_mpi(MPI_COMM_SELF); }

int Communicator::node_rank() const {
  MPI_Comm node;
  MPI_Comm_split_type(to_mpi(*this), MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int rank = 0;
  MPI_Comm_rank(node, &rank);
  MPI_Comm_free(&node);
  return rank;
}

}  // namespace hyperpush::comm

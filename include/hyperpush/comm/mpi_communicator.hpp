#pragma once
// Between a comm::Communicator and the MPI communicator it names, for the code that calls MPI
// itself: the comm layer's sources, the app's own collectives and tests. Nothing in consensus/,
// bilevel/ or explain/ includes it.
#include <mpi.h>

#include "hyperpush/comm/communicator.hpp"

namespace hyperpush::comm {

// The ranks of `comm` (not owned: the caller keeps it alive and frees it).
Communicator from_mpi(MPI_Comm comm);
MPI_Comm to_mpi(const Communicator& communicator);

}  // namespace hyperpush::comm

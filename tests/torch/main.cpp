// The torch backend's tests: one process (mpiexec -n 1), MPI initialized for the hyper-gradient
// test's one-rank Gossip.
#include <gtest/gtest.h>
#include <mpi.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  MPI_Finalize();
  return failed;
}

#include "mpi_calls.hpp"

#include <mpi.h>

namespace hyperpush::test {
namespace {
MpiCalls calls;
bool recording = false;

int bytes_of(int count, MPI_Datatype type) {
  int size = 0;
  PMPI_Type_size(type, &size);
  return count * size;
}

// The rank in MPI_COMM_WORLD of `rank` in `comm` (the exchange uses a duplicate of the world).
int world_rank(MPI_Comm comm, int rank) {
  MPI_Group group, world;
  PMPI_Comm_group(comm, &group);
  PMPI_Comm_group(MPI_COMM_WORLD, &world);
  int out = MPI_UNDEFINED;
  PMPI_Group_translate_ranks(group, 1, &rank, world, &out);
  PMPI_Group_free(&group);
  PMPI_Group_free(&world);
  return out;
}

void collective() {
  if (recording) ++calls.collectives;
}
}  // namespace

MpiCalls& mpi_calls() { return calls; }
void start_recording() {
  calls = MpiCalls{};
  recording = true;
}
void stop_recording() { recording = false; }

}  // namespace hyperpush::test

using hyperpush::test::calls;
using hyperpush::test::collective;
using hyperpush::test::recording;

extern "C" {

int MPI_Isend(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm,
              MPI_Request* request) {
  if (recording) {
    const int to = hyperpush::test::world_rank(comm, dest);
    ++calls.isend_count[to];
    calls.isend_bytes[to] += hyperpush::test::bytes_of(count, type);
    calls.isend_sizes.push_back(hyperpush::test::bytes_of(count, type));
  }
  return PMPI_Isend(buf, count, type, dest, tag, comm, request);
}

int MPI_Irecv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm,
              MPI_Request* request) {
  if (recording) ++calls.irecv_count[hyperpush::test::world_rank(comm, source)];
  return PMPI_Irecv(buf, count, type, source, tag, comm, request);
}

int MPI_Send(const void* buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  if (recording) ++calls.blocking_point_to_point;
  return PMPI_Send(buf, count, type, dest, tag, comm);
}

int MPI_Recv(void* buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm,
             MPI_Status* status) {
  if (recording) ++calls.blocking_point_to_point;
  return PMPI_Recv(buf, count, type, source, tag, comm, status);
}

int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status* status) {
  if (recording) ++calls.probes;
  return PMPI_Probe(source, tag, comm, status);
}

int MPI_Iprobe(int source, int tag, MPI_Comm comm, int* flag, MPI_Status* status) {
  if (recording) ++calls.probes;
  return PMPI_Iprobe(source, tag, comm, flag, status);
}

int MPI_Barrier(MPI_Comm comm) {
  collective();
  return PMPI_Barrier(comm);
}

int MPI_Bcast(void* buf, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  collective();
  return PMPI_Bcast(buf, count, type, root, comm);
}

int MPI_Allreduce(const void* in, void* out, int count, MPI_Datatype type, MPI_Op op,
                  MPI_Comm comm) {
  collective();
  return PMPI_Allreduce(in, out, count, type, op, comm);
}

int MPI_Reduce(const void* in, void* out, int count, MPI_Datatype type, MPI_Op op, int root,
               MPI_Comm comm) {
  collective();
  return PMPI_Reduce(in, out, count, type, op, root, comm);
}

int MPI_Allgather(const void* in, int in_count, MPI_Datatype in_type, void* out, int out_count,
                  MPI_Datatype out_type, MPI_Comm comm) {
  collective();
  return PMPI_Allgather(in, in_count, in_type, out, out_count, out_type, comm);
}

int MPI_Gatherv(const void* in, int in_count, MPI_Datatype in_type, void* out, const int* counts,
                const int* displs, MPI_Datatype out_type, int root, MPI_Comm comm) {
  collective();
  return PMPI_Gatherv(in, in_count, in_type, out, counts, displs, out_type, root, comm);
}

int MPI_Allgatherv(const void* in, int in_count, MPI_Datatype in_type, void* out,
                   const int* counts, const int* displs, MPI_Datatype out_type, MPI_Comm comm) {
  collective();
  return PMPI_Allgatherv(in, in_count, in_type, out, counts, displs, out_type, comm);
}

int MPI_Alltoall(const void* in, int in_count, MPI_Datatype in_type, void* out, int out_count,
                 MPI_Datatype out_type, MPI_Comm comm) {
  collective();
  return PMPI_Alltoall(in, in_count, in_type, out, out_count, out_type, comm);
}

int MPI_Neighbor_alltoallv(const void* in, const int* in_counts, const int* in_displs,
                           MPI_Datatype in_type, void* out, const int* out_counts,
                           const int* out_displs, MPI_Datatype out_type, MPI_Comm comm) {
  collective();
  return PMPI_Neighbor_alltoallv(in, in_counts, in_displs, in_type, out, out_counts, out_displs,
                                 out_type, comm);
}

}  // extern "C"

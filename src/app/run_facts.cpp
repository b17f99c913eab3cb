#include "run_facts.hpp"

#include <unistd.h>

#include "hyperpush/app/library_threads.hpp"

namespace hyperpush::app {

nlohmann::json run_facts(const RunContext& context) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const LibraryThreads threads = library_threads();
  const auto known = [](int count) { return count < 0 ? nlohmann::json() : nlohmann::json(count); };
  return {{"ranks", context.ranks},
          {"host", host},
          {"threads",
           {{"requested", threads.requested},
            {"blas", threads.blas},
            {"blas_threads", known(threads.blas_threads)},
            {"openmp_threads", known(threads.openmp_threads)}}}};
}

nlohmann::json wire_facts(const RunContext& context, const comm::WireTraffic& wire) {
  std::int64_t local[2] = {wire.messages, wire.bytes}, total[2] = {0, 0};
  MPI_Reduce(local, total, 2, MPI_INT64_T, MPI_SUM, 0, context.comm);
  if (context.rank != 0) return {};
  return {{"mpi_messages", total[0]}, {"mpi_bytes", total[1]}};
}

}  // namespace hyperpush::app

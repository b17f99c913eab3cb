#include "run_facts.hpp"

#include <mpi.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

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

void add_phase_times(PhaseTimes& into, const consensus::Gossip& gossip) {
  for (const auto& [label, time] : gossip.phase_times()) {
    into[label].seconds += time.seconds;
    into[label].push_seconds += time.push_seconds;
  }
}

nlohmann::json phase_facts(const RunContext& context, const PhaseTimes& times) {
  std::vector<double> mine;
  for (const auto& [label, time] : times)
    mine.insert(mine.end(), {time.seconds, time.push_seconds});
  std::vector<double> slowest(mine.size());
  MPI_Reduce(mine.data(), slowest.data(), static_cast<int>(mine.size()), MPI_DOUBLE, MPI_MAX, 0,
             context.comm);
  if (context.rank != 0) return {};
  nlohmann::json phases = nlohmann::json::object();
  std::size_t at = 0;
  for (const auto& [label, time] : times) {
    phases[label] = {{"seconds", slowest[at]}, {"push_seconds", slowest[at + 1]}};
    at += 2;
  }
  return {{"phases", phases}};
}

nlohmann::json memory_facts(const RunContext& context) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double rss_mb = static_cast<double>(usage.ru_maxrss) / 1024;  // ru_maxrss: KiB on Linux
  std::vector<double> rss(static_cast<std::size_t>(context.ranks));
  MPI_Gather(&rss_mb, 1, MPI_DOUBLE, rss.data(), 1, MPI_DOUBLE, 0, context.comm);
  if (context.rank != 0) return {};
  return {{"max_rss_mb", rss}};
}

}  // namespace hyperpush::app

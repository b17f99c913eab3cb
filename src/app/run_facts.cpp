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

}  // namespace hyperpush::app

// Thread pinning of BLAS and OpenMP through their runtime setters (library_threads.hpp).
#include "hyperpush/app/library_threads.hpp"

#include <dlfcn.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace hyperpush::app {
namespace {

int requested_threads = 1;

// A function of the process (any loaded library) by name, or null.
template <typename Fn>
Fn* symbol(const char* name) {
  return reinterpret_cast<Fn*>(dlsym(RTLD_DEFAULT, name));
}

std::string library_file_of(const char* name) {
  Dl_info info{};
  void* address = dlsym(RTLD_DEFAULT, name);
  if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  char resolved[PATH_MAX];
  return realpath(info.dli_fname, resolved) != nullptr ? resolved : info.dli_fname;
}

}  // namespace

void pin_library_threads(int threads) {
  requested_threads = threads;
  const std::string count = std::to_string(threads);
  for (const char* variable : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "BLIS_NUM_THREADS", "GOTO_NUM_THREADS"})
    setenv(variable, count.c_str(), 1);
  if (auto* set = symbol<void(int)>("openblas_set_num_threads")) set(threads);
  if (auto* set = symbol<void(std::int64_t)>("bli_thread_set_num_threads")) set(threads);
  if (auto* set = symbol<void(int)>("MKL_Set_Num_Threads")) set(threads);
  if (auto* set = symbol<void(int)>("omp_set_num_threads")) set(threads);
}

LibraryThreads library_threads() {
  LibraryThreads facts;
  facts.requested = requested_threads;
  facts.blas = library_file_of("dgemm_");
  if (auto* get = symbol<int()>("openblas_get_num_threads"))
    facts.blas_threads = get();
  else if (auto* get = symbol<std::int64_t()>("bli_thread_get_num_threads"))
    facts.blas_threads = static_cast<int>(get());
  else if (auto* get = symbol<int()>("MKL_Get_Max_Threads"))
    facts.blas_threads = get();
  if (auto* get = symbol<int()>("omp_get_max_threads")) facts.openmp_threads = get();
  return facts;
}

}  // namespace hyperpush::app

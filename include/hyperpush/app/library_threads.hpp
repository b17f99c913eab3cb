#pragma once
// Thread counts of the numerical libraries a rank loads (BLAS, OpenMP), set by the program itself.
//
// Why: a threaded BLAS (OpenBLAS-pthread is Debian's default once LibTorch or numpy is installed)
// splits a GEMM's sums over as many threads as it sees, and the order of a floating-point sum
// decides its last bits. Results are byte-identical across rank counts only if every rank sums in
// the same order, so every rank runs its libraries with one thread, whatever the machine has and
// whatever OPENBLAS_NUM_THREADS / OMP_NUM_THREADS the user's environment says. A config asking for
// more (`threads` > 1) gets them, and loses that guarantee.
//
// How: the environment variables the libraries read (for libraries and processes started later),
// and the runtime setters of the ones already loaded (OpenBLAS, BLIS, MKL, OpenMP), found by name
// in the process (nothing is linked for it: a missing library is simply not there). LibTorch's own
// pools are set by the torch backend (TorchSpec::threads).
#include <string>

namespace hyperpush::app {

// What the loaded libraries report after pin_library_threads.
struct LibraryThreads {
  int requested = 1;
  std::string blas;         // the file the BLAS symbols come from, or "" when none is loaded
  int blas_threads = -1;    // from OpenBLAS, BLIS or MKL; -1 when the BLAS has no thread control
  int openmp_threads = -1;  // omp_get_max_threads(); -1 when no OpenMP runtime is loaded
};

// Sets every known library to `threads` threads (≥ 1). Call before any BLAS work.
void pin_library_threads(int threads);
LibraryThreads library_threads();

}  // namespace hyperpush::app

#!/usr/bin/env bash
# The sanitizer build (ASan + UBSan, Debug, without LibTorch and CUDA) and the test suite under it.
# Open MPI leaks about 120 KB at exit even in correct programs: tests/lsan.supp suppresses it (full
# stack unwinding is needed for the suppressions to match frames inside Open MPI's libraries).
# Usage: scripts/sanitize.sh [ctest arguments, e.g. -R mpi]
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
[[ -f build-asan/CMakeCache.txt ]] ||
  cmake -S . -B build-asan "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DHYPERPUSH_SANITIZE=ON \
    -DHYPERPUSH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if ((EUID == 0)); then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
ctest --test-dir build-asan --output-on-failure -j "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)" "$@"

#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole test suite (unit, MPI on 1, 2
# and 4 ranks, end-to-end), then fuzz each reader 20 seconds (scripts/fuzz.sh; skipped, with one
# line saying why, where clang 14's libFuzzer cannot be installed, and when CTest arguments ask for
# part of the suite). Exits non-zero when any test fails or fuzzing finds a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
if ((EUID == 0)); then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Decided (and the toolchain installed) before CTest, so that CTest's summary closes its output
# when fuzzing is skipped.
fuzz=0
if (($# > 0)); then
  echo "test: fuzzing not run: CTest arguments ($*) ask for part of the suite"
elif scripts/fuzz.sh --check; then
  fuzz=1
fi
ctest --test-dir build --output-on-failure -j "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)" "$@"
if ((fuzz)); then
  scripts/fuzz.sh 20
fi

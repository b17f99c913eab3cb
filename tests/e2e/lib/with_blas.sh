#!/usr/bin/env bash
# Runs an e2e script with the BLAS (and LAPACK) of the given folders in front of the system's, in a
# user environment that asks for 4 threads: the program must pin every library to one thread
# itself (src/app/library_threads.cpp), so the script's byte-identity checks hold whatever BLAS the
# machine has. Usage: with_blas.sh DIRS SCRIPT BIN SRC   (DIRS: a LD_LIBRARY_PATH list)
set -euo pipefail
dirs=$1 script=$2; shift 2
blas_dir=${dirs%%:*}
if [[ ! -e $blas_dir/libblas.so.3 ]]; then
  echo "SKIPPED: no BLAS in $blas_dir (scripts/install-deps.sh installs libopenblas0-pthread and libblas3)"
  exit 0
fi
export LD_LIBRARY_PATH=$dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OPENBLAS_NUM_THREADS=4 OMP_NUM_THREADS=4 MKL_NUM_THREADS=4
export HYPERPUSH_EXPECT_BLAS_DIR=$blas_dir
exec bash "$script" "$@"

#!/usr/bin/env bash
# The Python module's tests (test_hyperpush.py) under pytest on RANKS ranks, against results the
# CLI wrote first (same configs, same ranks): run.sh HYPERPUSH_BIN SOURCE_DIR MODULE_DIR RANKS
set -euo pipefail
bin=$1 src=$2 module=$3 ranks=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
common=(--set output.progress=false)
"$src/scripts/mpirun.sh" "$ranks" "$bin" run "$src/experiments/average.toml" --set agents=8 \
  "${common[@]}" --out "$work/cli-average" >/dev/null
"$src/scripts/mpirun.sh" "$ranks" "$bin" run "$src/experiments/hypergradient-quadratic.toml" \
  "${common[@]}" --out "$work/cli-hypergradient" >/dev/null
"$bin" topology "$src/experiments/average.toml" --set agents=16 --set seed=3 \
  --set topology.kind=random-directed --rounds 0:6 --export "$work/schedule.txt" >/dev/null
cd "$work"  # dict configs are written to the working directory
HYPERPUSH_CLI_RESULTS=$work HYPERPUSH_SOURCE_DIR=$src PYTHONPATH=$module \
  "$src/scripts/mpirun.sh" "$ranks" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  "$src/tests/python/test_hyperpush.py"
# A script that started MPI itself (mpi4py) first: the module uses that MPI and leaves it to mpi4py.
PYTHONPATH=$module "$src/scripts/mpirun.sh" "$ranks" /usr/bin/python3 -c "
from mpi4py import MPI
import numpy as np
import hyperpush
assert hyperpush.rank() == MPI.COMM_WORLD.Get_rank() and hyperpush.ranks() == $ranks
e = hyperpush.push_sum(np.eye(4), rounds=20)
assert np.abs(e - 0.25).max() < 1e-12, e
if hyperpush.rank() == 0: print('mpi4py first: the same MPI, averages exact')
"

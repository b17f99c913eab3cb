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

# `hyperpush plot` on a results folder of every task: a PNG each (one rank does it).
((ranks == 1)) || exit 0
quiet=(--set output.progress=false)
"$bin" run "$src/experiments/quickstart.toml" "${quiet[@]}" --set outer.steps=2 \
  --out "$work/cli-hpo" >/dev/null
"$bin" run "$src/experiments/quickstart.toml" "${quiet[@]}" --set task=tree \
  --set tree.epsilons="greedy, logspace(-3, 0, 4)" --set tree.remove=1 --set tree.trials=5 \
  --out "$work/cli-tree" >/dev/null
"$bin" run "$src/experiments/explain/explain.toml" "${quiet[@]}" --out "$work/cli-explain" >/dev/null
"$bin" run "$src/experiments/influence/config.toml" "${quiet[@]}" --set agents=4 \
  --set data.samples_per_agent=20 --set influence.top=5 --set influence.random=5 \
  --out "$work/cli-influence" >/dev/null
for task in average hpo hypergradient tree explain influence; do
  "$bin" plot "$work/cli-$task" --out "$work/$task.png" >/dev/null
  size=$(stat -c %s "$work/$task.png")
  [[ $(head -c 8 "$work/$task.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] &&
    ((size > 10000)) || { echo "plot $task: not a PNG of some size ($size bytes)" >&2; exit 1; }
  echo "plot $task: $size bytes"
done
expected="hyperpush: error: $work/nothing/summary.json: no such file (a hyperpush results folder has summary.json)"
status=0; message=$("$bin" plot "$work/nothing" 2>&1) || status=$?
[[ $status == 2 && $message == "$expected" ]] ||
  { echo "plot of no folder: exit $status, '$message'" >&2; exit 1; }
[[ ! -e "$work/nothing" ]] || { echo "plot of no folder wrote something" >&2; exit 1; }
echo "plot: every task drawn; a missing folder refused with exit 2"

# The README's Python example prints what the README shows.
cd "$src"
PYTHONPATH=$module /usr/bin/python3 examples/python/quickstart.py > "$work/example.txt"
sed -n '/^validation loss .* -> /,/^push-sum estimate/p' README.md > "$work/shown.txt"
diff "$work/shown.txt" "$work/example.txt" ||
  { echo "README.md's Python example output is stale: paste examples/python/quickstart.py's" >&2; exit 1; }
echo "README Python example output matches"

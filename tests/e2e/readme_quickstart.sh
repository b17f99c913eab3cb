#!/usr/bin/env bash
# The quickstart output shown in the README is what command 1 prints today (on 4 ranks, apart from
# the results folder it names).
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$src/scripts/mpirun.sh" 4 "$bin" run "$src/experiments/quickstart.toml" --set output.progress=false \
  --out results/quickstart > printed.txt
sed -n '/^hyperpush hpo: hgp, 8 agents on 4 ranks/,/^results: /p' "$src/README.md" > shown.txt
diff shown.txt printed.txt ||
  { echo "README.md's quickstart output is stale: paste the output of command 1"; exit 1; }
echo "README quickstart output matches the program's"

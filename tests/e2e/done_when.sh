#!/usr/bin/env bash
# The foundation's acceptance runs: 64 agents on a random directed schedule and 1,024 agents on the
# one-peer exponential schedule, each on 4 ranks, reach consensus error < 1e-12 (the second within a
# minute, enforced by `timeout`).
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() {
  local err
  err=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["consensus_error"])' "$1")
  /usr/bin/python3 -c 'import sys; e=float(sys.argv[1]); sys.exit(0 if e < 1e-12 else 1)' "$err" \
    || { echo "consensus error $err >= 1e-12 in $1"; exit 1; }
  echo "$2: consensus error $err"
}
"$src/scripts/mpirun.sh" 4 "$bin" run "$src/experiments/average.toml" --set agents=64 \
  --set topology.kind=random-directed --set output.progress=false --out "$tmp/a" >/dev/null
check "$tmp/a/summary.json" "64 agents, random-directed"
timeout 60 "$src/scripts/mpirun.sh" 4 "$bin" run "$src/experiments/average.toml" \
  --set agents=1024 --set topology.kind=one-peer-exponential --set output.progress=false \
  --out "$tmp/b" >/dev/null
check "$tmp/b/summary.json" "1024 agents, one-peer-exponential"

#!/usr/bin/env bash
# An exported schedule replayed by an independent numpy implementation gives the same push-sum
# iterates as hyperpush (on 2 ranks) after 1, 2 and 20 rounds, to 1e-12.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for kind in random-directed one-peer-exponential; do
  args=(--set agents=9 --set seed=7 --set average.dim=5 --set topology.kind=$kind
        --set output.progress=false)
  "$bin" topology "$src/experiments/average.toml" "${args[@]}" --rounds 0:20 \
    --export "$tmp/schedule.txt" >/dev/null
  checks=()
  for rounds in 1 2 20; do
    "$src/scripts/mpirun.sh" 2 "$bin" run "$src/experiments/average.toml" "${args[@]}" \
      --set average.rounds=$rounds --set average.estimates=true --out "$tmp/r$rounds" >/dev/null
    checks+=($rounds "$tmp/r$rounds/estimates.json")
  done
  echo "$kind:"
  /usr/bin/python3 "$src/tests/e2e/replay_push_sum.py" "$tmp/schedule.txt" 7 5 "${checks[@]}"
done

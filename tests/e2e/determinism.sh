#!/usr/bin/env bash
# Same config and seed: result files byte-identical for 1, 2 and 4 ranks, with 8 and 13 agents, on
# a random and a deterministic time-varying schedule (timings.json is allowed to differ).
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for kind in random-directed one-peer-exponential; do
  for agents in 8 13; do
    for np in 1 2 4; do
      "$src/scripts/mpirun.sh" $np "$bin" run "$src/experiments/average.toml" \
        --set agents=$agents --set topology.kind=$kind --set average.estimates=true \
        --set average.metrics_every=1 --set output.progress=false --out "$tmp/np$np" >/dev/null
    done
    for file in summary.json metrics.jsonl estimates.json config.resolved.toml; do
      cmp "$tmp/np1/$file" "$tmp/np2/$file"
      cmp "$tmp/np1/$file" "$tmp/np4/$file"
    done
    echo "$kind, $agents agents: identical on 1, 2 and 4 ranks"
  done
done

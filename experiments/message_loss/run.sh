#!/usr/bin/env bash
# Message loss (faults.drop): consensus error vs rounds of the 64-agent `average` task for loss
# probabilities p ∈ {0, 0.1, 0.3, 0.5}, plain push-sum against robust push-sum (consensus.robust),
# on experiments/average.toml's schedule (random-directed). Behind docs/faults.md, "Message loss".
#
#   bash experiments/message_loss/run.sh [OUT]       # from the repository root; OUT = results/message_loss
#
# Writes OUT/runs/<plain|robust>-p<p>/ (each run's result folder), OUT/message_loss.png (the figure
# of docs/figures/message_loss.png) and OUT/rounds.md (rounds to 1e-12 at each p). Environment:
# NP (MPI ranks, default 2; the results are the same bits for any NP), HYPERPUSH (the executable,
# default build/bin/hyperpush), ROUNDS (default 300). About 10 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-results/message_loss}
bin=${HYPERPUSH:-$root/build/bin/hyperpush}
np=${NP:-2}
rounds=${ROUNDS:-300}
mkdir -p "$out/runs"
for p in 0 0.1 0.3 0.5; do
  for mode in plain robust; do
    robust=false; [[ $mode == robust ]] && robust=true
    "$root/scripts/mpirun.sh" "$np" "$bin" run "$root/experiments/average.toml" --set agents=64 \
      --set average.rounds="$rounds" --set average.metrics_every=1 --set faults.drop="$p" \
      --set consensus.robust=$robust --set output.progress=false \
      --out "$out/runs/$mode-p$p" >/dev/null
  done
done
/usr/bin/python3 "$here/plot.py" "$out"

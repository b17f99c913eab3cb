#!/usr/bin/env bash
# Compressed push-sum (issue 14, part 4): error against bytes sent for every compressor, on the
# paper's random directed graph and on the one-peer exponential graph, 16 agents.
#
#   bash experiments/compression/run.sh          # from the repository root, ~6 min on 2 cores
#   experiments/compression/plot.py              # figures + table from the runs
#
# 1. Averaging (average.toml: d = 1e5): per topology, one run per compressor with the consensus error
#    of every round (metrics.jsonl), and the schedule's edges per round (topology --export), from
#    which plot.py counts the bytes sent up to each round (every message of a run has the same size:
#    summary.json's bytes_sent / messages_sent). topk / randk keep 10% of the numbers, at the
#    steps (consensus.compress_step) that converge: larger ones make the estimates worse.
# 2. HGP (hypergradient.toml: d = 101, depth 100): per topology and compressor, one hyper-gradient
#    per S ∈ S_LIST (push-sum rounds per average); error against the exact formula and bytes_sent.
#    A run whose Neumann recursion diverges (q4 at S = 1: averages too coarse) ends with exit 5;
#    its log is kept and DIR.diverged marks it.
#
# Writes to $OUT (results/compression): schedules/<topology>.txt, runs/average_<topology>_<codec>/
# and runs/hgp_<topology>_<codec>_S<S>/ (each run's result folder). Environment: NP (ranks per run,
# default 2; the results are the same bits on any NP), JOBS (runs at a time, default 1), OUT,
# S_LIST.
set -euo pipefail
cd "$(dirname "$0")/../.."

NP=${NP:-2}
JOBS=${JOBS:-1}
OUT=${OUT:-results/compression}
S_LIST=${S_LIST:-"1 2 3 4 6 8 10 15 20 30 40"}
TOPOLOGIES="random-directed one-peer-exponential"
source experiments/lib/runs.sh

rm -rf "$OUT/runs" "$OUT/schedules"
mkdir -p "$OUT/runs" "$OUT/schedules"
# codec, step, rounds
AVERAGE_CODECS=("none 1 40" "q8 1 40" "q4 1 60" "topk:10000 0.2 100" "randk:10000 0.05 100")
{
  for topology in $TOPOLOGIES; do
    for spec in "${AVERAGE_CODECS[@]}"; do
      read -r codec step rounds <<<"$spec"
      echo "$OUT/runs/average_${topology}_${codec/:/-} experiments/compression/average.toml" \
        "--set topology.kind=$topology --set consensus.compress=$codec" \
        "--set consensus.compress_step=$step --set average.rounds=$rounds"
    done
    for codec in none q8 q4; do
      for s in $S_LIST; do
        echo "$OUT/runs/hgp_${topology}_${codec}_S$s experiments/compression/hypergradient.toml" \
          "--set topology.kind=$topology --set consensus.compress=$codec" \
          "--set hypergradient.push_rounds=$s"
      done
    done
  done
} | xargs -P "$JOBS" -L 1 bash -c '
  dir=$1 cfg=$2; shift 2
  code=0
  hyperpush_run '"$NP"' "$dir" "$cfg" "$@" 2>/dev/null || code=$?
  if [[ $code != 0 ]]; then
    [[ $dir == */hgp_* ]] && grep -q "^hyperpush: error: hgp diverged" "$dir.log" || exit 255
    touch "$dir.diverged"
  fi' _
for topology in $TOPOLOGIES; do
  "$BIN" topology experiments/compression/average.toml --set topology.kind=$topology \
    --rounds 0:100 --export "$OUT/schedules/$topology.txt" >/dev/null
done
echo "runs in $OUT/runs; now: $PY experiments/compression/plot.py $OUT"

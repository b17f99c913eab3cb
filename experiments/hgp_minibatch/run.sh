#!/usr/bin/env bash
# Experiment 1 of Terashita & Hara 2023, its minibatch half: HGP hyper-gradient error vs depth m for
# S ∈ {1, 2, 5, 10, 100}, full batch and minibatches of 20 (hypergradient.batch = 20 of the 100
# training samples per agent, drawn anew at every Neumann step), 10 seeds.
#
#   bash experiments/hgp_minibatch/run.sh         # from the repository root, ~1 min on 2 cores
#   experiments/hgp_minibatch/plot.py             # figure + table from the runs
#
# Config: experiments/hgp_error_vs_depth/config.toml (3 agents, synthetic mixture, logistic + per-
# agent L2, random-directed, inner problem solved exactly). α is fixed per seed as in
# experiments/hgp_error_vs_depth/run.sh: 1/(1.05 λ̂) from a full-batch calibration run with S = 100
# (so the minibatch runs spend no product on the power iteration). One run of depth M = 200 per
# (seed, S, batch) writes the error at every depth m ≤ M (metrics.jsonl), against the exact
# full-batch hyper-gradient at the same point.
#
# Writes to $OUT (results/hgp_minibatch): runs/seed<seed>_S<S>_b<batch>/ and alpha.csv.
# Environment: NP (ranks per run, default 1), JOBS (runs at a time, default 4: mostly MPI
# start-up), SEEDS, S_LIST, BATCHES (default "0 20"; 0 = full batch), OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."

NP=${NP:-1}
JOBS=${JOBS:-4}
SEEDS=${SEEDS:-"0 1 2 3 4 5 6 7 8 9"}
S_LIST=${S_LIST:-"1 2 5 10 100"}
BATCHES=${BATCHES:-"0 20"}
OUT=${OUT:-results/hgp_minibatch}
CFG=experiments/hgp_error_vs_depth/config.toml
source experiments/lib/runs.sh

rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"
one() {  # NP DIR SEED S ALPHA [--set ...]
  local np=$1 dir=$2 seed=$3 s=$4 alpha=$5
  shift 5
  hyperpush_run "$np" "$dir" "$CFG" --set seed="$seed" --set hypergradient.push_rounds="$s" \
    --set hypergradient.alpha="$alpha" "$@"
}
export -f one
export CFG

for seed in $SEEDS; do echo "$NP $OUT/runs/alpha_seed$seed $seed 100 0 --set hypergradient.depth=1"; done |
  xargs -P "$JOBS" -L 1 bash -c 'one "$@"' _
declare -A ALPHA
{
  echo "seed,alpha"
  for seed in $SEEDS; do
    ALPHA[$seed]=$(json_field "$OUT/runs/alpha_seed$seed/summary.json" alpha)
    echo "$seed,${ALPHA[$seed]}"
  done
} >"$OUT/.alpha.csv"
mv -f "$OUT/.alpha.csv" "$OUT/alpha.csv"

for seed in $SEEDS; do
  for s in $S_LIST; do
    for b in $BATCHES; do
      echo "$NP $OUT/runs/seed${seed}_S${s}_b$b $seed $s ${ALPHA[$seed]} --set hypergradient.depth=200 --set hypergradient.batch=$b"
    done
  done
done | xargs -P "$JOBS" -L 1 bash -c 'one "$@"' _
echo "runs in $OUT/runs; now: $PY experiments/hgp_minibatch/plot.py $OUT"

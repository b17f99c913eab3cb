#!/usr/bin/env bash
# Decentralized influence estimation (issue 14, part 1; the HGP paper's experiment 2), 16 agents on
# a random directed schedule, logistic regression with per-sample weights: seeds 0-4 on the
# synthetic mixture and on breast cancer (scikit-learn's, 569 samples dealt to the agents).
#
#   bash experiments/influence/run.sh          # from the repository root
#   experiments/influence/plot.py              # figures + table from the runs
#
# Each run (task influence, experiments/influence/config.toml) removes the 50 training samples of
# largest |∂F/∂λ_k| by HGP and 50 random ones, each alone, retrains with push-DIGing and writes the
# predicted and actual changes of F (influence.json) and R² and Kendall's τ per set for HGP, the
# exact formula and the local-only baseline (summary.json). Then, seed 0 of each data set at HGP
# depths M in DEPTHS without removals: how HGP's ranking of all samples approaches the exact one's.
# Writes $OUT (results/influence)/runs/<dataset>_seed<seed>/ and <dataset>_depth<M>/. Environment: NP (ranks per run,
# default 2), JOBS (runs at a time, default 1), SEEDS, OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
NP=${NP:-2}
JOBS=${JOBS:-1}
SEEDS=${SEEDS:-"0 1 2 3 4"}
DEPTHS=${DEPTHS:-"1 2 5 10 20 50"}
OUT=${OUT:-results/influence}
CFG=experiments/influence/config.toml
source experiments/lib/runs.sh
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"
for dataset in synthetic-mixture breast-cancer; do
  for seed in $SEEDS; do
    echo "$NP $OUT/runs/${dataset}_seed$seed $CFG --set seed=$seed --set data.dataset=$dataset"
  done
  for depth in $DEPTHS; do
    echo "$NP $OUT/runs/${dataset}_depth$depth $CFG --set data.dataset=$dataset" \
      "--set hypergradient.depth=$depth --set influence.top=0 --set influence.random=0"
  done
done | xargs -P "$JOBS" -L 1 bash -c 'hyperpush_run "$@"' _
echo "runs in $OUT/runs; now: $PY experiments/influence/plot.py $OUT"

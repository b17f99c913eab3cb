#!/usr/bin/env bash
# Experiment 1 of Terashita & Hara 2023: HGP hyper-gradient error vs depth m, one line per S.
#
#   bash experiments/hgp_error_vs_depth/run.sh          # from the repository root
#   experiments/hgp_error_vs_depth/plot.py              # figure + table from the CSV
#
# Grid: seeds 0..9 x S in {1, 2, 5, 10, 100} x M in {1, 2, 5, 10, 20, 50, 100, 200} on
# experiments/hgp_error_vs_depth/config.toml (3 agents, synthetic mixture, logistic + per-agent L2,
# random-directed, inner problem solved exactly).
#
# Step size. The spec's setting is alpha = 1/lambda_max(H_bar), the same for every agent. With
# hypergradient.alpha = 0 hyperpush estimates lambda_max by a push-sum power iteration that uses S
# rounds per iteration, so at S = 1 or 2 every agent ends up with a different, inexact alpha_i and
# the power iteration's bytes are counted too. To measure the estimator alone, the runner first
# calibrates alpha once per seed (a run with S = 100, where push-sum is exact to machine precision,
# 30 power iterations; alpha = 1 / (1.05 lambda_hat)) and then fixes hypergradient.alpha to that value
# for every (S, M) of that seed, so bytes_sent is HGP's alone. For comparison it also runs every S at
# M = 200 with the automatic alpha (errors_auto_alpha.csv).
#
# Writes (atomically: a temporary file renamed into place) to $OUT (results/hgp_error_vs_depth):
#   errors.csv             seed,S,M,error,bytes_sent,seconds  (the main grid, fixed alpha)
#   alpha.csv              seed,alpha                         (the calibrated step per seed)
#   errors_auto_alpha.csv  seed,S,M,alpha,error,bytes_sent,seconds (M = 200, automatic alpha)
#   runs/                  every run's result folder (summary.json, hypergradients.json, ...)
# error = summary.json's hypergradient_error (max_i ||v_i - exact_i|| / max_i ||exact_i||, exact at
# the same inner point); seconds = timings.json's seconds_total (the run's own wall time, MPI
# start-up excluded).
#
# Environment: NP (MPI ranks per run, default 1: the 3 agents in one process; results are
# byte-identical for any NP, which the runner checks once against NP = 3), JOBS (runs in parallel,
# default 4: a run is mostly MPI start-up, not CPU), SEEDS, S_LIST, M_LIST, OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."

NP=${NP:-1}
JOBS=${JOBS:-4}
SEEDS=${SEEDS:-"0 1 2 3 4 5 6 7 8 9"}
S_LIST=${S_LIST:-"1 2 5 10 100"}
M_LIST=${M_LIST:-"1 2 5 10 20 50 100 200"}
OUT=${OUT:-results/hgp_error_vs_depth}
CFG=experiments/hgp_error_vs_depth/config.toml
source experiments/lib/runs.sh

start=$(date +%s)
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"

# One run: NP DIR SEED S M ALPHA [extra --set ...].
run_one() {
  local np=$1 dir=$2 seed=$3 s=$4 m=$5 alpha=$6
  shift 6
  hyperpush_run "$np" "$dir" "$CFG" --set seed="$seed" --set hypergradient.push_rounds="$s" \
    --set hypergradient.depth="$m" --set hypergradient.alpha="$alpha" "$@"
}
export -f run_one
export CFG

# 1. alpha per seed: automatic alpha with S = 100 (exact averaging), depth 1.
echo "calibrating alpha (S = 100 power iteration) for seeds: $SEEDS"
for seed in $SEEDS; do
  echo "$NP $OUT/runs/alpha_seed$seed $seed 100 1 0"
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _
declare -A ALPHA
alpha_tmp=$(mktemp "$OUT/.alpha.csv.XXXXXX")
trap 'rm -f "$alpha_tmp"' EXIT
chmod 644 "$alpha_tmp"
echo "seed,alpha" >"$alpha_tmp"
for seed in $SEEDS; do
  ALPHA[$seed]=$(json_field "$OUT/runs/alpha_seed$seed/summary.json" alpha)
  echo "$seed,${ALPHA[$seed]}" >>"$alpha_tmp"
done

# 2. the grid with alpha fixed per seed, and M = 200 with the automatic alpha.
echo "running $(wc -w <<<"$SEEDS") seeds x $(wc -w <<<"$S_LIST") S x $(wc -w <<<"$M_LIST") M (+ automatic-alpha runs), $JOBS at a time, $NP rank(s) each"
{
  for seed in $SEEDS; do
    for s in $S_LIST; do
      for m in $M_LIST; do
        echo "$NP $OUT/runs/seed${seed}_S${s}_M${m} $seed $s $m ${ALPHA[$seed]}"
      done
      echo "$NP $OUT/runs/auto_seed${seed}_S${s}_M200 $seed $s 200 0"
    done
  done
} | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _

# 3. rank-count check: one cell again on 3 ranks (or 1 if NP = 3), hypergradients must be identical.
first_seed=${SEEDS%% *}
other_np=3
[[ $NP == 3 ]] && other_np=1
ref="$OUT/runs/seed${first_seed}_S10_M200"
if [[ -d $ref ]]; then
  run_one "$other_np" "$OUT/runs/check_np$other_np" "$first_seed" 10 200 "${ALPHA[$first_seed]}"
  if cmp -s "$ref/hypergradients.json" "$OUT/runs/check_np$other_np/hypergradients.json" &&
      cmp -s "$ref/summary.json" "$OUT/runs/check_np$other_np/summary.json"; then
    echo "check: seed $first_seed, S = 10, M = 200 on $NP and $other_np ranks: byte-identical results"
  else
    echo "run.sh: seed $first_seed, S = 10, M = 200 differs between $NP and $other_np ranks" >&2
    exit 1
  fi
fi

# 4. the CSVs, written atomically.
PYTHONPATH=experiments/lib "$PY" - "$OUT" "$SEEDS" "$S_LIST" "$M_LIST" <<'EOF'
import sys
from results import load_run, write_csv
out, seeds, s_list, m_list = sys.argv[1], *(a.split() for a in sys.argv[2:5])

rows, auto = [], []
for seed in seeds:
    for s in s_list:
        for m in m_list:
            summ, sec = load_run(out, f"seed{seed}_S{s}_M{m}")
            assert summ["push_rounds"] == int(s) and summ["depth"] == int(m) and summ["seed"] == int(seed)
            rows.append((int(seed), int(s), int(m), summ["hypergradient_error"], summ["bytes_sent"], sec))
        summ, sec = load_run(out, f"auto_seed{seed}_S{s}_M200")
        auto.append((int(seed), int(s), 200, summ["alpha"], summ["hypergradient_error"],
                     summ["bytes_sent"], sec))
write_csv(out, "errors.csv", "seed,S,M,error,bytes_sent,seconds", rows)
write_csv(out, "errors_auto_alpha.csv", "seed,S,M,alpha,error,bytes_sent,seconds", auto)
print(f"wrote {out}/errors.csv ({len(rows)} rows), {out}/errors_auto_alpha.csv ({len(auto)} rows)")
EOF
mv -f "$alpha_tmp" "$OUT/alpha.csv"
echo "wrote $OUT/alpha.csv; total $(($(date +%s) - start)) s"

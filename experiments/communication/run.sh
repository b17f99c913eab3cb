#!/usr/bin/env bash
# Communication per hyper-gradient: HGP vs Hessian exchange for d in {10, 100, 1000}.
#
#   bash experiments/communication/run.sh          # from the repository root
#   experiments/communication/table.py             # Markdown table from the CSV
#
# Setting: experiments/communication/config.toml (3 agents, synthetic mixture with
# data.mixture_dim = d - 1, 50 samples per agent, logistic + per-agent L2, random-directed schedule,
# inner problem solved exactly). HGP with M = 100, S = 10; Hessian exchange with S = 10 push-sum
# rounds on (vec H_i, grad_x f_i / n). bytes_sent is summary.json's logical agent-to-agent byte count
# of the hyper-gradient computation.
#
# HGP's step is fixed (hypergradient.alpha) so that its bytes are HGP's alone, without the power
# iteration that picks alpha automatically: for every (d, seed) a calibration run with S = 100
# (push-sum exact to machine precision, 30 power iterations, depth 1; not counted) gives
# alpha = 1 / (1.05 lambda_hat), which the HGP run then uses.
#
# Writes (atomically) $OUT/bytes.csv (results/communication):
#   d,seed,method,S,M,alpha,rounds,messages_sent,bytes_sent,error,seconds
# and every run's result folder under $OUT/runs/. error = hypergradient_error (relative to the exact
# hyper-gradient at the same inner point), seconds = timings.json's seconds_total.
#
# Environment: NP (MPI ranks per run, default 3: one agent per rank), JOBS (runs in parallel,
# default 2), SEEDS (default "0 1 2 3 4"), D_LIST (default "1000 100 10"), M (100), S (10), OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."

NP=${NP:-3}
JOBS=${JOBS:-2}
SEEDS=${SEEDS:-"0 1 2 3 4"}
D_LIST=${D_LIST:-"1000 100 10"}
M=${M:-100}
S=${S:-10}
OUT=${OUT:-results/communication}
CFG=experiments/communication/config.toml
source experiments/lib/runs.sh

start=$(date +%s)
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"

# One run: DIR D SEED METHOD S M ALPHA.
run_one() {
  hyperpush_run "$NP" "$1" "$CFG" --set seed="$3" --set data.mixture_dim=$(($2 - 1)) \
    --set hypergradient.method="$4" --set hypergradient.push_rounds="$5" \
    --set hypergradient.depth="$6" --set hypergradient.alpha="$7"
}
export -f run_one
export CFG NP

# 1. alpha per (d, seed), then 2. HGP with that alpha and Hessian exchange.
echo "calibrating alpha for d in {$D_LIST}, seeds {$SEEDS}"
for d in $D_LIST; do
  for seed in $SEEDS; do
    echo "$OUT/runs/alpha_d${d}_seed$seed $d $seed hgp 100 1 0"
  done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _
echo "running HGP (M = $M, S = $S) and Hessian exchange (S = $S), $JOBS at a time, $NP rank(s) each"
for d in $D_LIST; do
  for seed in $SEEDS; do
    alpha=$(json_field "$OUT/runs/alpha_d${d}_seed$seed/summary.json" alpha)
    echo "$OUT/runs/hgp_d${d}_seed$seed $d $seed hgp $S $M $alpha"
    echo "$OUT/runs/hessian-exchange_d${d}_seed$seed $d $seed hessian-exchange $S $M 0"
  done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _

# 3. the CSV, written atomically.
PYTHONPATH=experiments/lib "$PY" - "$OUT" "$D_LIST" "$SEEDS" <<'EOF'
import sys
from results import load_run, write_csv
out, d_list, seeds = sys.argv[1], sorted(map(int, sys.argv[2].split())), sys.argv[3].split()
rows = []
for d in d_list:
    for seed in seeds:
        for method in ("hgp", "hessian-exchange"):
            s, seconds = load_run(out, f"{method}_d{d}_seed{seed}")
            assert s["dim"] == d and s["method"] == method and s["seed"] == int(seed)
            rows.append((d, int(seed), method, s["push_rounds"],
                         s["depth"] if method == "hgp" else "", s["alpha"] if method == "hgp" else "",
                         s["hypergradient_rounds"], s["messages_sent"], s["bytes_sent"],
                         s["hypergradient_error"], seconds))
write_csv(out, "bytes.csv", "d,seed,method,S,M,alpha,rounds,messages_sent,bytes_sent,error,seconds",
          rows)
print(f"wrote {out}/bytes.csv ({len(rows)} rows)")
EOF
echo "total $(($(date +%s) - start)) s"

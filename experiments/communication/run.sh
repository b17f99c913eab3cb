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
BIN=build/bin/hyperpush
PY=/usr/bin/python3

[[ -x $BIN ]] || { echo "run.sh: $BIN not found; build first (cmake --build build --target hyperpush)" >&2; exit 2; }
start=$(date +%s)
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"

# One run: DIR D SEED METHOD S M ALPHA; its stdout/stderr go to DIR.log.
run_one() {
  local dir=$1 d=$2 seed=$3 method=$4 s=$5 m=$6 alpha=$7
  if ! scripts/mpirun.sh "$NP" "$BIN" run "$CFG" --set seed="$seed" \
      --set data.mixture_dim=$((d - 1)) --set hypergradient.method="$method" \
      --set hypergradient.push_rounds="$s" --set hypergradient.depth="$m" \
      --set hypergradient.alpha="$alpha" --set output.progress=false --out "$dir" \
      >"$dir.log" 2>&1; then
    echo "run.sh: run failed: d=$d seed=$seed method=$method (log: $dir.log)" >&2
    cat "$dir.log" >&2
    return 255  # makes xargs stop
  fi
}
export -f run_one
export BIN CFG NP

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
    alpha=$("$PY" -c 'import json,sys; print(repr(json.load(open(sys.argv[1]))["alpha"]))' \
      "$OUT/runs/alpha_d${d}_seed$seed/summary.json")
    echo "$OUT/runs/hgp_d${d}_seed$seed $d $seed hgp $S $M $alpha"
    echo "$OUT/runs/hessian-exchange_d${d}_seed$seed $d $seed hessian-exchange $S $M 0"
  done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _

# 3. the CSV, written to a temporary file and renamed into place.
"$PY" - "$OUT" "$D_LIST" "$SEEDS" <<'EOF'
import json, os, sys, tempfile
out, d_list, seeds = sys.argv[1], sorted(map(int, sys.argv[2].split())), sys.argv[3].split()
rows = []
for d in d_list:
    for seed in seeds:
        for method in ("hgp", "hessian-exchange"):
            run = os.path.join(out, "runs", f"{method}_d{d}_seed{seed}")
            s = json.load(open(os.path.join(run, "summary.json")))
            t = json.load(open(os.path.join(run, "timings.json")))
            assert s["dim"] == d and s["method"] == method and s["seed"] == int(seed)
            rows.append((d, int(seed), method, s["push_rounds"],
                         s["depth"] if method == "hgp" else "", s["alpha"] if method == "hgp" else "",
                         s["hypergradient_rounds"], s["messages_sent"], s["bytes_sent"],
                         s["hypergradient_error"], t["seconds_total"]))
fd, tmp = tempfile.mkstemp(prefix=".bytes.csv.", dir=out)
with os.fdopen(fd, "w") as f:
    f.write("d,seed,method,S,M,alpha,rounds,messages_sent,bytes_sent,error,seconds\n")
    for r in rows:
        f.write(",".join(repr(x) if isinstance(x, float) else str(x) for x in r) + "\n")
os.chmod(tmp, 0o644)
os.replace(tmp, os.path.join(out, "bytes.csv"))
print(f"wrote {out}/bytes.csv ({len(rows)} rows)")
EOF
echo "total $(($(date +%s) - start)) s"

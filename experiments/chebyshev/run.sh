#!/usr/bin/env bash
# Neumann vs Chebyshev depth (issue 14, part 3): hyper-gradient error against communication rounds
# at κ(H̄) ∈ {10, 100, 1000}, S = 20, and at κ = 100 with S = 2.
#
#   bash experiments/chebyshev/run.sh            # from the repository root, ~1 min on 2 cores
#   experiments/chebyshev/plot.py                # figure + table from the runs
#
# Problems: 16 agents, d = 30, p = 2, one per κ (make_quadratic.py --kappa κ --seed 1: the average
# Hessian's spectrum is log-spaced over [1, κ] exactly). Topology random-directed, inner solve exact.
# Per (κ, S) three runs of one hyper-gradient, each recording the error at every depth
# (metrics.jsonl):
#   neumann             hypergradient.series = neumann, α = 1/(1.05 λ̂) by the power iteration
#   chebyshev-known     series chebyshev, μ = 1 given (the known strong convexity), L = 1/α
#   chebyshev-estimated series chebyshev, μ from the shifted power iteration as well
# Rounds at depth m = the run's power-iteration rounds (hypergradient_rounds − M·S) + m·S.
#
# Writes to $OUT (results/chebyshev): problems/kappa*.json, runs/<κ>_S<S>_<series>/ (each run's
# result folder). Environment: NP (ranks per run, default 1), JOBS (runs at a time, default 2), OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."

NP=${NP:-1}
JOBS=${JOBS:-2}
OUT=${OUT:-results/chebyshev}
CFG=experiments/chebyshev/config.toml
source experiments/lib/runs.sh

rm -rf "$OUT/runs" "$OUT/problems"
mkdir -p "$OUT/runs" "$OUT/problems"
for kappa in 10 100 1000; do
  "$PY" experiments/problems/make_quadratic.py --agents 16 --dim 30 --hyper 2 --kappa $kappa \
    --seed 1 --out "$OUT/problems/kappa$kappa.json"
done

# One line per run: NP DIR KAPPA S DEPTH [--set ...]. Depths reach past 1e-8 for every series:
# Neumann needs ~18.4·1.05κ steps, Chebyshev ~9.2√κ with μ exact and more with μ estimated.
declare -A KNOWN=([10]=100 [100]=300 [1000]=800) ESTIMATED=([10]=200 [100]=600 [1000]=4000)
{
  for case in "10 20" "100 20" "1000 20" "100 2"; do
    read -r kappa s <<<"$case"
    base="$NP $OUT/runs/kappa${kappa}_S${s}"
    echo "${base}_neumann $kappa $s $((30 * kappa))"
    echo "${base}_chebyshev-known $kappa $s ${KNOWN[$kappa]} --set hypergradient.series=chebyshev --set hypergradient.mu=1"
    echo "${base}_chebyshev-estimated $kappa $s ${ESTIMATED[$kappa]} --set hypergradient.series=chebyshev"
  done
} | xargs -P "$JOBS" -L 1 bash -c '
  np=$1 dir=$2 kappa=$3 s=$4 depth=$5; shift 5
  hyperpush_run "$np" "$dir" "'"$CFG"'" --set problem.file="'"$OUT"'/problems/kappa$kappa.json" \
    --set hypergradient.push_rounds="$s" --set hypergradient.depth="$depth" "$@"' _
echo "runs in $OUT/runs; now: $PY experiments/chebyshev/plot.py $OUT"

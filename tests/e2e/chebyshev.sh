#!/usr/bin/env bash
# hypergradient.series = chebyshev (issue 14, part 3): an independent numpy replay of its iterates;
# against the exact formula on a quadratic of condition number 100 (where it must beat the Neumann
# series by orders of magnitude at the same depth) and on logistic regression, byte-identical on 1, 2
# and 3 ranks; μ estimated by the shifted power iteration; refusals with exit code 2.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/hypergradient-quadratic.toml
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
less() { /usr/bin/python3 -c 'import sys; a,b=map(float,sys.argv[1:3]); sys.exit(0 if a < b else 1)' "$1" "$2"; }
run() { local np=$1 out=$2; shift 2
  "$src/scripts/mpirun.sh" "$np" "$bin" run "$cfg" --set output.progress=false --out "$out" "$@" >/dev/null; }
cheb=(--set hypergradient.series=chebyshev)

# 1. numpy replay (tests/e2e/hgp_replay.py, Saad's recurrence) at S = 1 and 2, α and μ given.
for s in 1 2; do
  m=30
  "$bin" topology "$cfg" --rounds 0:$((m * s)) --export "$tmp/schedule.txt" >/dev/null
  run 2 "$tmp/replay" "${cheb[@]}" --set hypergradient.push_rounds=$s --set hypergradient.depth=$m \
    --set hypergradient.alpha=0.3 --set hypergradient.mu=0.8
  /usr/bin/python3 "$src/tests/e2e/hgp_replay.py" "$src/experiments/problems/quadratic-3agents.json" \
    "$tmp/schedule.txt" 0.3 $m $s "$tmp/replay/hypergradients.json" 0.8
done

# 2. κ(H̄) = 100 exactly (8 agents, d = 20), S = 30: at depth 150 chebyshev with μ = 1 is within
#    1e-8 of the exact formula, Neumann (error ≈ (1 − 1/105)^150 ≈ 0.24 of its start) above 1e-2.
#    The same bytes on 1, 2 and 3 ranks. With μ estimated: within 1e-6 at depth 300.
problem=$tmp/kappa100.json
/usr/bin/python3 "$src/experiments/problems/make_quadratic.py" --agents 8 --dim 20 --hyper 2 \
  --kappa 100 --seed 3 --out "$problem"
kappa=(--set agents=8 --set problem.file="$problem" --set hypergradient.push_rounds=30
       --set hypergradient.depth=150)
for np in 1 2 3; do
  run $np "$tmp/c$np" "${kappa[@]}" "${cheb[@]}" --set hypergradient.mu=1
done
cmp "$tmp/c1/hypergradients.json" "$tmp/c2/hypergradients.json"
cmp "$tmp/c1/hypergradients.json" "$tmp/c3/hypergradients.json"
cmp "$tmp/c1/metrics.jsonl" "$tmp/c3/metrics.jsonl"
run 2 "$tmp/n" "${kappa[@]}"
c=$(field "$tmp/c1/summary.json" hypergradient_error) n=$(field "$tmp/n/summary.json" hypergradient_error)
less "$c" 1e-8 || { echo "FAIL: chebyshev at kappa 100, depth 150: error $c >= 1e-8"; exit 1; }
less 1e-2 "$n" || { echo "FAIL: neumann at kappa 100, depth 150: error $n < 1e-2 (kappa not 100?)"; exit 1; }
echo "kappa 100, depth 150, S = 30: chebyshev (mu = 1) $c, neumann $n; identical on 1, 2 and 3 ranks"
run 2 "$tmp/e" "${kappa[@]}" "${cheb[@]}" --set hypergradient.depth=300
e=$(field "$tmp/e/summary.json" hypergradient_error) mu=$(field "$tmp/e/summary.json" mu)
less "$e" 1e-6 || { echo "FAIL: chebyshev, mu estimated ($mu): error $e >= 1e-6 at depth 300"; exit 1; }
less 1 "$mu" || { echo "FAIL: estimated mu $mu below lambda_min = 1 (it approaches from above)"; exit 1; }
echo "mu estimated as $mu (lambda_min 1): error $e at depth 300"

# 3. logistic regression (synthetic mixture, per-agent L2), μ estimated, S = 50, depth 100: within
#    1e-8 of the exact formula; the same bytes on 1 and 3 ranks.
logistic=(--set problem.kind=model --set data.dataset=synthetic-mixture --set model.kind=logistic
          --set model.hyper=l2 --set hypergradient.push_rounds=50 --set hypergradient.depth=100)
for np in 1 3; do run $np "$tmp/l$np" "${logistic[@]}" "${cheb[@]}"; done
cmp "$tmp/l1/hypergradients.json" "$tmp/l3/hypergradients.json"
l=$(field "$tmp/l1/summary.json" hypergradient_error)
less "$l" 1e-8 || { echo "FAIL: chebyshev on logistic regression: error $l >= 1e-8"; exit 1; }
echo "logistic, depth 100: chebyshev error $l (mu $(field "$tmp/l1/summary.json" mu)); identical on 1 and 3 ranks"

# 4. refusals: a μ above L, and a method that sums no series.
source "$src/tests/e2e/lib/expect_error.sh"
expect_error "hyperpush: error: hypergradient.series = chebyshev needs 0 < μ < L = 1/α for the spectrum of H̄; got μ = 100, L = 2.32 (hypergradient.mu): set hypergradient.mu to a lower bound of λ_min(H̄) in (0, L), or use series neumann" "$cfg" \
  "${cheb[@]}" --set hypergradient.mu=100
expect_error "hyperpush: error: hypergradient.series = chebyshev: hypergradient.method 'local' sums no series; valid: series neumann, or method hgp or server-neumann" "$cfg" \
  "${cheb[@]}" --set hypergradient.method=local
echo "refusals: exit 2 with their messages"

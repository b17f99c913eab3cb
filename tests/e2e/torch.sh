#!/usr/bin/env bash
# Backend torch in the app: `hpo` on the quickstart's logistic problem gives the Eigen backend's
# numbers (validation loss and λ to 1e-9 relative, the same test accuracy); an mlp runs HPO and
# lowers the validation loss; mlp with the eigen backend is refused with a message. Skipped when
# the executable was built without LibTorch.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/quickstart.toml
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
check() { /usr/bin/python3 -c "import sys; sys.exit(0 if $1 else 1)" || { echo "FAIL: $2"; exit 1; }; }
run() { local out=$1; shift
  "$src/scripts/mpirun.sh" 2 "$bin" run "$cfg" --set output.progress=false --set outer.steps=3 \
    --set outer.baseline_local=false --out "$out" "$@" >/dev/null; }

if ! "$bin" run "$cfg" --set model.backend=torch --set task=hypergradient \
     --set inner.rounds=1 --set output.progress=false --out "$tmp/probe" \
     >/dev/null 2>"$tmp/probe.err"; then
  if grep -q "built without LibTorch" "$tmp/probe.err"; then
    echo "SKIPPED: built without LibTorch"; exit 0
  fi
  cat "$tmp/probe.err"; echo "FAIL: the torch probe run failed"; exit 1
fi

run "$tmp/eigen" --set model.backend=eigen
run "$tmp/torch" --set model.backend=torch --set model.device=cpu
for key in final_validation_loss initial_validation_loss; do
  e=$(field "$tmp/eigen/summary.json" $key) t=$(field "$tmp/torch/summary.json" $key)
  check "abs($t - $e) <= 1e-9 * abs($e)" "$key: torch $t vs eigen $e"
done
e=$(field "$tmp/eigen/summary.json" test_accuracy) t=$(field "$tmp/torch/summary.json" test_accuracy)
check "$t == $e" "test accuracy: torch $t vs eigen $e"
/usr/bin/python3 - "$tmp/eigen/summary.json" "$tmp/torch/summary.json" <<'PY' || exit 1
import json, sys
e, t = (json.load(open(p))["history"] for p in sys.argv[1:])
for a, b in zip(e, t):
    if abs(a["lambda_mean"] - b["lambda_mean"]) > 1e-9 * max(1.0, abs(a["lambda_mean"])):
        sys.exit(f"FAIL: step {a['step']}: mean λ torch {b['lambda_mean']} vs eigen {a['lambda_mean']}")
PY
echo "logistic hpo: final validation loss eigen $(field "$tmp/eigen/summary.json" final_validation_loss), torch $(field "$tmp/torch/summary.json" final_validation_loss)"

run "$tmp/mlp" --set model.backend=torch --set model.kind=mlp --set model.hidden=8,4 \
  --set inner.rounds=300
first=$(field "$tmp/mlp/summary.json" initial_validation_loss)
last=$(field "$tmp/mlp/summary.json" final_validation_loss)
check "$last < $first" "mlp hpo: validation loss $first -> $last did not decrease"
echo "mlp hpo: validation loss $first -> $last"

if "$bin" run "$cfg" --set model.kind=mlp --out "$tmp/refused" >/dev/null 2>"$tmp/refused.err"; then
  echo "FAIL: mlp with backend eigen was accepted"; exit 1
fi
grep -q 'needs model.backend = "torch"' "$tmp/refused.err" || { cat "$tmp/refused.err"; exit 1; }
echo "mlp with backend eigen refused: $(cat "$tmp/refused.err")"

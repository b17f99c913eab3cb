#!/usr/bin/env bash
# Backend cuda in the app: `hpo` on the quickstart's problem gives the Eigen backend's numbers
# (validation losses and λ to 1e-9 relative, the same test accuracy) for logistic with l2 decay,
# softmax with l2 decay and with per-class logit weights, and logistic with per-sample weights; mlp
# with the cuda backend is refused with a message. Without CUDA in the build or without a device,
# the run must fail with a clear one-line error (checked), and the comparison is skipped.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/quickstart.toml
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
check() { /usr/bin/python3 -c "import sys; sys.exit(0 if $1 else 1)" || { echo "FAIL: $2"; exit 1; }; }
run() { local out=$1; shift
  "$src/scripts/mpirun.sh" 2 "$bin" run "$cfg" --set output.progress=false --set outer.steps=3 \
    --set outer.baseline_local=false --out "$out" "$@" >/dev/null; }

if "$bin" run "$cfg" --set model.backend=cuda --set model.kind=mlp --out "$tmp/refused" \
     >/dev/null 2>"$tmp/refused.err"; then
  echo "FAIL: mlp with backend cuda was accepted"; exit 1
fi
grep -q 'needs model.backend = "torch"' "$tmp/refused.err" || { cat "$tmp/refused.err"; exit 1; }

status=0
"$bin" run "$cfg" --set model.backend=cuda --set task=hypergradient --set inner.rounds=1 \
  --set output.progress=false --out "$tmp/probe" >/dev/null 2>"$tmp/probe.err" || status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 2 ] || { cat "$tmp/probe.err"; echo "FAIL: exit code $status, expected 2"; exit 1; }
  if grep -q 'model.backend = "cuda": this hyperpush was built without CUDA' "$tmp/probe.err"; then
    echo "SKIPPED: built without CUDA"; exit 0
  fi
  if grep -q 'model.backend = "cuda": no CUDA device (' "$tmp/probe.err"; then
    echo "SKIPPED: no CUDA device: $(cat "$tmp/probe.err")"; exit 0
  fi
  cat "$tmp/probe.err"; echo "FAIL: the cuda probe run failed"; exit 1
fi

# compare NAME [--set key=value …]: the same hpo run on both backends agrees.
compare() { local name=$1; shift
  run "$tmp/$name-eigen" --set model.backend=eigen "$@"
  run "$tmp/$name-cuda" --set model.backend=cuda "$@"
  local e c key
  for key in final_validation_loss initial_validation_loss; do
    e=$(field "$tmp/$name-eigen/summary.json" $key) c=$(field "$tmp/$name-cuda/summary.json" $key)
    check "abs($c - $e) <= 1e-9 * abs($e)" "$name: $key: cuda $c vs eigen $e"
  done
  e=$(field "$tmp/$name-eigen/summary.json" test_accuracy)
  c=$(field "$tmp/$name-cuda/summary.json" test_accuracy)
  check "$c == $e" "$name: test accuracy: cuda $c vs eigen $e"
  /usr/bin/python3 - "$name" "$tmp/$name-eigen/summary.json" "$tmp/$name-cuda/summary.json" <<'PY' || exit 1
import json, sys
e, c = (json.load(open(p))["history"] for p in sys.argv[2:])
for a, b in zip(e, c):
    if abs(a["lambda_mean"] - b["lambda_mean"]) > 1e-9 * max(1.0, abs(a["lambda_mean"])):
        sys.exit(f"FAIL: {sys.argv[1]}: step {a['step']}: mean λ cuda {b['lambda_mean']} vs eigen {a['lambda_mean']}")
PY
  echo "$name hpo: final validation loss eigen $(field "$tmp/$name-eigen/summary.json" final_validation_loss), cuda $(field "$tmp/$name-cuda/summary.json" final_validation_loss)"
}

compare logistic
compare softmax --set model.kind=softmax
compare softmax-per-class --set model.kind=softmax --set model.hyper=per-class --set model.l2=0.01
compare logistic-per-sample --set model.hyper=per-sample --set model.l2=0.01

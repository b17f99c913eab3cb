# Sourced by tests/e2e/cuda.sh and tests/e2e/torch.sh, which set bin, src, tmp, cfg and
# `backend` (an array of --set options that select the backend under test): the same hpo run on
# the Eigen reference and on that backend gives the same numbers.

field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
check() { /usr/bin/python3 -c "import sys; sys.exit(0 if $1 else 1)" || { echo "FAIL: $2"; exit 1; }; }
# run OUT [--set …]: three outer steps of cfg's hpo on 2 ranks, without the local-only baseline,
# inner solves capped at 2,000 rounds (the backends must agree, converged or not).
run() { local out=$1; shift
  "$src/scripts/mpirun.sh" 2 "$bin" run "$cfg" --set output.progress=false --set outer.steps=3 \
    --set outer.baseline_local=false --set inner.rounds=2000 --out "$out" "$@" >/dev/null; }

# compare NAME [--set …]: validation losses and every step's mean λ to 1e-9 relative, the same
# test accuracy.
compare() { local name=$1; shift
  local reference=$tmp/$name-eigen tested=$tmp/$name-tested label=${backend[1]#model.backend=}
  run "$reference" --set model.backend=eigen "$@"
  run "$tested" "${backend[@]}" "$@"
  local e t key
  for key in final_validation_loss initial_validation_loss; do
    e=$(field "$reference/summary.json" $key) t=$(field "$tested/summary.json" $key)
    check "abs($t - $e) <= 1e-9 * abs($e)" "$name: $key: $label $t vs eigen $e"
  done
  e=$(field "$reference/summary.json" test_accuracy) t=$(field "$tested/summary.json" test_accuracy)
  check "$t == $e" "$name: test accuracy: $label $t vs eigen $e"
  /usr/bin/python3 - "$name" "$reference/summary.json" "$tested/summary.json" "$label" <<'PY' || exit 1
import json, sys
e, t = (json.load(open(p))["history"] for p in sys.argv[2:4])
for a, b in zip(e, t):
    if abs(a["lambda_mean"] - b["lambda_mean"]) > 1e-9 * max(1.0, abs(a["lambda_mean"])):
        sys.exit(f"FAIL: {sys.argv[1]}: step {a['step']}: mean λ {sys.argv[4]} {b['lambda_mean']} vs eigen {a['lambda_mean']}")
PY
  echo "$name hpo: final validation loss eigen $(field "$reference/summary.json" final_validation_loss), $label $(field "$tested/summary.json" final_validation_loss)"
}

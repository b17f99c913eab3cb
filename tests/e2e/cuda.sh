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
backend=(--set model.backend=cuda)
source "$src/tests/e2e/lib/compare_backends.sh"

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

compare logistic
compare softmax --set model.kind=softmax
compare softmax-per-class --set model.kind=softmax --set model.hyper=per-class --set model.l2=0.01
compare logistic-per-sample --set model.hyper=per-sample --set model.l2=0.01

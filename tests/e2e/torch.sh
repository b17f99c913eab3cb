#!/usr/bin/env bash
# Backend torch in the app: `hpo` on the quickstart's logistic problem, and on softmax with
# per-class logit weights, gives the Eigen backend's numbers (validation loss and λ to 1e-9
# relative, the same test accuracy); an mlp runs HPO and lowers the validation loss; a cnn with
# per-class weights runs HPO on digits (8 × 8 images); mlp and cnn with the eigen backend are
# refused with a message. Skipped when the executable was built without LibTorch.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/quickstart.toml
backend=(--set model.backend=torch --set model.device=cpu)
source "$src/tests/e2e/lib/compare_backends.sh"

if ! "$bin" run "$cfg" --set model.backend=torch --set task=hypergradient \
     --set inner.rounds=1 --set output.progress=false --out "$tmp/probe" \
     >/dev/null 2>"$tmp/probe.err"; then
  if grep -q "built without LibTorch" "$tmp/probe.err"; then
    echo "SKIPPED: built without LibTorch"; exit 0
  fi
  cat "$tmp/probe.err"; echo "FAIL: the torch probe run failed"; exit 1
fi

compare logistic
compare softmax-per-class --set model.kind=softmax --set model.hyper=per-class --set model.l2=0.01

run "$tmp/mlp" --set model.backend=torch --set model.kind=mlp --set model.hidden=8,4 \
  --set inner.rounds=300
first=$(field "$tmp/mlp/summary.json" initial_validation_loss)
last=$(field "$tmp/mlp/summary.json" final_validation_loss)
check "$last < $first" "mlp hpo: validation loss $first -> $last did not decrease"
echo "mlp hpo: validation loss $first -> $last"

# A network is not convex: per-class weights leave only model.l2 to keep Σ_j H_j positive definite.
run "$tmp/cnn" --set model.backend=torch --set model.device=cpu --set data.dataset=digits \
  --set data.max_train=300 --set agents=4 --set model.kind=cnn --set model.channels=2,4 \
  --set model.kernel=3 --set model.hyper=per-class --set model.l2=0.3 --set inner.rounds=50 \
  --set hypergradient.depth=10 --set outer.steps=2
first=$(field "$tmp/cnn/summary.json" initial_validation_loss)
last=$(field "$tmp/cnn/summary.json" final_validation_loss)
accuracy=$(field "$tmp/cnn/summary.json" test_accuracy)
check "$last < $first and 0 <= $accuracy <= 1" "cnn hpo: validation loss $first -> $last, accuracy $accuracy"
echo "cnn per-class hpo on digits: validation loss $first -> $last, test accuracy $accuracy"

for kind in mlp cnn; do
  if "$bin" run "$cfg" --set model.kind=$kind --out "$tmp/refused" >/dev/null 2>"$tmp/refused.err"; then
    echo "FAIL: $kind with backend eigen was accepted"; exit 1
  fi
  grep -q 'needs model.backend = "torch"' "$tmp/refused.err" || { cat "$tmp/refused.err"; exit 1; }
  echo "$kind with backend eigen refused: $(cat "$tmp/refused.err")"
done

# A user's TorchScript module (examples/torchscript/digits_mlp.pt, 64 → 16 → 10) runs HPO on
# digits and lowers the validation loss; a missing module file is refused with exit code 2.
script=$src/examples/torchscript/digits_mlp.pt
run "$tmp/torchscript" --set model.backend=torch --set model.device=cpu --set data.dataset=digits \
  --set data.max_train=300 --set agents=4 --set model.kind=torchscript --set model.file="$script" \
  --set inner.rounds=50 --set hypergradient.depth=10 --set outer.steps=2
first=$(field "$tmp/torchscript/summary.json" initial_validation_loss)
last=$(field "$tmp/torchscript/summary.json" final_validation_loss)
check "$last < $first" "torchscript hpo: validation loss $first -> $last did not decrease"
echo "torchscript hpo on digits: validation loss $first -> $last"
status=0
"$bin" run "$cfg" --set model.backend=torch --set model.kind=torchscript \
  --set model.file="$tmp/none.pt" --out "$tmp/refused" >/dev/null 2>"$tmp/refused.err" || status=$?
grep -qF "$tmp/none.pt: no such file; expected a TorchScript module" "$tmp/refused.err" &&
  ((status == 2)) || { cat "$tmp/refused.err"; echo "FAIL: missing module: exit $status"; exit 1; }
echo "missing TorchScript module refused: $(cat "$tmp/refused.err")"

# A malformed width list is refused with the key and what is valid, before any data is read.
status=0
"$bin" run "$cfg" --set model.backend=torch --set model.kind=mlp --set model.hidden=64,x \
  --out "$tmp/widths" >/dev/null 2>"$tmp/widths.err" || status=$?
expected='hyperpush: error: model.hidden: "64,x" is invalid; expected widths >= 1 separated by commas, e.g. "64,32"'
[[ $(cat "$tmp/widths.err") == "$expected" ]] && ((status == 2)) \
  || { cat "$tmp/widths.err"; echo "FAIL: model.hidden = 64,x: exit $status"; exit 1; }
echo "bad model.hidden refused: $expected"

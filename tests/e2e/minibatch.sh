#!/usr/bin/env bash
# Minibatch HGP (issue 14, part 2; hypergradient.batch and outer_batch): experiment 1's setting with
# minibatches of 20, byte-identical on 1, 2 and 3 ranks (the draws are keyed by agent, not rank);
# its error against the exact full-batch hyper-gradient is the minibatch noise (between 1e-3 and
# 1, where full batch at S = 100 is < 1e-12); hpo with minibatches, identical on 1 and 2 ranks; the
# settings that cannot be minibatched refused with exit code 2 and their message.
# (Unbiasedness: tests/mpi/minibatch_hypergradient_test.cpp; the products on a minibatch against
# problems built on its rows: tests/model/minibatch_test.cpp.)
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/hgp_error_vs_depth/config.toml
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
check() { /usr/bin/python3 -c "import sys; sys.exit(0 if $1 else 1)" || { echo "FAIL: $2"; exit 1; }; }
run() { local np=$1 out=$2; shift 2
  "$src/scripts/mpirun.sh" "$np" "$bin" run "$cfg" --set output.progress=false --out "$out" "$@" >/dev/null; }

batch=(--set hypergradient.push_rounds=100 --set hypergradient.depth=60 --set hypergradient.batch=20
       --set hypergradient.outer_batch=30)
for np in 1 2 3; do run $np "$tmp/b$np" "${batch[@]}"; done
for f in hypergradients.json summary.json metrics.jsonl; do
  cmp "$tmp/b1/$f" "$tmp/b2/$f"; cmp "$tmp/b1/$f" "$tmp/b3/$f"
done
run 1 "$tmp/full" --set hypergradient.push_rounds=100 --set hypergradient.depth=60
e=$(field "$tmp/b1/summary.json" hypergradient_error) f=$(field "$tmp/full/summary.json" hypergradient_error)
check "1e-3 < $e < 1 and $f < 1e-12" "minibatch error $e, full batch $f"
echo "S = 100, M = 60: minibatch 20/30 error $e, full batch $f; identical on 1, 2 and 3 ranks"

q=$src/experiments/quickstart.toml
hpo=(--set outer.steps=3 --set outer.baseline_local=false --set hypergradient.batch=10 --set output.progress=false)
for np in 1 2; do "$src/scripts/mpirun.sh" $np "$bin" run "$q" "${hpo[@]}" --out "$tmp/hpo$np" >/dev/null; done
cmp "$tmp/hpo1/summary.json" "$tmp/hpo2/summary.json"
cmp "$tmp/hpo1/metrics.jsonl" "$tmp/hpo2/metrics.jsonl"
echo "hpo with minibatches of 10: identical on 1 and 2 ranks"

source "$src/tests/e2e/lib/expect_error.sh"
expect_error "hyperpush: error: hypergradient.batch: with model.hyper = per-sample each λ_k would be seen by one minibatch in m/b; valid: 0, or another model.hyper" "$cfg" \
  --set hypergradient.batch=20 --set model.hyper=per-sample --set model.l2=0.1
expect_error "hyperpush: error: hypergradient.batch / outer_batch: hypergradient.method 'local' takes no Neumann steps; valid: 0, or method hgp or server-neumann" "$cfg" \
  --set hypergradient.outer_batch=20 --set hypergradient.method=local
expect_error "hyperpush: error: hypergradient.batch / outer_batch: a quadratic problem is no mean over samples; valid: 0, or problem.kind = model" "$cfg" \
  --set hypergradient.batch=20 --set problem.kind=quadratic \
  --set problem.file="$src/experiments/problems/quadratic-3agents.json"
echo "refusals: exit 2 with their messages"

#!/usr/bin/env bash
# No silent wrong answers (issue 21's reproducers): legal settings that used to print garbage and
# exit 0 now stop with the exit code and one exact line (on 1 and 3 ranks where MPI is involved),
# and write nothing; result folders hold one run; runs with nothing to measure are refused.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
q=$src/experiments/quickstart.toml
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# expect NAME NPS CODE LINE ARGS...: exit CODE, exactly one "hyperpush:" line on stderr equal to
# LINE (mpirun's own banner aside), no ORTE noise, no result folder.
expect() {
  local name=$1 nps=$2 code=$3 line=$4; shift 4
  for np in $nps; do
    "$src/scripts/mpirun.sh" "$np" "$bin" run "$@" --set output.progress=false --out "out-$name" \
      >/dev/null 2>"$name.err"
    local got=$?
    local lines; lines=$(grep '^hyperpush:' "$name.err")
    [[ $got == "$code" ]] || fail "$name (np $np): exit $got, expected $code"
    [[ $lines == "$line" ]] || printf 'FAIL %s (np %d)\n  got:      %s\n  expected: %s\n' \
      "$name" "$np" "$lines" "$line"
    [[ $lines == "$line" ]] || failures=$((failures + 1))
    ! grep -q ORTE_ERROR_LOG "$name.err" || fail "$name (np $np): Open MPI error log on stderr"
    [[ ! -e out-$name ]] || fail "$name (np $np): a result folder was left"
    ! ls -A | grep -q '^\.out-' || fail "$name (np $np): a staging folder was left"
  done
}

# 1. A Neumann step too large: inf, or NaN reported as error 0.
expect alpha "1 3" 5 "hyperpush: error: hgp diverged at Neumann step 2 of 50 (max ‖ŵ_i‖ = 1.12e+05, max ‖v_i‖ = 2.15e+04; ‖ŵ‖ grows ×1.92e+06 a step, so α·λ_max(H̄) ≈ 1.92e+06 ≥ 2 for α = 1e+06); lower hypergradient.alpha or leave it 0 (estimated)" \
  "$q" --set task=hypergradient --set hypergradient.alpha=1e6
# 3. A one-iteration power iteration: α·λ_max just above 2 flipped the hyper-gradient's sign.
expect power "1 3" 5 "hyperpush: error: outer step 0: hgp diverged at Neumann step 50 of 50 (max ‖ŵ_i‖ = 0.0986, max ‖v_i‖ = 0.00663; ‖ŵ‖ grows ×1.02 a step, so α·λ_max(H̄) ≈ 2.02 ≥ 2 for α = 0.835); the power iteration underestimated λ_max: raise hypergradient.power_iterations (now 1) or hypergradient.power_push_rounds (now 1)" \
  "$q" --set outer.steps=4 --set hypergradient.power_iterations=1 --set hypergradient.power_push_rounds=1
# 4. An inner step far too large: divergence, not "Σ_j H_j is not positive definite".
expect inner_step "1 3" 5 "hyperpush: error: outer step 0: inner solver push-diging diverged at round 50 of 20000 (‖Σ∇g(z̄)‖ = inf, consensus error inf): its step 1e+06 is too large for this schedule; lower inner.step" \
  "$q" --set inner.step=1e6
# 2. The directed ring at 16 agents needs ~12,000 rounds a solve (36 per gradient step); given 3,000
# (83 steps: 2,988 rounds) it is not solved, and the run says so.
expect ring_strict "3" 5 "hyperpush: error: outer step 0: the inner problem was not solved (‖Σ∇g(z̄)‖ = 0.0136, consensus error 2.65e-07 after 2988 rounds of push-diging; inner.tolerance = 1e-10); raise inner.rounds, or choose a better-connected topology.kind" \
  "$q" --set agents=16 --set topology.kind=directed-ring --set outer.steps=1 --set inner.rounds=3000 \
  --set inner.require_convergence=true
"$src/scripts/mpirun.sh" 3 "$bin" run "$q" --set agents=16 --set topology.kind=directed-ring \
  --set outer.steps=2 --set inner.rounds=3000 --set outer.baseline_local=false \
  --set output.progress=false --out ring >/dev/null 2>ring.err || fail "ring: exit $?"
[[ $(grep -c '^hyperpush: warning: 3 of 3 inner solves ended above inner.tolerance' ring.err) == 1 ]] ||
  fail "ring: no warning line"
/usr/bin/python3 - ring/summary.json <<'PY' || fail "ring: summary.json"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["inner_converged"] is False and s["inner_most_rounds"] == 2988, s
assert s["final_validation_loss"] < s["initial_validation_loss"] < 1, s
PY

# 6. Runs with nothing to measure.
expect no_validation "1 3" 2 "hyperpush: error: data.validation_fraction = 0 leaves the agents without validation samples, and a bilevel task measures each agent's outer loss f_i on them; valid: > 0 (e.g. 0.2)" \
  "$q" --set data.validation_fraction=0
expect no_test "1" 2 "hyperpush: error: data.test_fraction = 0 leaves no test samples, and this task reports its results on them; valid: > 0 (e.g. 0.2), or a data.test file" \
  "$q" --set task=tree --set data.test_fraction=0
expect top_k "1" 2 "hyperpush: error: explain.top_k = 1000 is not below the 120 training samples, so every test would pass or fail by counting; valid: 1 .. 119" \
  "$q" --set task=explain --set data.dataset=digits --set data.max_train=120 --set explain.top_k=1000
/usr/bin/python3 - <<'PY'
from sklearn.datasets import load_diabetes
x, y = load_diabetes(return_X_y=True)
with open("diabetes.libsvm", "w") as f:
    for row, target in zip(x, y):
        f.write("%g %s\n" % (target, " ".join("%d:%g" % (k + 1, v) for k, v in enumerate(row))))
PY
sed '1s/^151 /151.5 /' diabetes.libsvm > fractional.libsvm
expect regression "1 3" 2 "hyperpush: error: diabetes.libsvm: 214 distinct labels over 442 samples looks like a regression target; hyperpush's models and trees are classifiers: expected at most 1000 classes with several samples each" \
  "$q" --set model.kind=softmax --set data.dataset=libsvm --set data.train=diabetes.libsvm
expect fractional "1" 2 "hyperpush: error: fractional.libsvm:1: label 151.5 is not an integer, which looks like a regression target; hyperpush's models and trees are classifiers: expected class labels such as 0, 1, 2 or -1, +1" \
  "$q" --set model.kind=softmax --set data.dataset=libsvm --set data.train=fractional.libsvm
# An error found after the config is read leaves no folder, not even the parents it needed.
expect late_error "1 3" 2 'hyperpush: error: data.train: data.dataset = "libsvm" needs a training file' \
  "$q" --set data.dataset=libsvm --set output.dir=deep/er
[[ ! -e deep ]] || fail "late_error: the parent folders were left"

# 5. Result folders hold one run: replaced as a whole, never merged; foreign folders refused.
run() { "$bin" run "$q" --set output.progress=false "$@" >/dev/null 2>&1; }
run --set task=tree --out same && run --set outer.steps=1 --out same || fail "same: a run failed"
[[ ! -e same/tree.json && -e same/metrics.jsonl ]] || fail "same: tree files merged into hpo's"
avg=$src/experiments/average.toml
"$bin" run "$avg" --set average.estimates=true --out est >/dev/null &&
  "$bin" run "$avg" --out est >/dev/null || fail "est: a run failed"
[[ ! -e est/estimates.json ]] || fail "est: an earlier run's estimates.json survived"
mkdir foreign && touch foreign/notes.txt
expect_foreign=$("$bin" run "$q" --out foreign 2>&1 >/dev/null); code=$?
[[ $code == 2 && $expect_foreign == "hyperpush: error: foreign: the folder holds files no hyperpush run wrote; give a new or empty folder (a result folder of an earlier run is replaced as a whole)" ]] ||
  fail "foreign: exit $code, $expect_foreign"
[[ $(ls -A foreign) == notes.txt ]] || fail "foreign: the folder was touched"
# SIGTERM: one line, exit 143, no staging folder; a killed run's staging folder goes with the next.
"$bin" run "$q" --set outer.steps=100000 --out sig >/dev/null 2>sig.err &
pid=$!
for _ in $(seq 100); do grep -q 'steps' sig.err 2>/dev/null && break; sleep 0.1; done
kill -TERM $pid; wait $pid; code=$?
[[ $code == 143 ]] || fail "sigterm: exit $code"
grep -Eq '^hyperpush: interrupted \(SIGTERM\) at hgp ([0-9]+/100000 steps|step [0-9]+, inner solve [0-9]+/20000 rounds); nothing written to sig$' sig.err ||
  fail "sigterm: $(grep hyperpush sig.err)"
[[ ! -e sig && -z $(ls -A | grep partial) ]] || fail "sigterm: a folder was left"
stale=.killed.partial-$(cat /proc/sys/kernel/hostname)-999999999
mkdir "$stale" && touch "$stale/metrics.jsonl"
run --set outer.steps=1 --out killed || fail "killed: the run failed"
[[ ! -e $stale ]] || fail "killed: the dead process's staging folder survived"

# 7 (messages). CLI mistakes get one line and exit 2.
cli() {
  local expected=$1; shift
  local got; got=$("$bin" "$@" 2>&1 >/dev/null); local code=$?
  [[ $code == 2 && $got == "$expected" ]] || printf 'FAIL cli %s\n  got:      %s (exit %d)\n  expected: %s\n' "$*" "$got" $code "$expected"
  [[ $code == 2 && $got == "$expected" ]] || failures=$((failures + 1))
}
cli "hyperpush: error: unknown command 'frobnicate'; valid: run, topology, plot, config-reference (hyperpush --help)" frobnicate
cli 'hyperpush: error: --out "": the folder name is empty' run "$q" --out ""
cli "hyperpush: error: --set seed=18446744073709551615: key 'seed' = 18446744073709551615 is out of range; valid: [0, 9007199254740992]" run "$q" --set seed=18446744073709551615
cli "hyperpush: error: --set seed=9007199254740993: key 'seed' = 9007199254740993 is out of range; valid: [0, 9007199254740992]" run "$q" --set seed=9007199254740993

((failures == 0)) || exit 1
echo "every reproducer stops with its exit code and one line, or gives a right answer"

#!/usr/bin/env bash
# Checkpoint and resume (issue 12, parts 1 and 2): a 4-rank hpo with checkpoint.every = 2 killed
# (kill -9, one rank) after its second checkpoint ends within 30 s; resumed on 2 ranks it ends with
# result files byte-identical to an uninterrupted run's. SIGUSR1 (or SIGTERM) to one rank: every
# rank checkpoints at the next step boundary, exit code 3 and one line; resumed on 3 ranks, the same
# bytes again. average and hypergradient, robust under message loss, cut by a stalled rank and
# resumed on 3 ranks; hpo, robust and lossy, preempted and resumed: the same bytes again. A
# checkpoint of another config, another format version, or a truncated or corrupt one is refused
# with exit code 2 and one line.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
q=$src/experiments/quickstart.toml
mpirun=$src/scripts/mpirun.sh
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
args=(--set outer.steps=8 --set checkpoint.every=2 --set output.progress=false)
same_as_reference() {
  for f in summary.json metrics.jsonl config.resolved.toml; do
    cmp -s "ref/$f" "$1/$f" || fail "$1: $f differs from the uninterrupted run's"
  done
}
# Waits (up to 60 s) until the manifest of checkpoint folder $1 names step $2 or a later one.
wait_for_checkpoint() {
  local step
  for _ in $(seq 1200); do
    step=$(sed -n 's/^step-0*\([0-9][0-9]*\)\.ckpt$/\1/p' "$1/MANIFEST" 2>/dev/null)
    [[ -n $step ]] && ((step >= $2)) && return 0
    sleep 0.05
  done
  return 1
}

"$mpirun" 4 "$bin" run "$q" "${args[@]}" --out ref >/dev/null || fail "reference run: exit $?"
[[ ! -e ref.checkpoint ]] || fail "reference run: its checkpoints outlived the committed results"

# 1. kill -9 one rank after the second checkpoint (or a later one); resume on 2 ranks.
"$mpirun" 4 "$bin" run "$q" "${args[@]}" --out killed >/dev/null 2>killed.err &
job=$!
if wait_for_checkpoint killed.checkpoint 4; then
  victim=$(pgrep -f "hyperpush run .*--out killed" | tail -1)
  start=$(date +%s)
  kill -9 "$victim"
  wait $job; code=$?
  ((code != 0)) || fail "kill -9: mpirun exited 0"
  (($(date +%s) - start <= 30)) || fail "kill -9: the job took over 30 s to end"
  [[ ! -e killed ]] || fail "kill -9: a result folder was written"
  "$mpirun" 2 "$bin" run "$q" "${args[@]}" --out killed --resume >/dev/null 2>resume.err ||
    fail "resume on 2 ranks: exit $?: $(cat resume.err)"
  same_as_reference killed
  [[ ! -e killed.checkpoint ]] || fail "resume: the checkpoints outlived the committed results"
else
  fail "kill -9: no second checkpoint within 60 s"; wait $job
fi

# 2. Preemption: SIGUSR1 to one rank once a checkpoint shows the run is under way.
"$mpirun" 4 "$bin" run "$q" "${args[@]}" --out preempted >/dev/null 2>preempted.err &
job=$!
if wait_for_checkpoint preempted.checkpoint 2; then
  kill -USR1 "$(pgrep -f "hyperpush run .*--out preempted" | tail -1)"
  wait $job; code=$?
  [[ $code == 3 ]] || fail "preempted: exit $code, expected 3"
  lines=$(grep '^hyperpush:' preempted.err)
  [[ $lines =~ ^hyperpush:\ preempted\ at\ step\ [0-9]+,\ checkpoint\ in\ preempted\.checkpoint$ ]] ||
    fail "preempted: the line was: $lines"
  [[ ! -e preempted && -z $(ls -A | grep '^\.preempted\.partial') ]] ||
    fail "preempted: a result or staging folder was left"
  "$mpirun" 3 "$bin" run "$q" "${args[@]}" --out preempted --resume >/dev/null 2>resume.err ||
    fail "resume on 3 ranks: exit $?: $(cat resume.err)"
  same_as_reference preempted
else
  fail "preempted: no checkpoint within 60 s"; wait $job
fi

# 3. average (checkpoints every 50 rounds) and hypergradient (every 7 Neumann steps; neumann and
#    chebyshev), lossy (faults.drop) with robust push-sum, whose per-edge running sums the checkpoints hold: rank 1
#    stalls (faults.stall_*) past a checkpoint and the job ends (exit 4); resumed on 3 ranks, the
#    same bytes as the uninterrupted run. Then hpo, robust and lossy: preempted, resumed on 3 ranks.
robust=(--set consensus.robust=true --set faults.drop=0.3 --set output.progress=false)
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
cut_and_resume() {  # NAME STALL_ROUND FILES ARGS...: run, stall rank 1 at STALL_ROUND, resume, cmp
  local name=$1 stall=$2 files=$3; shift 3
  "$mpirun" 4 "$bin" run "$@" --set faults.stall_rank=1 --set faults.stall_round="$stall" \
    --set comm.timeout=2 --out "$name" >/dev/null 2>"$name.err"
  local code=$?
  [[ $code == 4 && -f $name.checkpoint/MANIFEST ]] || fail "$name: exit $code, or no checkpoint"
  "$mpirun" 3 "$bin" run "$@" --out "$name" --resume >/dev/null 2>resume.err ||
    fail "$name: resume on 3 ranks: exit $?: $(cat resume.err)"
  for f in $files; do
    cmp -s "$name.ref/$f" "$name/$f" || fail "$name: $f differs from the uninterrupted run's"
  done
}
avg=(--set average.rounds=400 --set average.metrics_every=7 --set average.estimates=true)
avg+=(--set checkpoint.every=50 "${robust[@]}")
"$mpirun" 4 "$bin" run "$src/experiments/average.toml" "${avg[@]}" --out average.ref >/dev/null ||
  fail "average reference: exit $?"
cut_and_resume average 130 "summary.json metrics.jsonl estimates.json config.resolved.toml" \
  "$src/experiments/average.toml" "${avg[@]}"
hg=(--set task=hypergradient --set hypergradient.push_rounds=15 --set checkpoint.every=7)
hg+=("${robust[@]}")
"$mpirun" 4 "$bin" run "$q" "${hg[@]}" --out hypergradient.ref >/dev/null ||
  fail "hypergradient reference: exit $?"
# Two thirds into the hyper-gradient's rounds: within its Neumann steps, past a checkpoint.
last=$(($(field hypergradient.ref/summary.json inner_rounds) +
  2 * $(field hypergradient.ref/summary.json hypergradient_rounds) / 3))
cut_and_resume hypergradient $last "summary.json hypergradients.json config.resolved.toml" \
  "$q" "${hg[@]}"
# The same with hypergradient.series = chebyshev, whose checkpoints also hold μ_i and p_i.
hg+=(--set hypergradient.series=chebyshev)
"$mpirun" 4 "$bin" run "$q" "${hg[@]}" --out chebyshev.ref >/dev/null ||
  fail "chebyshev reference: exit $?"
# Two thirds into its Neumann steps (M·S rounds after two power iterations, for α and for μ).
last=$(($(field chebyshev.ref/summary.json inner_rounds) +
  $(field chebyshev.ref/summary.json hypergradient_rounds) - 50 * 15 / 3))
cut_and_resume chebyshev $last "summary.json hypergradients.json metrics.jsonl config.resolved.toml" \
  "$q" "${hg[@]}"
"$mpirun" 4 "$bin" run "$q" "${args[@]}" "${robust[@]}" --out hpo.ref >/dev/null ||
  fail "robust hpo reference: exit $?"
"$mpirun" 4 "$bin" run "$q" "${args[@]}" "${robust[@]}" --out hpo >/dev/null 2>&1 &
job=$!
wait_for_checkpoint hpo.checkpoint 2 || fail "robust hpo: no checkpoint within 60 s"
kill -USR1 "$(pgrep -f "hyperpush run .*--out hpo\$" | tail -1)"
wait $job; code=$?
[[ $code == 3 ]] || fail "robust hpo preempted: exit $code, expected 3"
"$mpirun" 3 "$bin" run "$q" "${args[@]}" "${robust[@]}" --out hpo --resume >/dev/null 2>resume.err ||
  fail "robust hpo: resume on 3 ranks: exit $?: $(cat resume.err)"
for f in summary.json metrics.jsonl config.resolved.toml; do
  cmp -s "hpo.ref/$f" "hpo/$f" || fail "robust hpo: $f differs from the uninterrupted run's"
done
"$bin" run "$q" --set task=hypergradient --set hypergradient.method=local --set checkpoint.every=2 \
  --out local >/dev/null 2>local.err
[[ $? == 2 && $(cat local.err) == "hyperpush: error: checkpoint.every: hypergradient.method 'local' takes no Neumann steps to checkpoint; valid: 0, or method hgp or server-neumann" ]] ||
  fail "method local: $(cat local.err)"

# 4. Checkpoints that cannot be used: exit 2, one line, nothing written.
"$bin" run "$q" "${args[@]}" --set outer.steps=100000 --out bad >/dev/null 2>/dev/null &
job=$!
wait_for_checkpoint bad.checkpoint 2 || fail "refusals: no checkpoint within 60 s"
kill -USR1 $job; wait $job
ckpt=bad.checkpoint/$(cat bad.checkpoint/MANIFEST)
cp "$ckpt" good.ckpt
refuse() {
  local name=$1 line=$2; shift 2
  "$bin" run "$q" "${args[@]}" --set outer.steps=100000 --out bad --resume "$@" >/dev/null \
    2>"$name.err"
  local code=$?
  [[ $code == 2 ]] || fail "$name: exit $code, expected 2"
  [[ $(cat "$name.err") == "$line" ]] ||
    printf 'FAIL %s\n  got:      %s\n  expected: %s\n' "$name" "$(cat "$name.err")" "$line"
  [[ $(cat "$name.err") == "$line" ]] || failures=$((failures + 1))
  [[ ! -e bad ]] || fail "$name: a result folder was written"
  [[ ! -d bad.checkpoint ]] || cp good.ckpt "$ckpt"
}
refuse other_config "hyperpush: error: checkpoint $ckpt: written by another config (model.l2 = 0.0 there, 0.5 here); resume with the config it was written with" \
  --set model.l2=0.5
cut=$(($(stat -c %s good.ckpt) - 100))
head -c $cut good.ckpt >"$ckpt"
refuse truncated "hyperpush: error: checkpoint $ckpt: truncated ($cut bytes)"
/usr/bin/python3 - "$ckpt" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-100] ^= 1  # one bit of an agent's state
open(sys.argv[1], "wb").write(data)
PY
refuse corrupt "hyperpush: error: checkpoint $ckpt: corrupt (checksum mismatch)"
sed -i '0,/"format":2/s//"format":9/' "$ckpt"
refuse format "hyperpush: error: checkpoint $ckpt: format version 9, this hyperpush reads 2 only; start without --resume"
printf 'not a checkpoint' >"$ckpt"
refuse magic "hyperpush: error: checkpoint $ckpt: not a hyperpush checkpoint"
rm -r bad.checkpoint
refuse none "hyperpush: error: --resume: no checkpoint in bad.checkpoint (no MANIFEST); run without --resume to start from the beginning"
"$bin" run "$q" --set task=tree --set checkpoint.every=2 --out tree >/dev/null 2>tree.err
[[ $? == 2 && $(cat tree.err) == "hyperpush: error: checkpoint.every: task 'tree' takes no checkpoints; valid: 0, or a task that does (average, hypergradient, hpo)" ]] ||
  fail "tree: $(cat tree.err)"

((failures == 0)) && echo "checkpoint: all checks passed"
((failures == 0))

#!/usr/bin/env bash
# The SLURM templates on a real single-node SLURM on localhost (tests/e2e/lib/slurm_cluster.sh:
# needs root and the SLURM/munge packages, prints SKIPPED without them).
#   1. slurm/hyperpush-requeue.sbatch: 12 steps of the quickstart, checkpoint.every = 2, 2 tasks;
#      once its first checkpoint is there, SIGUSR1 to the batch shell (what --signal=B:USR1@120
#      sends before the time limit). The job must pass it on, be preempted (exit 3), requeue
#      itself, resume from the checkpoint and complete, with the result files of an uninterrupted
#      run (cmp).
#   2. slurm/hyperpush-sweep.sbatch: slurm/quickstart-sweep.txt as the array 1-4; tasks 1-3 must
#      give the results of local runs with their entry's overrides (cmp), task 4 (the sweep file
#      has 3 entries) must fail with exit 2 and one line.
set -euo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
# shellcheck source-path=SCRIPTDIR source=lib/slurm_cluster.sh
source "$src/tests/e2e/lib/slurm_cluster.sh"  # starts the cluster, or SKIPPED
export HYPERPUSH_ROOT=$src HYPERPUSH_BIN=$bin  # the templates' environment, exported by sbatch
q=$src/experiments/quickstart.toml
mkdir "$tmp/local"
# Local runs: one process, results do not depend on the launcher or the number of ranks.
run_locally() {
  (cd "$tmp/local" && "$bin" run "$q" "$@" >/dev/null) || fail "local run $*: exit $?"
}
same_results() {  # same_results LOCAL SLURM WHAT
  for file in summary.json metrics.jsonl config.resolved.toml; do
    cmp "$tmp/local/$1/$file" "$2/$file" || fail "$3: $file differs from the local run's"
  done
}

# 1. Preempted, requeued, resumed.
args=(--set outer.steps=12 --set outer.baseline_local=false --set checkpoint.every=2
  --set output.progress=false)
job=$(sbatch --parsable --ntasks=2 "$src/slurm/hyperpush-requeue.sbatch" "$q" "${args[@]}")
out=results/slurm-$job
log "submitted job $job (hyperpush-requeue.sbatch, 2 tasks)"
for _ in $(seq 600); do
  [[ -f $out.checkpoint/MANIFEST ]] && break
  sleep 0.1
done
[[ -f $out.checkpoint/MANIFEST ]] || fail "job $job: no checkpoint after 60 s"
scancel --signal=USR1 --batch "$job"
log "checkpoint $(<"$out.checkpoint/MANIFEST") written; sent SIGUSR1 to the batch shell"
info=""
for _ in $(seq 600); do
  info=$(scontrol -o show job "$job")
  [[ $info == *" JobState=PENDING "* && $info == *" Restarts=1 "* ]] && break
  sleep 0.1
done
[[ $info == *" Restarts=1 "* ]] || fail "job $job not requeued after 60 s: $(job_result "$job")"
# A requeued batch job becomes eligible only once its old credential has expired (the credential
# lifetime, 120 s by default, plus 1 s): start it sooner. slurmd revokes the old credential when the
# job is killed, and refuses every credential of the job issued up to that second ("Job credential
# revoked"): wait until the node has let the job go and the clock has passed that second.
wait_for_idle_node
sleep 2
log "job $job requeued, $(grep -oE '\<EligibleTime=[^ ]*' <<<"$info"); starting it now"
scontrol update JobId="$job" StartTime=now
wait_for_job "$job" 120
state=$(job_result "$job")
log "job $job left the queue: $state"
[[ $state == "JobState=COMPLETED ExitCode=0:0" ]] || fail "job $job did not complete"
grep -qE '^hyperpush: preempted at step [0-9]+, checkpoint in '"$out"'\.checkpoint$' \
  "hyperpush-$job.out" || fail "job $job: the run was not preempted"
grep -qE '^hyperpush-requeue\.sbatch: job [0-9]+ \(restart 1\).*, resuming from step-' \
  "hyperpush-$job.out" || fail "job $job: the restart did not resume"
[[ ! -e $out.checkpoint ]] || fail "job $job: the checkpoints outlived the committed results"
log "job $job: $(grep -oE 'preempted at step [0-9]+' "hyperpush-$job.out"), requeued, resumed"
# The same command line the template ran, config.resolved.toml included.
run_locally "${args[@]}" --set "checkpoint.dir=$out.checkpoint" --out requeue
same_results requeue "$out" "job $job"
log "summary.json, metrics.jsonl, config.resolved.toml identical to an uninterrupted local run"

# 2. A sweep as a job array, one task too many.
sweep=$src/slurm/quickstart-sweep.txt
common=(--set outer.steps=3 --set outer.baseline_local=false --set output.progress=false)
array=$(sbatch --parsable --ntasks=1 --array=1-4 "$src/slurm/hyperpush-sweep.sbatch" "$q" "$sweep" \
  "${common[@]}")
log "submitted array job $array (hyperpush-sweep.sbatch, tasks 1-4, 1 task each)"
wait_for_job "$array" 120
for task in 1 2 3; do
  state=$(job_result "${array}_$task")
  [[ $state == "JobState=COMPLETED ExitCode=0:0" ]] || fail "array task $task: $state"
  read -ra overrides < <(grep -vE '^[[:space:]]*(#|$)' "$sweep" | sed -n "${task}p")
  run_locally "${common[@]}" "${overrides[@]}" --out "sweep-$task"
  same_results "sweep-$task" "results/sweep-$array/$task" "array task $task"
  log "array task $task (${overrides[*]}): results identical to a local run"
done
state=$(job_result "${array}_4")
[[ $state == "JobState=FAILED ExitCode=2:0" ]] || fail "array task 4: $state, expected exit 2"
refusal=$(cat "hyperpush-sweep-${array}_4.out")
[[ $refusal == "hyperpush-sweep.sbatch: $sweep has 3 entries, no entry 4; valid: --array=1-3" ]] ||
  fail "array task 4 said: $refusal"
log "array task 4 refused: $refusal"
log "PASS"

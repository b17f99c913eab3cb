#!/usr/bin/env bash
# slurm/hyperpush.sbatch on a real single-node SLURM on localhost: submits the average task on 4
# tasks and checks that the job completes, reaches consensus (error < 1e-12) and writes the same
# summary.json as a local 2-rank mpirun (results do not depend on the launcher). The cluster comes
# from tests/e2e/lib/slurm_cluster.sh: it needs root and the packages of scripts/install-deps.sh
# (slurmctld slurmd slurm-client munge), prints SKIPPED without them, and stops every daemon it
# started on exit.
set -euo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
# shellcheck source-path=SCRIPTDIR source=lib/slurm_cluster.sh
source "$src/tests/e2e/lib/slurm_cluster.sh"  # starts the cluster, or SKIPPED

job=$(HYPERPUSH_ROOT=$src sbatch --parsable --ntasks=4 \
  --export="ALL,HYPERPUSH_BIN=$bin,HYPERPUSH_OUT=$tmp/job/results/slurm-%j" \
  "$src/slurm/hyperpush.sbatch" "$src/experiments/average.toml" \
  --set agents=13 --set output.progress=false)
job=${job%%;*}
log "submitted job $job (4 tasks)"

wait_for_job "$job" 120
state=$(job_result "$job")
log "job $job left the queue: $state"
[[ $state == "JobState=COMPLETED ExitCode=0:0" ]] || fail "job $job did not complete"

result=$tmp/job/results/slurm-$job
[[ -f $result/summary.json ]] || fail "no $result/summary.json"
/usr/bin/python3 - "$result/summary.json" <<'EOF' || fail "summary.json is not what was asked for"
import json, sys
s = json.load(open(sys.argv[1]))
ok = s["agents"] == 13 and s["consensus_error"] < 1e-12
print(f"  summary.json: agents {s['agents']}, consensus error {s['consensus_error']:.3e}")
sys.exit(0 if ok else 1)
EOF
grep -q "^hyperpush average: 13 agents on 4 ranks" hyperpush-"$job".out \
  || fail "the job's output does not show 13 agents on 4 ranks"
log "job output hyperpush-$job.out: 13 agents on 4 ranks"

"$src/scripts/mpirun.sh" 2 "$bin" run "$src/experiments/average.toml" \
  --set agents=13 --set output.progress=false --out "$tmp/local" >/dev/null
for file in summary.json metrics.jsonl config.resolved.toml; do
  cmp "$tmp/local/$file" "$result/$file" || fail "$file differs between srun (4) and mpirun (2)"
done
log "summary.json, metrics.jsonl, config.resolved.toml identical to a local 2-rank mpirun"
log "PASS"

#!/usr/bin/env bash
# slurm/hyperpush.sbatch on a real single-node SLURM: starts munged (unless one answers), slurmctld
# and slurmd on localhost with a throwaway slurm.conf, submits the quickstart on 4 tasks, and checks
# that the job completes, reaches consensus (error < 1e-12) and writes the same summary.json as a
# local 2-rank mpirun (results do not depend on the launcher). Needs root and the packages of
# scripts/install-deps.sh (slurmctld slurmd slurm-client munge); prints SKIPPED without them.
# Every daemon it started is stopped on exit, also on failure. See shared notes/slurm-local.md.
set -euo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
t0=$SECONDS
log() { printf '[slurm.sh %3ds] %s\n' $((SECONDS - t0)) "$*"; }
fail() { log "FAIL: $*"; exit 1; }

missing=()
for cmd in slurmctld slurmd sbatch srun squeue sinfo scontrol munged munge unmunge; do
  command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if ((${#missing[@]})); then
  echo "SKIPPED: SLURM/munge not installed (missing ${missing[*]}); scripts/install-deps.sh installs them"
  exit 0
fi
if ((EUID != 0)); then
  echo "SKIPPED: needs root to start munged, slurmctld and slurmd"
  exit 0
fi
if ! awk '$2 ~ "^/sys/fs/cgroup" {found=1} END {exit !found}' /proc/mounts; then
  # slurmd 22.05 always loads a cgroup plugin; every booted system and container mounts cgroups,
  # a bare chroot does not.
  echo "SKIPPED: no cgroup filesystem mounted on /sys/fs/cgroup (slurmd cannot start)"
  exit 0
fi

tmp=$(mktemp -d /tmp/hyperpush-slurm.XXXXXX)
chmod 711 "$tmp"  # munged (user munge) keeps its pid and log files in $tmp/munge
started_munged=""
# Running and not a zombie (where PID 1 does not reap, a stopped daemon stays a zombie).
alive() { [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }
cleanup() {
  local code=$? pidfile pid
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" $started_munged; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  if ((code != 0)); then
    for f in "$tmp"/munge/munged.log "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/job/hyperpush-*.out; do
      [[ -f $f ]] && { echo "---- last lines of $f"; tail -n 20 "$f"; }
    done
  fi
  rm -rf "$tmp"
  log "daemons stopped, scratch removed (exit $code)"
}
trap cleanup EXIT

# munge: reuse one that answers, else start our own as user munge (munged refuses to run as root).
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "munged: reusing the running one"
else
  if [[ ! -s /etc/munge/munge.key ]]; then
    runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
  fi
  for dir in /run/munge /var/log/munge /var/lib/munge; do  # as the package sets them up
    [[ -d $dir ]] || install -d -o munge -g munge -m 755 "$dir"
  done
  # Its pid and log files live in the scratch folder, so the trap stops this munged and no other.
  install -d -o munge -g munge -m 700 "$tmp/munge"
  runuser -u munge -- munged --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log"
  started_munged="$tmp/munge/munged.pid"
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n | unmunge >/dev/null || fail "munged does not answer"
  log "munged: started (pid $(<"$started_munged"))"
fi

# Two free TCP ports, so a SLURM already running on the default ones (6817, 6818) is no obstacle.
read -r ctld_port slurmd_port < <(/usr/bin/python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

mkdir -p "$tmp/state" "$tmp/spool" "$tmp/job"
: > "$tmp/plugstack.conf"
cat > "$tmp/slurm.conf" <<EOF
# single-node test cluster written by tests/e2e/slurm.sh
ClusterName=hyperpush-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
PlugStackConfig=$tmp/plugstack.conf
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
# Only our test cluster's settings: no stray sbatch/srun defaults from the caller's environment.
for name in $(compgen -e); do
  if [[ $name =~ ^(SLURM_|SBATCH_|SALLOC_) && $name != SLURM_CONF ]]; then unset "$name"; fi
done

slurmctld -i
slurmd -N localhost
log "slurmctld (port $ctld_port) and slurmd (port $slurmd_port) started"

state=""
for _ in $(seq 300); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.1
done
[[ $state == idle ]] || fail "node not idle after 30 s (sinfo says '$state')"
log "node localhost idle"

cd "$tmp/job"
job=$(HYPERPUSH_ROOT=$src sbatch --parsable --ntasks=4 \
  --export="ALL,HYPERPUSH_BIN=$bin,HYPERPUSH_OUT=$tmp/job/results/slurm-%j" \
  "$src/slurm/hyperpush.sbatch" "$src/experiments/average.toml" \
  --set agents=13 --set output.progress=false)
job=${job%%;*}
log "submitted job $job (4 tasks)"

left=""
for _ in $(seq 1200); do
  if [[ -z $(squeue -h -j "$job" -t PENDING,CONFIGURING,RUNNING,COMPLETING,SUSPENDED 2>/dev/null) ]]; then
    left=yes
    break
  fi
  sleep 0.1
done
[[ -n $left ]] || fail "job $job still queued after 120 s"
info=$(scontrol -o show job "$job")
job_state=$(grep -o 'JobState=[A-Z_]*' <<<"$info")
exit_code=$(grep -o ' ExitCode=[0-9:]*' <<<"$info")
log "job $job left the queue: $job_state$exit_code"
[[ $job_state == JobState=COMPLETED && $exit_code == " ExitCode=0:0" ]] || fail "job $job did not complete"

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

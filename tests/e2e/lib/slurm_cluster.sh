# shellcheck shell=bash
# Sourced by the SLURM tests (tests/e2e/slurm*.sh): a real single-node SLURM on localhost. Sourcing
# it checks what is needed (root, the packages of scripts/install-deps.sh — slurmctld slurmd
# slurm-client munge — and a cgroup filesystem), and without it prints "SKIPPED: why" and exits 0;
# else it starts munged (unless one answers), slurmctld and slurmd with a throwaway slurm.conf on
# two free ports, waits for the node to be idle and changes to $tmp/job, where the caller submits.
# Every daemon it started is stopped on exit, also on failure, and the scratch folder $tmp goes
# with them. See shared notes/slurm-local.md.
t0=$SECONDS
log() { printf '[%s %3ds] %s\n' "$(basename "$0")" $((SECONDS - t0)) "$*"; }
fail() { log "FAIL: $*"; exit 1; }

# Waits (up to $2 seconds) until job $1 — every task of it, for an array — has left the queue.
wait_for_job() {
  local job=$1 seconds=$2
  for _ in $(seq $((seconds * 10))); do
    local queued
    queued=$(squeue -h -j "$job" -t PENDING,CONFIGURING,RUNNING,COMPLETING,SUSPENDED 2>/dev/null)
    [[ -z $queued ]] && return 0
    sleep 0.1
  done
  fail "job $job still queued after $seconds s"
}
# "JobState=… ExitCode=…" of job $1 (one task of an array: ARRAYID_TASK), on one line.
job_result() { scontrol -o show job "$1" | grep -oE '\<(JobState|ExitCode)=[^ ]*' | paste -sd ' '; }

missing=()
for cmd in slurmctld slurmd sbatch srun squeue sinfo scontrol scancel munged munge unmunge; do
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
stop_slurm_cluster() {
  local code=$? pidfile pid
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" $started_munged; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  if ((code != 0)); then
    for f in "$tmp"/munge/munged.log "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/job/*.out; do
      [[ -f $f ]] && { echo "---- last lines of $f"; tail -n 20 "$f"; }
    done
  fi
  rm -rf "$tmp"
  log "daemons stopped, scratch removed (exit $code)"
}
trap stop_slurm_cluster EXIT

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
cat > "$tmp/slurm.conf" <<CONF
# single-node test cluster written by tests/e2e/lib/slurm_cluster.sh
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
CONF
export SLURM_CONF=$tmp/slurm.conf
# Only our test cluster's settings: no stray sbatch/srun defaults from the caller's environment.
for name in $(compgen -e); do
  if [[ $name =~ ^(SLURM_|SBATCH_|SALLOC_) && $name != SLURM_CONF ]]; then unset "$name"; fi
done

slurmctld -i
slurmd -N localhost
log "slurmctld (port $ctld_port) and slurmd (port $slurmd_port) started"

wait_for_idle_node() {  # wait_for_idle_node: until sinfo says idle, at most 30 s
  local state=""
  for _ in $(seq 300); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [[ $state == idle ]] && return
    sleep 0.1
  done
  fail "node not idle after 30 s (sinfo says '$state')"
}
wait_for_idle_node
log "node localhost idle"
cd "$tmp/job" || exit 1

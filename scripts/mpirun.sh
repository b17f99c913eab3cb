#!/usr/bin/env bash
# mpirun with what Open MPI needs here: permission to run as root (containers, CI) and
# --oversubscribe when more ranks than cores are asked for.
# Usage: scripts/mpirun.sh NP command [args...]
set -euo pipefail
np=${1:?usage: scripts/mpirun.sh NP command [args...]}
shift
flags=()
# hwloc's OpenGL probe connects to X displays at "localhost": on machines without /etc/hosts that is
# a DNS lookup which can stall start-up for seconds. hyperpush has no use for GPU topology via X.
export HWLOC_COMPONENTS=${HWLOC_COMPONENTS:--gl}
if ((EUID == 0)); then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# The cores, not what OMP_NUM_THREADS says: GNU nproc reports that variable when it is set.
if ((np > $(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc))); then
  flags+=(--oversubscribe)
fi
exec mpirun "${flags[@]}" -np "$np" "$@"

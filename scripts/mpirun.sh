#!/usr/bin/env bash
# mpirun with what Open MPI needs here: permission to run as root (containers, CI) and
# --oversubscribe when more ranks than cores are asked for.
# Usage: scripts/mpirun.sh NP command [args...]
set -euo pipefail
np=${1:?usage: scripts/mpirun.sh NP command [args...]}
shift
flags=()
if ((EUID == 0)); then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
if ((np > $(nproc))); then
  flags+=(--oversubscribe)
fi
exec mpirun "${flags[@]}" -np "$np" "$@"

#!/usr/bin/env bash
# README command 1: install what is missing, build, run the quickstart experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/mpirun.sh 4 build/bin/hyperpush run experiments/quickstart.toml

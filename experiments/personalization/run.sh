#!/usr/bin/env bash
# Personalization by per-class logit weights (experiments/personalization/config.toml): HGP
# against the local-only baseline and against plain SGP (λ_i = 0, the shared model alone), with
# the same inner solver (experiments/lib/compare_tuning.sh says what each run is).
#
#   bash experiments/personalization/run.sh        # from the repository root
#
# Writes to $OUT (results/personalization): runs/{hgp,local,fixed}/, history.csv and table.md;
# the figure goes to $PNG (docs/figures/personalization.png).
#
# Environment: NP (MPI ranks per run, default 2), OUT, PNG, EXTRA (more --set options for all runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/lib/compare_tuning.sh
compare_tuning experiments/personalization/config.toml "${OUT:-results/personalization}" \
  "${PNG:-docs/figures/personalization.png}"

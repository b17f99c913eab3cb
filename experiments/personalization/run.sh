#!/usr/bin/env bash
# Personalization by per-class logit weights (experiments/personalization/config.toml): HGP
# against the local-only baseline and against plain SGP (λ_i = 0, the shared model alone), with
# the same inner solver (experiments/lib/compare_tuning.sh says what each run is).
#
#   bash experiments/personalization/run.sh        # from the repository root
#
# Writes to $OUT (results/personalization): runs/{hgp,local,fixed}/, history.csv and table.md;
# the figure goes to $PNG ($OUT/figures/personalization.png). To regenerate the figure
# the docs show (docs/figures/ is tracked: only when the docs' figure is meant to change):
#
#   PNG=docs/figures/personalization.png bash experiments/personalization/run.sh
#
# Environment: NP (MPI ranks per run, default 2), OUT, PNG, EXTRA (more --set options for all runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/lib/compare_tuning.sh
out=${OUT:-results/personalization}
compare_tuning experiments/personalization/config.toml "$out" \
  "${PNG:-$out/figures/personalization.png}"

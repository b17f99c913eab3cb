#!/usr/bin/env bash
# Decentralized HPO of an MLP on Fashion-MNIST (experiments/fashion_mnist_mlp/config.toml): HGP
# against the local-only baseline and against no tuning at all, with the same inner solver
# (experiments/lib/compare_tuning.sh says what each run is).
#
#   bash experiments/fashion_mnist_mlp/run.sh        # from the repository root
#
# Writes to $OUT (results/fashion_mnist_mlp): runs/{hgp,local,fixed}/, history.csv and table.md;
# the figure goes to $PNG ($OUT/figures/fashion_mnist_mlp_hpo.png). To regenerate the figure
# the docs show (docs/figures/ is tracked: only when the docs' figure is meant to change):
#
#   PNG=docs/figures/fashion_mnist_mlp_hpo.png bash experiments/fashion_mnist_mlp/run.sh
#
# Environment: NP (MPI ranks per run, default 2), OUT, PNG, EXTRA (more --set options for all runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/lib/compare_tuning.sh
out=${OUT:-results/fashion_mnist_mlp}
compare_tuning experiments/fashion_mnist_mlp/config.toml "$out" \
  "${PNG:-$out/figures/fashion_mnist_mlp_hpo.png}"

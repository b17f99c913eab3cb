# Sourced by the experiments that compare ways of tuning λ_i (experiments/fashion_mnist_mlp,
# experiments/personalization): three runs of one hpo config, one after the other, each on NP
# ranks, then the table and figure of experiments/lib/tuning_report.py.
#   hgp    the config's HGP loop alone (outer.baseline_local = false);
#   local  hypergradient.method = local: each agent's hyper-gradient of its own problem alone, by
#          conjugate gradients, no communication (the loop outer.baseline_local = true runs after
#          HGP inside one run, here as a run of its own so that its per-step history is written);
#   fixed  no tuning: λ_i stays at its start (outer.lr = 1e-12, a depth-1 hyper-gradient), so the
#          validation loss moves only because the warm-started inner solver keeps training.
# All three see the same data, schedule, initial model and inner rounds; they differ only in how
# λ_i is updated.
#
#   source experiments/lib/compare_tuning.sh
#   compare_tuning CONFIG OUT PNG      # NP (default 2) and EXTRA (more --set options) from the env
#
# Writes OUT/runs/{hgp,local,fixed}/ (summary.json with the per-step history, metrics.jsonl,
# timings.json), OUT/history.csv and OUT/table.md; the figure goes to PNG.
source experiments/lib/runs.sh

compare_tuning() {
  local cfg=$1 out=$2 png=$3 np=${NP:-2} extra=${EXTRA:-} start t
  start=$(date +%s)
  rm -rf "$out/runs"
  mkdir -p "$out/runs"
  # shellcheck disable=SC2086  # EXTRA is a list of options
  {
    t=$(date +%s)
    hyperpush_run "$np" "$out/runs/hgp" "$cfg" --set outer.baseline_local=false $extra
    echo "hgp:   $(($(date +%s) - t)) s"
    t=$(date +%s)
    hyperpush_run "$np" "$out/runs/local" "$cfg" --set outer.baseline_local=false \
      --set hypergradient.method=local $extra
    echo "local: $(($(date +%s) - t)) s"
    t=$(date +%s)
    hyperpush_run "$np" "$out/runs/fixed" "$cfg" --set outer.baseline_local=false \
      --set outer.lr=1e-12 --set hypergradient.depth=1 --set hypergradient.power_iterations=1 $extra
    echo "fixed: $(($(date +%s) - t)) s"
  }
  "$PY" experiments/lib/tuning_report.py "$out" "$png"
  echo "total $(($(date +%s) - start)) s on $np ranks"
}

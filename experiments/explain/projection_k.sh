#!/usr/bin/env bash
# The effect of the gradient projection's dimension k on the explain task's success rates
# (specs/explain.md, "Computing GC at scale": cosines are kept up to O(1/√k)).
#
#   bash experiments/explain/projection_k.sh              # from the repository root
#
# For each data set of DATASETS (digits: 1438 training / 359 test, softmax P = 650; fashion:
# Fashion-MNIST with data.max_train = 6000 and 500 queries, P = 7850) and each k of K_LIST
# (0 = the full gradients) runs `hyperpush run experiments/explain/explain.toml` with
# explain.projection_dim = k and explain.metrics = METRICS, then prints one Markdown table per
# data set: the identical class / subclass tests' top-1 and top-5 success rates, the
# randomization test's ρ and the run's seconds. Runs land in $OUT/<dataset>-k<k>/.
#
# Environment: BIN (default build/bin/hyperpush), DATASETS (default "digits fashion"),
# K_LIST (default "16 64 256 1024 0"), METRICS (default "grad_cos"), MODEL (explain.model,
# default softmax), EXTRA (more --set arguments), OUT (default results/explain-projection).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/bin/hyperpush}
DATASETS=${DATASETS:-"digits fashion"}
K_LIST=${K_LIST:-"16 64 256 1024 0"}
METRICS=${METRICS:-grad_cos}
MODEL=${MODEL:-softmax}
EXTRA=${EXTRA:-}
OUT=${OUT:-results/explain-projection}
CFG=experiments/explain/explain.toml
[[ -x $BIN ]] || { echo "projection_k.sh: $BIN not found; build first or set BIN" >&2; exit 2; }

for ds in $DATASETS; do
  case $ds in
    digits) data=(--set data.dataset=digits) ;;
    fashion) data=(--set data.dataset=fashion-mnist --set data.max_train=6000) ;;
    *) echo "projection_k.sh: unknown data set '$ds' (digits, fashion)" >&2; exit 2 ;;
  esac
  for k in $K_LIST; do
    dir=$OUT/$ds-k$k
    # shellcheck disable=SC2086
    "$BIN" run "$CFG" "${data[@]}" --set explain.model="$MODEL" --set explain.projection_dim="$k" \
      --set explain.metrics="$METRICS" $EXTRA --out "$dir" >/dev/null
  done
done

/usr/bin/python3 - "$OUT" "$DATASETS" "$K_LIST" "$METRICS" <<'PY'
import json, sys
out, datasets, ks, metrics = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
metrics = [m.strip() for m in metrics.split(",")]
def f(v):
    return "–" if v is None else f"{v:.3f}"
for ds in datasets:
    first = json.load(open(f"{out}/{ds}-k{ks[0]}/explain.json"))
    print(f"\n{ds}: {first['model']}, P = {first['params']}, {first['train_samples']} training "
          f"samples, {first['queries']} queries, top-{first['top_k']}\n")
    print("| metric | k | identical class top-1 | top-5 | identical subclass top-1 | top-5 "
          "| randomization ρ | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for m in metrics:
        for k in ks:
            e = json.load(open(f"{out}/{ds}-k{k}/explain.json"))
            t = json.load(open(f"{out}/{ds}-k{k}/timings.json"))
            r = e["metrics"][m]
            ic, sc = r["identical_class"], r["identical_subclass"] or {}
            print(f"| {m} | {k if k != '0' else 'full'} | {f(ic['success_rate'])} "
                  f"| {f(ic['top_k_success_rate'])} | {f(sc.get('success_rate'))} "
                  f"| {f(sc.get('top_k_success_rate'))} | {f(r['randomization']['spearman'])} "
                  f"| {t['seconds_total']:.1f} |")
PY

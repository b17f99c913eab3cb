#!/usr/bin/env bash
# The `tree` task: a default run writes train and test accuracy and the tree (JSON, DOT); a small
# sensitivity grid gives byte-identical results on 1, 2 and 4 ranks; bad tree.* values are refused
# with one exact line and exit code 2 (also under 2 ranks), and nothing is written.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
printf 'task = "tree"\nagents = 4\n[output]\nprogress = false\n' > tree.toml

# 1. One tree on breast cancer (the defaults): accuracies in (0.5, 1], the files.
"$bin" run tree.toml --out one >/dev/null || fail "default run"
for file in summary.json timings.json tree.json tree.dot config.resolved.toml; do
  [[ -s one/$file ]] || fail "default run: no $file"
done
/usr/bin/python3 - one/summary.json <<'PY' || fail "default run: summary.json"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["task"] == "tree" and s["learner"] == "stable" and s["train_samples"] == 455, s
assert 0.5 < s["train_accuracy"] <= 1 and 0.5 < s["test_accuracy"] <= 1, s
assert len(s["test_accuracy_by_depth"]) == s["max_depth"] + 1
PY
grep -q '^digraph tree {' one/tree.dot || fail "tree.dot is not a digraph"

# 2. A grid on 1, 2 and 4 ranks: the same bytes (timings.json aside).
grid=(--set tree.epsilons="greedy, 0.1, 0.5, 1" --set tree.remove="1, 10%" --set tree.trials=4
      --set tree.data_seeds=2 --set tree.tree_seeds=2 --set tree.max_depth=6 --set tree.eval_depth=4)
for np in 1 2 4; do
  "$src/scripts/mpirun.sh" $np "$bin" run tree.toml "${grid[@]}" --out np$np >/dev/null \
    || fail "grid on $np ranks"
done
for file in summary.json trees.jsonl tree.json tree.dot config.resolved.toml; do
  cmp -s np1/$file np2/$file || fail "$file differs between 1 and 2 ranks"
  cmp -s np1/$file np4/$file || fail "$file differs between 1 and 4 ranks"
done
[[ $(wc -l < np1/trees.jsonl) == 16 ]] || fail "trees.jsonl: expected 4 x 2 x 2 cells"
/usr/bin/python3 - np1/summary.json np1/trees.jsonl <<'PY' || fail "grid: summary.json / trees.jsonl"
import json, sys
s = json.load(open(sys.argv[1]))["grid"]
cells = [json.loads(line) for line in open(sys.argv[2])]
assert s["remove"] == [1, 45] and len(s["rows"]) == 4 and len(s["spearman"]) == 2, s
assert [c["epsilon"] for c in cells] == [-1] * 4 + [0.1] * 4 + [0.5] * 4 + [1] * 4
assert [(c["data_seed"], c["tree_seed"]) for c in cells[:4]] == [(0, 0), (0, 1), (1, 0), (1, 1)]
for row, e in zip(s["rows"], range(4)):  # means over the cells of each epsilon at depth 4
    group = cells[4 * e:4 * e + 4]
    mean = sum(c["sensitivity"][1]["distance"][4] for c in group) / 4
    assert abs(row["sensitivity"][1] - mean) < 1e-12, (row, mean)
    assert all(0 <= c["sensitivity"][0]["distance"][4] < 1 for c in group)
PY
echo "grid: identical on 1, 2 and 4 ranks"

# 3. Bad values: exact message, exit code 2, nothing written; NPS="1 2" also under 2 ranks.
expect() {
  local name=$1 expected=$2; shift 2
  for np in ${NPS:-1}; do
    local out code
    if ((np == 1)); then
      out=$("$bin" run tree.toml --out "out-$name" "$@" 2>&1 >/dev/null); code=$?
    else
      out=$("$src/scripts/mpirun.sh" $np "$bin" run tree.toml --out "out-$name" "$@" 2>&1 >/dev/null)
      code=$?
      out=$(grep '^hyperpush:' <<<"$out")
    fi
    if [[ $code != 2 || $out != "hyperpush: error: $expected" ]]; then
      printf 'FAIL %s (np %d): exit %d\n  got:      %s\n  expected: %s\n' "$name" $np $code \
        "$out" "hyperpush: error: $expected"
      failures=$((failures + 1))
    elif [[ -e out-$name/summary.json ]]; then
      fail "$name: results were written"
    fi
  done
}
valid_eps='valid: numbers > 0, `greedy` (or a negative number) and logspace(a, b, n), comma-separated, e.g. "greedy, logspace(-5, 0, 21)"'
valid_remove='valid: counts from 1 to 454 or percentages below 100% of the 455 training samples, comma-separated, e.g. "1, 10%"'
NPS="1 2" expect epsilons_word "tree.epsilons: 'abc' is not an epsilon; $valid_eps" --set tree.epsilons=abc
expect epsilons_zero "tree.epsilons: epsilon 0 is not valid; $valid_eps" --set "tree.epsilons=greedy, 0"
expect logspace_args \
  "tree.epsilons: 'logspace(1,2)' is not logspace(a, b, n) with numbers a, b and a count n >= 1; $valid_eps" \
  --set "tree.epsilons=logspace(1,2)"
expect epsilon_zero "tree.epsilon = 0 is not valid; valid: > 0 for the stable tree, < 0 for greedy" \
  --set tree.epsilon=0
expect remove_all "tree.remove: '100%' is not a removal size; $valid_remove" --set tree.remove=100%
NPS="1 2" expect remove_count "tree.remove: '455' removes 455 samples; $valid_remove" --set tree.remove=455
expect eval_depth "tree.eval_depth = 7 is deeper than tree.max_depth = 5; valid: 0 (= max_depth) to 5" \
  --set tree.eval_depth=7
expect cart_epsilons \
  "tree.epsilons: the cart learner has no epsilon; set tree.learner = \"stable\" or leave tree.epsilons empty" \
  --set tree.learner=cart --set tree.epsilons=1
expect cart_seeds "tree.tree_seeds = 2: the cart learner draws nothing at random; valid with cart: 1" \
  --set tree.learner=cart --set tree.tree_seeds=2
expect bad_learner \
  "--set tree.learner=forest: key 'tree.learner' = \"forest\" is not valid; valid: stable, cart" \
  --set tree.learner=forest

echo "$failures failure(s)"
exit $((failures > 0))

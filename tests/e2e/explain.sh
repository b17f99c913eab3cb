#!/usr/bin/env bash
# The `explain` task on digits: explain.json has the issue's shape and sane values (GC near 1 on
# the identical class test, input-space metrics exactly 1 on the randomization test); the results
# are byte-identical on 1, 2 and 4 ranks with 4 agents (decentralized top-k by merge consensus);
# a bad metric name is refused with one exact line and exit code 2.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
printf 'task = "explain"\nagents = 4\n[data]\ndataset = "digits"\n[explain]\ntest_instances = 120\n[output]\nprogress = false\n' > explain.toml

for np in 1 2 4; do
  "$src/scripts/mpirun.sh" $np "$bin" run explain.toml --out np$np >/dev/null || fail "run on $np ranks"
done
for file in explain.json config.resolved.toml; do
  cmp -s np1/$file np2/$file || fail "$file differs between 1 and 2 ranks"
  cmp -s np1/$file np4/$file || fail "$file differs between 1 and 4 ranks"
done
/usr/bin/python3 - np1/explain.json <<'PY' || fail "explain.json"
import json, sys
e = json.load(open(sys.argv[1]))
m = e["metrics"]
assert set(m) == {"grad_cos", "grad_dot", "if", "rif", "fk", "x_cos", "x_dot", "x_l2"}, m.keys()
for name, r in m.items():
    ic, sc = r["identical_class"], r["identical_subclass"]
    assert ic["count"] == 120 and 0 <= ic["success_rate"] <= 1, (name, ic)
    assert 0 < sc["count"] <= 120 and 0 <= sc["success_rate"] <= 1, (name, sc)
    assert -1 <= r["randomization"]["spearman"] <= 1, (name, r)
assert m["grad_cos"]["identical_class"]["success_rate"] >= 0.95, m["grad_cos"]
for name in ("x_cos", "x_dot", "x_l2"):
    assert m[name]["randomization"]["spearman"] == 1.0, (name, m[name])
assert abs(m["grad_cos"]["randomization"]["spearman"]) < 0.5, m["grad_cos"]
assert e["agents"] == 4 and e["flooding_rounds_per_retrieval"] > 0, e
assert sorted(e["superclasses"]) == [0] * 5 + [1] * 5, e["superclasses"]
PY

out=$("$bin" run explain.toml --set explain.metrics="grad_cos, gc" --out bad 2>&1 >/dev/null); code=$?
[[ $code == 2 ]] || fail "bad metric: exit code $code"
expected="hyperpush: error: explain.metrics: unknown metric 'gc'; valid: x_l2, x_cos, x_dot, if, rif, fk, grad_dot, grad_cos"
[[ $out == "$expected" ]] || fail "bad metric: got '$out'"
[[ ! -e bad/explain.json ]] || fail "bad metric: explain.json written"

((failures == 0)) && echo "explain: ok"
exit $((failures > 0))

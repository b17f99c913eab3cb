#!/usr/bin/env bash
# Task influence (issue 14, part 1): 8 agents, synthetic mixture, per-sample weights; 10 top and 10
# random removals. Byte-identical on 1 and 2 ranks; the actual changes of F after push-DIGing
# retraining equal those after gathered Newton (an independent solver) to 1e-6 of their scale; the
# exact formula predicts the top removals' changes (R² > 0.8: a first-order prediction, and with 30
# samples per agent one removal is a large change) and HGP's R² is within 0.01 of it; HGP ranks
# every sample as the exact formula does (τ > 0.99) and better than the local-only baseline;
# summary.json's R² and τ equal a Python recomputation from influence.json; without per-sample
# weights, or with method exact: exit 2 and the message.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg=$src/experiments/influence/config.toml
small=(--set agents=8 --set data.samples_per_agent=30 --set influence.top=10 --set influence.random=10
       --set output.progress=false)
run() { local np=$1 out=$2; shift 2
  "$src/scripts/mpirun.sh" "$np" "$bin" run "$cfg" "${small[@]}" --out "$out" "$@" >/dev/null; }

run 1 "$tmp/one"
run 2 "$tmp/two"
cmp "$tmp/one/summary.json" "$tmp/two/summary.json"
cmp "$tmp/one/influence.json" "$tmp/two/influence.json"
run 2 "$tmp/newton" --set inner.solver=exact
/usr/bin/python3 - "$tmp/one" "$tmp/newton" <<'PY'
import json, math, sys
one, newton = (json.load(open(f"{d}/influence.json"))["removals"] for d in sys.argv[1:3])
summary = json.load(open(f"{sys.argv[1]}/summary.json"))
scale = max(abs(r["actual"]) for r in newton)
worst = max(abs(a["actual"] - b["actual"]) for a, b in zip(one, newton))
assert worst <= 1e-6 * scale, f"push-DIGing vs Newton retraining: {worst:.2e} > 1e-6 * {scale:.2e}"

def tau_b(x, y):
    c = d = tx = ty = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            a, b = x[i] - x[j], y[i] - y[j]
            if a == 0 and b == 0:
                continue
            if a == 0:
                tx += 1
            elif b == 0:
                ty += 1
            elif a * b > 0:
                c += 1
            else:
                d += 1
    return (c - d) / math.sqrt((c + d + tx) * (c + d + ty))

def r2(p, a):
    mean = sum(a) / len(a)
    return 1 - sum((x - y) ** 2 for x, y in zip(a, p)) / sum((x - mean) ** 2 for x in a)

for name in ("top", "random"):
    rs = [r for r in one if r["set"] == name]
    assert len(rs) == 10, f"{name}: {len(rs)} removals"
    actual = [r["actual"] for r in rs]
    for key, field in (("hgp", "predicted"), ("exact", "predicted_exact"), ("local", "predicted_local")):
        p = [r[field] for r in rs]
        got = summary["removed"][key][name]
        assert abs(got["r2"] - r2(p, actual)) < 1e-9, f"{key} {name}: R² {got['r2']} vs {r2(p, actual)}"
        assert abs(got["kendall_tau"] - tau_b(p, actual)) < 1e-12, f"{key} {name}: τ"
top = summary["removed"]["exact"]["top"]
assert top["r2"] > 0.8, f"exact formula, top removals: R² {top['r2']}"
hgp_top = summary["removed"]["hgp"]["top"]["r2"]
assert abs(hgp_top - top["r2"]) < 0.01, f"top removals: R² HGP {hgp_top}, exact {top['r2']}"
assert summary["kendall_tau_method_vs_exact"] > 0.99, summary["kendall_tau_method_vs_exact"]
assert summary["kendall_tau_method_vs_exact"] > summary["kendall_tau_local_vs_exact"]
tops = {(r["agent"], r["sample"]) for r in one if r["set"] == "top"}
assert min(abs(r["predicted"]) for r in one if r["set"] == "top") >= max(
    abs(r["predicted"]) for r in one if r["set"] == "random" and (r["agent"], r["sample"]) not in tops)
print(f"R² exact/top {top['r2']:.3f}, HGP/top {summary['removed']['hgp']['top']['r2']:.3f}; "
      f"τ(HGP, exact) {summary['kendall_tau_method_vs_exact']:.4f}, "
      f"τ(local, exact) {summary['kendall_tau_local_vs_exact']:.4f}; retraining agrees with Newton to {worst / scale:.1e}")
PY
echo "identical on 1 and 2 ranks"

source "$src/tests/e2e/lib/expect_error.sh"
expect_error "hyperpush: error: task influence needs per-sample weights; valid: problem.kind = model with model.hyper = per-sample" \
  "$cfg" "${small[@]}" --set model.hyper=l2
echo "without per-sample weights: exit 2 with its message"
expect_error "hyperpush: error: task influence compares hypergradient.method with the exact formula and the local-only baseline; valid: hgp, server-neumann, hessian-exchange" \
  "$cfg" "${small[@]}" --set hypergradient.method=exact
echo "method exact: exit 2 with its message"

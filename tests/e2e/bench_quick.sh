#!/usr/bin/env bash
# scripts/bench.sh --quick: every benchmark runs (smoke sizes) and results.json has the shape the
# README's tables are made from. No speed is asserted: the figures of a smoke run mean nothing.
set -euo pipefail
bin=$1 src=$2
dir=$(dirname "$bin")
[[ -x $dir/bench_push_sum ]] || { echo "SKIPPED: the benchmarks are not built here"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$src/scripts/bench.sh" --quick --no-build --bin "$dir" --out "$tmp/results.json" \
  >"$tmp/tables.md" 2>"$tmp/log" || { tail -30 "$tmp/log"; echo "FAIL: bench.sh --quick"; exit 1; }
/usr/bin/python3 - "$tmp/results.json" "$tmp/tables.md" <<'PY'
import json, math, sys
results = json.load(open(sys.argv[1]))
bench = results["benchmarks"]
assert results["quick"] is True and results["machine"]["cores"] >= 1, results["machine"]
def number(value, where):
    assert isinstance(value, (int, float)) and math.isfinite(value) and value >= 0, (where, value)
for ranks in (2, 4):
    rows = bench[f"push_sum_{ranks}"]["rows"]
    assert rows and bench[f"push_sum_{ranks}"]["ranks"] == ranks
    for key in ("ring_ms", "messages_ms", "messages_vs_ring", "messages_vs_ring_plus_mix",
                "messages_vs_mix", "shared_ms", "shared_vs_ring", "shared_vs_mix", "allreduce_ms"):
        number(rows[0][key], f"push_sum_{ranks}.{key}")
s = bench["straggler_4"]
assert len(s["sync_rounds_per_second"]) == len(s["async_rounds_per_second"]) == 4
for key in ("others_async_vs_sync", "sync_consensus_error", "async_consensus_error"):
    number(s[key], "straggler_4." + key)
for ranks in (1, 2, 4):
    h = bench[f"hypergradient_{ranks}"]
    assert h["ranks"] == ranks
    for key in ("hgp_seconds", "floor_seconds"):
        number(h[key], f"hypergradient_{ranks}.{key}")
    for part in ("hgp", "floor"):
        assert h[part]["min"] <= h[part]["median"] <= h[part]["max"], h[part]
    assert set(h) >= {"numpy_seconds", "numpy_blas", "numpy"}
assert [c["depth"] for c in bench["tree"]["cart"]] == [1, 2, 3, 5, 7, 10]
number(bench["explain_gc"]["gemm_gflops"], "explain_gc.gemm_gflops")
for name in ("hypergradient_1024", "hpo_1024", "hypergradient_10000", "average_100000"):
    run = bench["scale_" + name]
    number(run["wall_seconds"], name)
    assert len(run["max_rss_mb"]) == run["ranks"] == 4, run
tables = open(sys.argv[2]).read()
for title in ("Push-sum round", "Straggler", "One hyper-gradient", "Tree fit", "GC scoring",
              "Scale"):
    assert f"**{title}**" in tables, title
print(f"bench.sh --quick: {len(bench)} benchmarks in results.json, with the expected fields")
PY

#!/usr/bin/python3
"""The README's benchmark tables, made from what scripts/bench.sh wrote (benchmarks/results.json).

Usage: scripts/update-readme-benchmarks.py [--print | --check] [RESULTS]
  (none)   rewrite the block between the bench markers in README.md
  --print  print the tables
  --check  exit 1 when README.md's block is not what RESULTS gives (a test runs this)
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- bench:begin: made by scripts/update-readme-benchmarks.py from benchmarks/results.json -->"
END = "<!-- bench:end -->"


def spread(figures, scale=1.0, digits=3):
    """median [min, max] of a {"median", "min", "max"} object, times scale."""
    if not figures:
        return "n/a"
    return (f"{figures['median'] * scale:.{digits}f} "
            f"[{figures['min'] * scale:.{digits}f}, {figures['max'] * scale:.{digits}f}]")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def push_sum(bench):
    rows = []
    for ranks in (2, 4):
        run = bench.get(f"push_sum_{ranks}")
        for r in run["rows"] if run else []:
            rows.append([ranks, f"{r['d']:.0e}", f"{r['ring_ms']:.4f}", f"{r['messages_ms']:.4f}",
                         f"{r['messages_vs_ring']:.2f}", f"{r['messages_vs_ring_plus_mix']:.2f}",
                         f"{r['messages_vs_mix']:.2f}", f"{r['shared_ms']:.4f}",
                         f"{r['shared_vs_ring']:.2f}", f"{r['shared_vs_mix']:.2f}",
                         f"{r['allreduce_ms']:.4f}"])
    return table(["ranks", "d", "ring (ms)", "push-sum (ms)", "vs ring", "vs ring + mix", "vs mix",
                  "shared (ms)", "shared vs ring", "shared vs mix", "MPI_Allreduce (ms)"], rows)


def straggler(bench):
    s = bench.get("straggler_4")
    if not s:
        return ""
    return table(["ranks", "slowed", "d", "other ranks, async / sync rounds per second",
                  "consensus error async", "sync"],
                 [[s["ranks"], f"rank {s['ranks'] - 1}, {s['slow_factor']:g}x", s["dim"],
                   f"{s['others_async_vs_sync']:.2f}", f"{s['async_consensus_error']:.1e}",
                   f"{s['sync_consensus_error']:.1e}"]])


def hypergradient(bench):
    rows = []
    for ranks in (1, 2, 4):
        h = bench.get(f"hypergradient_{ranks}")
        if not h:
            continue
        numpy = h["numpy"]
        blas = h.get("numpy_blas") or {}
        blas_name = (f"{blas.get('library')} {blas.get('version')}, {blas.get('threads')} thread(s)"
                     if isinstance(blas, dict) else str(blas))
        rows.append([ranks, spread(h["hgp"]), spread(h["floor"]),
                     f"{h['hgp_seconds'] / h['floor_seconds']:.2f}",
                     spread(numpy) + f" ({blas_name})" if numpy else "not run",
                     f"{h['numpy_seconds'] / h['hgp_seconds']:.1f}x" if numpy else "n/a"])
    return table(["ranks", "HGP (s)", "floor (s)", "HGP / floor", "numpy peer (s)",
                  "speed-up"], rows)


def tree(bench):
    t = bench.get("tree")
    if not t:
        return ""
    rows = [[c["depth"], f"{c['hyperpush_ms']:.3f}",
             f"{c['sklearn_ms']:.3f}" if c["sklearn_ms"] is not None else "n/a",
             f"{c['hyperpush_ms'] / c['sklearn_ms']:.2f}" if c["sklearn_ms"] else "n/a"]
            for c in t["cart"]]
    return table(["depth", "CART (ms)", "scikit-learn (ms)", "ratio"], rows)


def gc(bench):
    g = bench.get("explain_gc")
    if not g:
        return ""
    return table(["N × P × M", "Eigen dgemm (GFLOP/s)", "GEMM path (GFLOP/s)", "row loop (s)",
                  "GEMM path vs loop"],
                 [[f"{g['n']} × {g['p']} × {g['m']}", f"{g['dgemm_gflops']:.1f}",
                   f"{g['gemm_gflops']:.1f}", f"{g['loop_seconds']:.3f}",
                   f"{g['gemm_vs_loop']:.1f}x"]])


def scale(bench):
    rows = []
    for name in ("hypergradient_1024", "hpo_1024", "hypergradient_10000", "average_100000"):
        s = bench.get("scale_" + name)
        if not s:
            continue
        phases = sorted(s["phases"].items(), key=lambda kv: -kv[1]["seconds"])[:3]
        rows.append([f"`{s['command']}`", f"{s['wall_seconds']:.1f}",
                     f"{max(s['max_rss_mb']) / 1024:.2f}",
                     ", ".join(f"{k} {v['seconds']:.1f}" for k, v in phases) or "rounds only"])
    return table(["run (4 ranks)", "wall (s)", "max RSS per rank (GB)", "largest phases (s)"], rows)


def tables(results):
    bench = results["benchmarks"]
    m = results["machine"]
    parts = [
        f"Measured by `bash scripts/bench.sh` on {results['date']}: {m['cpu']}, {m['cores']} cores, "
        f"{m['mpi']}" + (" (**--quick: smoke sizes, the figures mean nothing**)"
                         if results["quick"] else "") + ". Medians within the run; [min, max] where"
        " a figure was repeated.",
        "**Push-sum round** (`bench_push_sum`, one agent per rank, one-peer exponential):",
        push_sum(bench),
        "**Straggler** (`bench_async_push_sum`, 4 agents per rank):",
        straggler(bench),
        "**One hyper-gradient** (`bench_hypergradient`: 16 agents, d = 785, M = 100, S = 10; the "
        "numpy peer with the BLAS threads it reports):",
        hypergradient(bench),
        "**Tree fit** (`bench_tree`, breast cancer, 455 × 30):",
        tree(bench),
        "**GC scoring** (`bench_explain_gc`):",
        gc(bench),
        "**Scale** (`experiments/scale/`):",
        scale(bench),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mode = next((a for a in sys.argv[1:] if a.startswith("--")), "")
    results_path = args[0] if args else os.path.join(ROOT, "benchmarks", "results.json")
    made = tables(json.load(open(results_path)))
    if mode == "--print":
        print(made, end="")
        return 0
    readme_path = os.path.join(ROOT, "README.md")
    readme = open(readme_path).read()
    if BEGIN not in readme or END not in readme:
        print(f"README.md has no block between {BEGIN} and {END}", file=sys.stderr)
        return 1
    head, rest = readme.split(BEGIN, 1)
    old, tail = rest.split(END, 1)
    if mode == "--check":
        if old.strip() != made.strip():
            print("README.md's benchmark tables are not benchmarks/results.json's: run "
                  "scripts/update-readme-benchmarks.py", file=sys.stderr)
            return 1
        print("README benchmark tables match benchmarks/results.json")
        return 0
    staging = readme_path + ".partial"
    with open(staging, "w") as f:
        f.write(head + BEGIN + "\n" + made + END + tail)
    os.replace(staging, readme_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

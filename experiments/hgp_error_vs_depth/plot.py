#!/usr/bin/python3
"""HGP hyper-gradient error vs depth m (Terashita & Hara 2023, experiment 1), from run.sh's CSV.

Draws, for every S, the median over seeds of the relative error against m with the inter-quartile
band (log-log axes), and prints Markdown tables: the median error (with quartiles) at the largest m
per S, and, when errors_auto_alpha.csv is there, the same at M = 200 with the automatic step size.

Usage: /usr/bin/python3 experiments/hgp_error_vs_depth/plot.py [RESULTS_DIR] [PNG]
  RESULTS_DIR  defaults to results/hgp_error_vs_depth (reads errors.csv, errors_auto_alpha.csv,
               alpha.csv; writes table.md there)
  PNG          defaults to RESULTS_DIR/figures/hgp_error_vs_depth.png; to regenerate the figure
               the docs show: plot.py results/hgp_error_vs_depth docs/figures/hgp_error_vs_depth.png
Relative paths are taken from the repository root.
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FLOOR = 1e-17  # an error of exactly 0 is drawn here (log axis)


def rel(path):
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def quartiles(values):
    q1, med, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return med, q1, q3


def main():
    results = rel(sys.argv[1] if len(sys.argv) > 1 else "results/hgp_error_vs_depth")
    png = rel(sys.argv[2] if len(sys.argv) > 2
              else os.path.join(results, "figures", "hgp_error_vs_depth.png"))
    rows = read(os.path.join(results, "errors.csv"))
    s_values = sorted({int(r["S"]) for r in rows})
    m_values = sorted({int(r["M"]) for r in rows})
    seeds = sorted({int(r["seed"]) for r in rows})
    cell = {}
    for r in rows:
        cell.setdefault((int(r["S"]), int(r["M"])), []).append(
            (float(r["error"]), int(r["bytes_sent"])))

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colors = plt.cm.viridis(np.linspace(0.0, 0.85, len(s_values)))
    for color, s in zip(colors, s_values):
        stats = np.array([quartiles([e for e, _ in cell[(s, m)]]) for m in m_values])
        stats = np.maximum(stats, FLOOR)
        ax.plot(m_values, stats[:, 0], "o-", color=color, ms=3.5, lw=1.6, label=f"S = {s}")
        ax.fill_between(m_values, stats[:, 1], stats[:, 2], color=color, alpha=0.18, lw=0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("depth m (Neumann steps)")
    ax.set_ylabel("relative error vs exact hyper-gradient")
    ax.set_title(f"HGP error vs depth: n = 3, random directed, {len(seeds)} seeds\n"
                 "median and inter-quartile range; inner problem solved exactly", fontsize=9.5)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left", ncol=1)
    fig.tight_layout()
    os.makedirs(os.path.dirname(png), exist_ok=True)
    fig.savefig(png, dpi=110)
    print(f"wrote {os.path.relpath(png, ROOT)}")

    m_last = m_values[-1]
    lines = [f"Median over {len(seeds)} seeds at m = {m_last} (alpha fixed per seed):", "",
             "| S | median error | 25% | 75% | max | bytes_sent (median) |",
             "|---:|---:|---:|---:|---:|---:|"]
    for s in s_values:
        errors = [e for e, _ in cell[(s, m_last)]]
        med, q1, q3 = quartiles(errors)
        nbytes = int(np.median([b for _, b in cell[(s, m_last)]]))
        lines.append(f"| {s} | {med:.1e} | {q1:.1e} | {q3:.1e} | {max(errors):.1e} | {nbytes} |")

    lines += ["", f"Median error over {len(seeds)} seeds per (S, m):", "",
              "| S | " + " | ".join(f"m = {m}" for m in m_values) + " |",
              "|---:|" + "---:|" * len(m_values)]
    for s in s_values:
        meds = [quartiles([e for e, _ in cell[(s, m)]])[0] for m in m_values]
        lines.append(f"| {s} | " + " | ".join(f"{v:.1e}" for v in meds) + " |")

    auto_path = os.path.join(results, "errors_auto_alpha.csv")
    if os.path.exists(auto_path):
        auto = read(auto_path)
        lines += ["", f"Automatic alpha (push-sum power iteration, then max-consensus so all agents share it), "
                  f"M = 200, median over {len(seeds)} seeds:", "",
                  "| S | median error | 25% | 75% | max | bytes_sent incl. power iteration (median) |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for s in sorted({int(r["S"]) for r in auto}):
            errors = [float(r["error"]) for r in auto if int(r["S"]) == s]
            nbytes = int(np.median([int(r["bytes_sent"]) for r in auto if int(r["S"]) == s]))
            med, q1, q3 = quartiles(errors)
            lines.append(f"| {s} | {med:.1e} | {q1:.1e} | {q3:.1e} | {max(errors):.1e} | {nbytes} |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(results, "table.md"), "w") as f:
        f.write(table)
    print(table, end="")


if __name__ == "__main__":
    main()

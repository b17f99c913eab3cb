#!/usr/bin/python3
"""Neumann vs Chebyshev depth, from experiments/chebyshev/run.sh's runs: figure and table.

Draws the relative hyper-gradient error against communication rounds (the power iterations' rounds
included) for each (κ, S), one line per series, and writes a Markdown table: per run the rounds to
reach 1e-8 (first depth at or below it), their ratio to Neumann's, the error floor (at the last
depth), and μ.

Usage: /usr/bin/python3 experiments/chebyshev/plot.py [RESULTS_DIR] [PNG]
  RESULTS_DIR  defaults to results/chebyshev (reads runs/*; writes table.md there)
  PNG          defaults to RESULTS_DIR/figures/chebyshev.png; for the docs' figure:
               plot.py results/chebyshev docs/figures/chebyshev_depth.png
Relative paths are taken from the repository root.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "experiments", "lib"))
from results import repository_path as rel, save_figure, write_table  # noqa: E402

CASES = [(10, 20), (100, 20), (1000, 20), (100, 2)]  # (κ, S)
SERIES = [("neumann", "Neumann (HGP)", "C0"),
          ("chebyshev-known", "Chebyshev, μ = 1 given", "C3"),
          ("chebyshev-estimated", "Chebyshev, μ estimated", "C2")]
TARGET = 1e-8


def load(results, kappa, s, series):
    """(summary, rounds per depth, error per depth) of one run."""
    run = os.path.join(results, "runs", f"kappa{kappa}_S{s}_{series}")
    summary = json.load(open(os.path.join(run, "summary.json")))
    errors = [json.loads(line)["hypergradient_error"] for line in open(os.path.join(run, "metrics.jsonl"))]
    before = summary["hypergradient_rounds"] - summary["depth"] * s  # power iterations, agreement
    rounds = [before + m * s for m in range(1, len(errors) + 1)]
    return summary, rounds, errors


def main():
    results = rel(sys.argv[1] if len(sys.argv) > 1 else "results/chebyshev")
    png = rel(sys.argv[2] if len(sys.argv) > 2 else os.path.join(results, "figures", "chebyshev.png"))
    fig, axes = plt.subplots(1, len(CASES), figsize=(15, 3.8), sharey=True)
    table = ["| κ | S | series | μ | rounds to 1e-8 | vs Neumann | error floor |",
             "|---:|---:|---|---:|---:|---:|---:|"]
    for ax, (kappa, s) in zip(axes, CASES):
        neumann_rounds = None
        for series, label, color in SERIES:
            summary, rounds, errors = load(results, kappa, s, series)
            ax.semilogy(rounds, [max(e, 1e-17) for e in errors], color=color, label=label)
            reached = next((r for r, e in zip(rounds, errors) if e <= TARGET), None)
            if series == "neumann":
                neumann_rounds = reached
            ratio = (f"{reached / neumann_rounds:.3f}" if reached and neumann_rounds else "–")
            mu = summary["mu"]
            table.append(f"| {kappa} | {s} | {series} | {'–' if mu is None else f'{mu:.3g}'} | "
                         f"{reached if reached else 'not reached'} | {ratio} | {errors[-1]:.1e} |")
        ax.axhline(TARGET, color="0.6", lw=0.8, ls="--")
        ax.set_title(f"κ = {kappa}, S = {s}")
        ax.set_xscale("log")
        ax.set_xlabel("push-sum rounds (power iterations included)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("relative error vs exact hyper-gradient")
    axes[0].legend(fontsize=8)
    save_figure(fig, png)
    write_table(results, table)
    print(f"figure: {png}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""HGP error vs depth, full batch and minibatch 20 (experiments/hgp_minibatch/run.sh): figure, table.

Draws, per batch size, the relative error against depth m for every S as mean ± one standard
deviation over the seeds, taken of log10(error): the errors of the seeds span decades, so the
arithmetic band would run below zero. Prints a Markdown table of the same (as geometric mean ×/÷
geometric standard deviation) and of the arithmetic mean at m ∈ {10, 200}.

Usage: /usr/bin/python3 experiments/hgp_minibatch/plot.py [RESULTS_DIR] [PNG]
  RESULTS_DIR  defaults to results/hgp_minibatch (reads runs/*; writes table.md there)
  PNG          defaults to RESULTS_DIR/figures/hgp_minibatch.png; for the docs' figure:
               plot.py results/hgp_minibatch docs/figures/hgp_minibatch.png
Relative paths are taken from the repository root.
"""
import glob
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "experiments", "lib"))
from results import repository_path as rel, save_figure, write_table  # noqa: E402

FLOOR = 1e-17
DEPTHS = (10, 200)


def main():
    results = rel(sys.argv[1] if len(sys.argv) > 1 else "results/hgp_minibatch")
    png = rel(sys.argv[2] if len(sys.argv) > 2 else os.path.join(results, "figures", "hgp_minibatch.png"))
    curves = {}  # (S, batch) -> [errors per depth] per seed
    for run in glob.glob(os.path.join(results, "runs", "seed*_S*_b*")):
        if not os.path.isdir(run):
            continue
        seed, s, b = map(int, re.fullmatch(r"seed(\d+)_S(\d+)_b(\d+)", os.path.basename(run)).groups())
        errors = [json.loads(line)["hypergradient_error"] for line in open(os.path.join(run, "metrics.jsonl"))]
        curves.setdefault((s, b), []).append(errors)
    s_values = sorted({s for s, _ in curves})
    batches = sorted({b for _, b in curves})
    seeds = len(next(iter(curves.values())))

    fig, axes = plt.subplots(1, len(batches), figsize=(6 * len(batches), 4.2), sharey=True)
    colors = plt.cm.viridis(np.linspace(0.0, 0.85, len(s_values)))
    table = ["| S | batch | " + " | ".join(f"m = {m}: geometric mean ×/÷ sd | mean" for m in DEPTHS) + " |",
             "|---:|---:|" + "---:|---:|" * len(DEPTHS)]
    for ax, b in zip(np.atleast_1d(axes), batches):
        for color, s in zip(colors, s_values):
            log = np.log10(np.maximum(np.array(curves[(s, b)]), FLOOR))
            mean, std = log.mean(axis=0), log.std(axis=0, ddof=1)
            m = np.arange(1, log.shape[1] + 1)
            ax.plot(m, 10**mean, color=color, lw=1.6, label=f"S = {s}")
            ax.fill_between(m, 10**(mean - std), 10**(mean + std), color=color, alpha=0.18, lw=0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(("full batch" if b == 0 else f"minibatch {b} (of 100 per agent)") +
                     f": mean ± std of log10 over {seeds} seeds", fontsize=10)
        ax.set_xlabel("depth m (Neumann steps)")
        ax.grid(True, which="major", alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel("relative error vs exact full-batch hyper-gradient")
    np.atleast_1d(axes)[0].legend(fontsize=8, loc="lower left")
    save_figure(fig, png)
    for s in s_values:
        for b in batches:
            e = np.array(curves[(s, b)])
            log = np.log10(np.maximum(e, FLOOR))
            cells = [f"{10**log[:, m - 1].mean():.1e} ×/÷ {10**log[:, m - 1].std(ddof=1):.2g} | "
                     f"{e[:, m - 1].mean():.1e}" for m in DEPTHS]
            table.append(f"| {s} | {b if b else 'full'} | " + " | ".join(cells) + " |")
    write_table(results, table)
    print(f"figure: {png}")


if __name__ == "__main__":
    main()

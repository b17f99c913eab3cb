#!/usr/bin/python3
"""Decentralized influence estimation (experiments/influence/run.sh): figure and table.

Figure: for each data set, predicted (−∂F/∂λ_k by HGP) against actual change of the validation loss
F when sample k is removed and the model retrained, the 50 top and 50 random removals of every seed.
Table: per data set, set and method (HGP, exact formula, local-only), R² and Kendall's τ as mean ±
standard deviation over the seeds, and Kendall's τ of HGP's and the local baseline's ranking of all
samples against the exact formula's.

Usage: /usr/bin/python3 experiments/influence/plot.py [RESULTS_DIR] [PNG_PREFIX]
  RESULTS_DIR  defaults to results/influence (reads runs/*; writes table.md there)
  PNG_PREFIX   defaults to RESULTS_DIR/figures/influence; the figures are PNG_PREFIX_scatter.png
               and PNG_PREFIX_depth.png (τ against the exact formula's ranking vs HGP depth).
               For the docs: plot.py results/influence docs/figures/influence
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

METHODS = [("hgp", "HGP"), ("exact", "exact formula"), ("local", "local only")]


def stat(values):
    v = np.array([x for x in values if x is not None], dtype=float)
    return f"{v.mean():.3f} ± {v.std(ddof=1) if len(v) > 1 else 0:.3f}"


def main():
    results = rel(sys.argv[1] if len(sys.argv) > 1 else "results/influence")
    prefix = rel(sys.argv[2] if len(sys.argv) > 2 else os.path.join(results, "figures", "influence"))
    runs = {}
    for run in sorted(glob.glob(os.path.join(results, "runs", "*_seed*"))):
        if not os.path.isdir(run):
            continue
        dataset, seed = re.fullmatch(r"(.+)_seed(\d+)", os.path.basename(run)).groups()
        summary = json.load(open(os.path.join(run, "summary.json")))
        removals = json.load(open(os.path.join(run, "influence.json")))["removals"]
        runs.setdefault(dataset, []).append((int(seed), summary, removals))
    datasets = sorted(runs)

    fig, axes = plt.subplots(1, len(datasets), figsize=(5.6 * len(datasets), 4.6))
    for ax, dataset in zip(np.atleast_1d(axes), datasets):
        for name, marker, color in (("top", "o", "C3"), ("random", "x", "C0")):
            p = [r["predicted"] for _, _, rs in runs[dataset] for r in rs if r["set"] == name]
            a = [r["actual"] for _, _, rs in runs[dataset] for r in rs if r["set"] == name]
            ax.scatter(p, a, s=12, marker=marker, color=color, alpha=0.7,
                       label=f"{name} 50 by |∂F/∂λ|" if name == "top" else "random 50")
        lim = max(abs(v) for _, _, rs in runs[dataset] for r in rs for v in (r["predicted"], r["actual"]))
        ax.plot([-lim, lim], [-lim, lim], color="0.5", lw=0.8, ls="--")
        ax.set_xlabel("predicted change of F, −∂F/∂λ_k (HGP)")
        ax.set_ylabel("actual change of F after removal and retraining")
        ax.set_title(f"{dataset}: 16 agents, {len(runs[dataset])} seeds", fontsize=10)
        ax.ticklabel_format(style="sci", scilimits=(-2, 2))
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
    save_figure(fig, prefix + "_scatter.png")

    depths = {}
    for run in glob.glob(os.path.join(results, "runs", "*_depth*")):
        if not os.path.isdir(run):
            continue
        dataset, depth = re.fullmatch(r"(.+)_depth(\d+)", os.path.basename(run)).groups()
        depths.setdefault(dataset, []).append((int(depth), json.load(open(os.path.join(run, "summary.json")))))
    if depths:
        fig, ax = plt.subplots(figsize=(6, 4))
        for k, dataset in enumerate(sorted(depths)):
            points = sorted(depths[dataset], key=lambda p: p[0])
            m = [d for d, _ in points]
            ax.plot(m, [s["kendall_tau_method_vs_exact"] for _, s in points], "o-", color=f"C{k}",
                    label=f"{dataset}: HGP")
            ax.axhline(points[0][1]["kendall_tau_local_vs_exact"], color=f"C{k}", ls=":",
                       label=f"{dataset}: local only")
        ax.set_xscale("log")
        ax.set_xlabel("HGP depth M (S = 20)")
        ax.set_ylabel("Kendall's τ against the exact formula's ranking")
        ax.set_title("ranking of all training samples by influence, seed 0", fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
        save_figure(fig, prefix + "_depth.png")

    lines = ["| data set | removed | method | R² | Kendall's τ |", "|---|---|---|---:|---:|"]
    for dataset in datasets:
        for name in ("top", "random"):
            for key, label in METHODS:
                r2 = [s["removed"][key][name]["r2"] for _, s, _ in runs[dataset]]
                tau = [s["removed"][key][name]["kendall_tau"] for _, s, _ in runs[dataset]]
                lines.append(f"| {dataset} | {name} 50 | {label} | {stat(r2)} | {stat(tau)} |")
    lines += ["", "| data set | τ(HGP, exact) over all samples | τ(local, exact) |", "|---|---:|---:|"]
    for dataset in datasets:
        lines.append(f"| {dataset} | {stat([s['kendall_tau_method_vs_exact'] for _, s, _ in runs[dataset]])} | "
                     f"{stat([s['kendall_tau_local_vs_exact'] for _, s, _ in runs[dataset]])} |")
    for dataset in sorted(depths):
        points = sorted(depths[dataset], key=lambda p: p[0])
        lines += ["", f"{dataset}, seed 0: τ(HGP, exact) against depth M", "",
                  "| " + " | ".join(f"M = {d}" for d, _ in points) + " |", "|" + "---:|" * len(points),
                  "| " + " | ".join(f"{s['kendall_tau_method_vs_exact']:.4f}" for _, s in points) + " |"]
    write_table(results, lines)
    print(f"figure: {prefix}_scatter.png")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Compressed push-sum, from experiments/compression/run.sh's runs: figures and tables.

Averaging (d = 1e5): consensus error against the bytes sent per agent, one line per compressor
and a panel per topology; table: rounds and bytes to reach 1e-8, and the bytes' ratio to the
uncompressed run's. Bytes up to round t = (bytes of one message) × (messages of rounds < t), the
messages of a round being the schedule's edges in it (schedules/<topology>.txt).
HGP (d = 101): hyper-gradient error against bytes_sent over S, one line per compressor; table: for
each uncompressed S, the fewest bytes with which q8 / q4 get within 2× of its error, and their ratio.

Usage: /usr/bin/python3 experiments/compression/plot.py [RESULTS_DIR] [FIGURES_DIR]
  RESULTS_DIR  defaults to results/compression (reads runs/*, schedules/*; writes table.md there)
  FIGURES_DIR  defaults to RESULTS_DIR/figures; for the docs' figures: plot.py results/compression
               docs/figures (compression_average.png, compression_hgp.png)
Relative paths are taken from the repository root.
"""
import collections
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "experiments", "lib"))
from results import repository_path as rel, save_figure, write_table  # noqa: E402

TOPOLOGIES = ["random-directed", "one-peer-exponential"]
AVERAGE = [("none", "uncompressed", "k"), ("q8", "q8", "C0"), ("q4", "q4", "C1"),
           ("topk-10000", "topk:10000 (10%), γ = 0.2", "C2"),
           ("randk-10000", "randk:10000 (10%), γ = 0.05", "C3")]
HGP = [("none", "uncompressed", "k"), ("q8", "q8", "C0"), ("q4", "q4", "C1")]
TARGET = 1e-8
LOOSE = 1e-4  # the averaging table's second column: accuracy enough for training
AGENTS = 16


def run_dir(results, name):
    return os.path.join(results, "runs", name)


def edges_per_round(results, topology):
    counts = collections.Counter()
    lines = open(os.path.join(results, "schedules", f"{topology}.txt"))
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) == 3:
            counts[int(words[0])] += 1
    return counts


def averaging(results, topology, codec):
    """(bytes per agent up to each round, worst agent error per round, summary)."""
    run = run_dir(results, f"average_{topology}_{codec}")
    summary = json.load(open(os.path.join(run, "summary.json")))
    errors = collections.defaultdict(float)
    for line in open(os.path.join(run, "metrics.jsonl")):
        r = json.loads(line)
        errors[r["round"]] = max(errors[r["round"]], r["error"])
    per_message = summary["bytes_sent"] / summary["messages_sent"]
    edges, sent, byte_axis, error_axis = edges_per_round(results, topology), 0, [], []
    for t in sorted(errors):
        byte_axis.append(sent / AGENTS)
        error_axis.append(errors[t])
        sent += edges[t] * per_message
    return byte_axis, error_axis, summary


def hgp(results, topology, codec):
    """[(S, bytes per agent, error)] ascending S, and the S whose recursion diverged (exit 5)."""
    points, diverged = [], []
    prefix = f"hgp_{topology}_{codec}_S"
    for name in os.listdir(os.path.join(results, "runs")):
        if not name.startswith(prefix):
            continue
        s, _, suffix = name[len(prefix):].partition(".")
        if suffix == "diverged":
            diverged.append(int(s))
        elif not suffix:
            summary = json.load(open(os.path.join(results, "runs", name, "summary.json")))
            points.append((int(s), summary["bytes_sent"] / AGENTS, summary["hypergradient_error"]))
    return sorted(points), sorted(diverged)


def finish(fig, axes, ylabel, png):
    """Both panels' axes (bytes against `ylabel`) and the figure written to `png`."""
    for ax in axes:
        ax.set_xlabel("MB sent per agent")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel(ylabel)
    axes[0].legend(fontsize=8)
    save_figure(fig, png)


def main():
    results = rel(sys.argv[1] if len(sys.argv) > 1 else "results/compression")
    figures = rel(sys.argv[2] if len(sys.argv) > 2 else os.path.join(results, "figures"))
    table = ["### Averaging, d = 1e5, 16 agents", "",
             "| topology | compressor | rounds to 1e-8 | MB per agent to 1e-8 | fewer bytes than "
             "uncompressed | MB per agent to 1e-4 | fewer bytes | error at the last round |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, topology in zip(axes, TOPOLOGIES):
        plain = {}
        for codec, label, color in AVERAGE:
            sent, errors, summary = averaging(results, topology, codec)
            ax.loglog([b / 1e6 for b in sent[1:]], errors[1:], color=color, label=label)  # t ≥ 1
            row = []
            for target in (TARGET, LOOSE):
                reached = next((t for t, e in enumerate(errors) if e <= target), None)
                if reached is None:
                    row += ["not reached"] * (2 if target == TARGET else 1) + ["–"]
                    continue
                if codec == "none":
                    plain[target] = sent[reached]
                ratio = f"{plain[target] / sent[reached]:.2f}×" if codec != "none" else "–"
                row += ([str(reached)] if target == TARGET else []) + [f"{sent[reached] / 1e6:.2f}", ratio]
            table.append(f"| {topology} | {label} | {' | '.join(row)} | {errors[-1]:.1e} |")
        ax.axhline(TARGET, color="0.6", lw=0.8, ls="--")
        ax.set_title(f"averaging, {topology}")
    finish(fig, axes, "consensus error (relative, worst agent)",
           os.path.join(figures, "compression_average.png"))

    table += ["", "### HGP, d = 101, depth 100, 16 agents", "",
              "| topology | uncompressed S | its error | its MB per agent | cheapest within 2×: "
              "compressor, S | its error | its MB per agent | bytes vs uncompressed |",
              "|---|---:|---:|---:|---|---:|---:|---:|"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, topology in zip(axes, TOPOLOGIES):
        runs, diverged = {}, []
        for codec, label, _ in HGP:
            runs[codec], failed = hgp(results, topology, codec)
            diverged += [f"{label} at S = {s}" for s in failed]
        for codec, label, color in HGP:
            points = runs[codec]
            ax.loglog([b / 1e6 for _, b, _ in points], [max(e, 1e-17) for _, _, e in points],
                      "o-", ms=3, color=color, label=label)
        for s, sent, error in runs["none"]:
            match = min(((b, c, t, e) for c in ("q8", "q4") for t, b, e in runs[c]
                         if e <= 2 * error), default=None)
            if match is None:
                table.append(f"| {topology} | {s} | {error:.1e} | {sent / 1e6:.2f} | none | – | – | – |")
                continue
            b, c, t, e = match
            table.append(f"| {topology} | {s} | {error:.1e} | {sent / 1e6:.2f} | {c}, S = {t} | "
                         f"{e:.1e} | {b / 1e6:.2f} | {b / sent:.2f} |")
        if diverged:
            table.append(f"| {topology} | diverged (exit 5): {', '.join(diverged)} | | | | | | |")
        ax.set_title(f"HGP, {topology} (points: S)")
    finish(fig, axes, "relative error vs exact hyper-gradient",
           os.path.join(figures, "compression_hgp.png"))
    write_table(results, table)
    print(f"figures: {figures}/compression_average.png, {figures}/compression_hgp.png")


if __name__ == "__main__":
    main()

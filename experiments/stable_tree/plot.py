#!/usr/bin/python3
"""The stable tree's figures from a `tree` grid run (Hara & Yoshida, ICLR 2023, Figures 2 and 4):
average sensitivity, training and test accuracy against epsilon (greedy as a dashed line), and the
sensitivity-accuracy trade-off; all at the run's evaluation depth (tree.eval_depth). Also prints
the acceptance table as Markdown.

Usage: /usr/bin/python3 experiments/stable_tree/plot.py RESULTS_DIR OUT_DIR [PREFIX]
Writes OUT_DIR/PREFIX_sensitivity.png, PREFIX_accuracy.png, PREFIX_tradeoff.png (PREFIX defaults
to the data set's name).
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MARKERS = ["o", "^", "v", "s", "d"]


def spearman(x, y):
    def ranks(v):
        v = np.asarray(v, dtype=float)
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            r[order[i:j + 1]] = (i + j) / 2 + 1
            i = j + 1
        return r
    rx, ry = ranks(x), ranks(y)
    return float(np.corrcoef(rx, ry)[0, 1])


def set_sensitivity_scale(ax, axis, values):
    """Log scale from the decade below the smallest value to 1; symlog when a value is 0."""
    positive = values[values > 0]
    if len(positive) == len(values):
        low = 10 ** np.floor(np.log10(positive.min()))
        getattr(ax, f"set_{axis}scale")("log")
    else:
        low = 0
        getattr(ax, f"set_{axis}scale")("symlog", linthresh=1e-3)
    getattr(ax, f"set_{axis}lim")(low, 1)


def main():
    results, out = sys.argv[1], sys.argv[2]
    summary = json.load(open(os.path.join(results, "summary.json")))
    prefix = sys.argv[3] if len(sys.argv) > 3 else summary["dataset"]
    grid = summary["grid"]
    rows = grid["rows"]
    depth = grid["eval_depth"]
    remove = grid["remove"]
    n = summary["train_samples"]
    labels = [("1 point" if k == 1 else f"{k} points ({100 * k / n:.0f}%)") for k in remove]

    eps = np.array([r["epsilon"] for r in rows])
    stable = eps > 0
    greedy = [i for i, e in enumerate(eps) if e < 0]
    if not greedy:
        sys.exit("the grid has no greedy row (add `greedy` to tree.epsilons)")
    g = rows[greedy[0]]
    e = eps[stable]
    sens = np.array([[r["sensitivity"][j] for r in rows] for j in range(len(remove))])[:, stable]
    sens_f = np.array([[r["sensitivity_feature"][j] for r in rows]
                       for j in range(len(remove))])[:, stable]
    train = np.array([r["train_accuracy"] for r in rows])[stable]
    test = np.array([r["test_accuracy"] for r in rows])[stable]
    os.makedirs(out, exist_ok=True)
    title = (f"{summary['dataset']}: depth {depth}, {grid['data_seeds']} data x "
             f"{grid['tree_seeds']} tree seeds x {grid['trials']} removals")

    # Average sensitivity against epsilon, both rule variants.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, values, key, name in ((axes[0], sens, "sensitivity", "rules (feature, threshold)"),
                                  (axes[1], sens_f, "sensitivity_feature", "rules (feature)")):
        for j, label in enumerate(labels):
            m = MARKERS[j % len(MARKERS)]
            ax.plot(e, values[j], "b" + m + "-", ms=6, label=f"stable, remove {label}")
            ax.axhline(g[key][j], color="r", ls="--", marker=m, ms=6,
                       label=f"greedy, remove {label}")
        ax.set_xscale("log")
        set_sensitivity_scale(ax, "y", np.concatenate([sens.ravel(), sens_f.ravel()]))
        ax.set_xlabel(r"$\epsilon$")
        ax.set_title(name)
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("average sensitivity (normalised)")
    axes[1].legend(fontsize=8, loc="lower left")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_sensitivity.png"), dpi=110)
    plt.close(fig)

    # Training and test accuracy against epsilon.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, values, key, name in ((axes[0], train, "train_accuracy", "training accuracy"),
                                  (axes[1], test, "test_accuracy", "test accuracy")):
        ax.plot(e, values, "bo-", ms=6, label="stable")
        ax.axhline(g[key], color="r", ls="--", label="greedy")
        ax.set_xscale("log")
        ax.set_xlabel(r"$\epsilon$")
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("accuracy")
    axes[1].legend()
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_accuracy.png"), dpi=110)
    plt.close(fig)

    # The trade-off: sensitivity against accuracy, one curve per removal size (epsilon varies).
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, values, key, name in ((axes[0], train, "train_accuracy", "training accuracy"),
                                  (axes[1], test, "test_accuracy", "test accuracy")):
        for j, label in enumerate(labels):
            m = MARKERS[j % len(MARKERS)]
            ax.plot(sens[j], values, m + "-", ms=6, label=f"stable, remove {label}")
            ax.plot([g["sensitivity"][j]], [g[key]], "r" + m, ms=9, mfc="none",
                    label=f"greedy, remove {label}")
        set_sensitivity_scale(ax, "x", sens.ravel())
        ax.set_xlabel("average sensitivity (normalised)")
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("accuracy")
    axes[1].legend(fontsize=8)
    fig.suptitle(title + r"; $\epsilon$ from $10^{-5}$ (right) to 1 (left)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_tradeoff.png"), dpi=110)
    plt.close(fig)

    # The acceptance table.
    one = [i for i, r in enumerate(rows) if r["epsilon"] == 1.0]
    print(f"| removal | greedy sensitivity | sensitivity at epsilon = 1 | ratio | "
          f"Spearman(epsilon, sensitivity), {stable.sum()} epsilons | same, epsilon >= 0.01 |")
    print("|---|---|---|---|---|---|")
    wide = e >= 0.01 - 1e-12
    for j, label in enumerate(labels):
        s1 = rows[one[0]]["sensitivity"][j] if one else float("nan")
        print(f"| {label} | {g['sensitivity'][j]:.4f} | {s1:.4f} | "
              f"{s1 / g['sensitivity'][j]:.3f} | {spearman(e, sens[j]):.3f} | "
              f"{spearman(e[wide], sens[j][wide]):.3f} |")
    print()
    print("| | greedy | epsilon = 0.1 | epsilon = 0.316 | epsilon = 1 |")
    print("|---|---|---|---|---|")
    picks = [min(range(len(rows)), key=lambda i: abs(np.log(max(rows[i]["epsilon"], 1e-300))
                                                     - np.log(x))) for x in (0.1, 0.316, 1.0)]
    for key, name in (("train_accuracy", "training accuracy"), ("test_accuracy", "test accuracy")):
        print(f"| {name} | {g[key]:.4f} | " + " | ".join(f"{rows[i][key]:.4f}" for i in picks)
              + " |")


if __name__ == "__main__":
    main()

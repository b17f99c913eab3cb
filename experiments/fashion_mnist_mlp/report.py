#!/usr/bin/python3
"""Table and figure of experiments/fashion_mnist_mlp/run.sh: HGP vs local-only vs no tuning.

Reads RESULTS_DIR/runs/{hgp,local,fixed}/summary.json (per-step history) and timings.json; writes
RESULTS_DIR/history.csv (run,step,validation_loss,test_accuracy,lambda_mean) and
RESULTS_DIR/table.md, prints the table, and draws validation loss, test accuracy and mean lambda per
outer step into PNG.

Usage: /usr/bin/python3 experiments/fashion_mnist_mlp/report.py [RESULTS_DIR] [PNG]
  RESULTS_DIR  defaults to results/fashion_mnist_mlp
  PNG          defaults to docs/figures/fashion_mnist_mlp_hpo.png
Relative paths are taken from the repository root.
"""
import os
import sys
import tempfile
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "experiments", "lib"))
from results import load_run, write_csv  # noqa: E402

RUNS = [("hgp", "HGP (M = {depth}, S = {push_rounds})", "C0"),
        ("local", "local-only (CG, no communication)", "C1"),
        ("fixed", "no tuning (λ fixed)", "C7")]


def rel(path):
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def main():
    out = rel(sys.argv[1] if len(sys.argv) > 1 else "results/fashion_mnist_mlp")
    png = rel(sys.argv[2] if len(sys.argv) > 2 else "docs/figures/fashion_mnist_mlp_hpo.png")
    runs = {name: load_run(out, name) for name, _, _ in RUNS}
    with open(os.path.join(out, "runs", "hgp", "config.resolved.toml"), "rb") as f:
        config = tomllib.load(f)
    hg = config["hypergradient"]

    rows = [(name, h["step"], h["validation_loss"], h["test_accuracy"], h["lambda_mean"])
            for name, _, _ in RUNS for h in runs[name][0]["history"]]
    write_csv(out, "history.csv", "run,step,validation_loss,test_accuracy,lambda_mean", rows)

    lines = ["| run | validation loss, step 0 → final | test accuracy, step 0 → final "
             "| mean λ final (decay e^λ) | run time |",
             "|---|---|---|---|---|"]
    for name, label, _ in RUNS:
        s, seconds = runs[name]
        first, last = s["history"][0], s["history"][-1]
        lam = last["lambda_mean"]
        lines.append(f"| {label.format(**hg)} "
                     f"| {first['validation_loss']:.4f} → {last['validation_loss']:.4f} "
                     f"| {first['test_accuracy']:.4f} → {last['test_accuracy']:.4f} "
                     f"| {lam:.3f} ({2.718281828459045 ** lam:.3g}) | {seconds:.0f} s |")
    table = "\n".join(lines) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".table.md.", dir=out)
    with os.fdopen(fd, "w") as f:
        f.write(table)
    os.chmod(tmp, 0o644)
    os.replace(tmp, os.path.join(out, "table.md"))
    print(table, end="")

    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.4))
    for name, label, color in RUNS:
        h = runs[name][0]["history"]
        steps = [r["step"] for r in h]
        label = label.format(**hg)
        axes[0].plot(steps, [r["validation_loss"] for r in h], "o-", ms=3, color=color, label=label)
        axes[1].plot(steps, [r["test_accuracy"] for r in h], "o-", ms=3, color=color)
        axes[2].plot(steps, [r["lambda_mean"] for r in h], "o-", ms=3, color=color)
    for ax, title in zip(axes, ["validation loss F = (1/n) Σ f_i", "test accuracy (mean over agents)",
                                "mean λ_i (decay e^λ)"]):
        ax.set_xlabel("outer step")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    m, d = config["model"], config["data"]
    fig.suptitle(f"{config['agents']} agents, {config['topology']['kind']}, MLP hidden {m['hidden']} "
                 f"({m['activation']}), per-agent L2 decay, Fashion-MNIST ({d['max_train']} images, "
                 f"{d['partition']} α = {d['alpha']}), {config['inner']['rounds']} inner rounds "
                 f"per outer step", fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(png), exist_ok=True)
    fig.savefig(png, dpi=120)
    print(f"wrote {out}/history.csv, {out}/table.md, {png}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Table and figure of a tuning comparison (experiments/lib/compare_tuning.sh): HGP vs local-only
vs no tuning.

Reads RESULTS_DIR/runs/{hgp,local,fixed}/summary.json (per-step history), config.resolved.toml and
timings.json; writes RESULTS_DIR/history.csv
(run,step,validation_loss,test_accuracy,lambda_mean,lambda_min,lambda_max) and RESULTS_DIR/table.md,
prints the table, and draws validation loss, test accuracy and λ (mean over agents, and the range)
per outer step into PNG.

Usage: /usr/bin/python3 experiments/lib/tuning_report.py RESULTS_DIR PNG
Relative paths are taken from the repository root.
"""
import json
import math
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
        ("fixed", "no tuning (λ_i at its start)", "C7")]
HYPER = {"l2": "per-agent L2 decay e^λ", "per-feature": "per-feature decays",
         "per-sample": "per-sample weights", "per-class": "per-class logit weights"}


def rel(path):
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def final_agents(out, name):
    """Every agent's row of metrics.jsonl at the run's last step, by agent id."""
    rows = [json.loads(line) for line in open(os.path.join(out, "runs", name, "metrics.jsonl"))]
    last = max(r["step"] for r in rows)
    return {r["agent"]: r for r in rows if r["step"] == last}


def per_agent_lines(out, decay):
    """Per agent at the last step: the range of validation losses, Σ_i e^{λ_i} for a decay, and
    the agents whose test accuracy is above / equal to / below the no-tuning run's."""
    fixed = final_agents(out, "fixed")
    lines = ["| run, last step | agent validation losses | "
             + ("Σ_i e^{λ_i} | " if decay else "")
             + "agents above / equal / below no tuning in test accuracy |",
             "|---|---|" + ("---|" if decay else "") + "---|"]
    for name, label, _ in RUNS[:2]:
        agents = final_agents(out, name)
        losses = [r["validation_loss"] for r in agents.values()]
        diff = [agents[a]["test_accuracy"] - fixed[a]["test_accuracy"] for a in agents]
        decays = f"{sum(math.exp(r['lambda_mean']) for r in agents.values()):.2f} | " if decay else ""
        lines.append(f"| {name} | {min(losses):.2f}–{max(losses):.2f} | {decays}"
                     f"{sum(d > 0 for d in diff)} / {sum(d == 0 for d in diff)} / "
                     f"{sum(d < 0 for d in diff)} |")
    return lines


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, png = rel(sys.argv[1]), rel(sys.argv[2])
    runs = {name: load_run(out, name) for name, _, _ in RUNS}
    with open(os.path.join(out, "runs", "hgp", "config.resolved.toml"), "rb") as f:
        config = tomllib.load(f)
    hg = config["hypergradient"]

    keys = ["validation_loss", "test_accuracy", "lambda_mean", "lambda_min", "lambda_max"]
    rows = [(name, h["step"], *(h[k] for k in keys))
            for name, _, _ in RUNS for h in runs[name][0]["history"]]
    write_csv(out, "history.csv", ",".join(["run", "step"] + keys), rows)

    decay = config["model"]["hyper"] == "l2"
    lines = ["| run | validation loss, step 0 → final | test accuracy, step 0 → final "
             f"| λ final: mean{' (decay e^λ)' if decay else ''}, range over agents | run time |",
             "|---|---|---|---|---|"]
    for name, label, _ in RUNS:
        s, seconds = runs[name]
        first, last = s["history"][0], s["history"][-1]
        lam = last["lambda_mean"]
        mean = f"{lam:.3f} ({2.718281828459045 ** lam:.3g})" if decay else f"{lam:.3f}"
        lines.append(f"| {label.format(**hg)} "
                     f"| {first['validation_loss']:.4f} → {last['validation_loss']:.4f} "
                     f"| {first['test_accuracy']:.4f} → {last['test_accuracy']:.4f} "
                     f"| {mean}, [{last['lambda_min']:.3f}, {last['lambda_max']:.3f}] "
                     f"| {seconds:.0f} s |")
    lines += ["", *per_agent_lines(out, decay)]
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
        axes[2].fill_between(steps, [r["lambda_min"] for r in h], [r["lambda_max"] for r in h],
                             color=color, alpha=0.12, lw=0)
    for ax, title in zip(axes, ["validation loss F = (1/n) Σ f_i", "test accuracy (mean over agents)",
                                "λ: mean over agents and range"]):
        ax.set_xlabel("outer step")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    m, d = config["model"], config["data"]
    model = (f"MLP hidden {m['hidden']} ({m['activation']})" if m["kind"] == "mlp"
             else f"{m['kind']} model")
    fig.suptitle(f"{config['agents']} agents, {config['topology']['kind']}, {model}, "
                 f"{HYPER[m['hyper']]}, {d['dataset']} ({d['max_train']} images, "
                 f"{d['partition']} α = {d['alpha']}), {config['inner']['rounds']} inner rounds "
                 f"per outer step", fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(png), exist_ok=True)
    fig.savefig(png, dpi=120)
    print(f"wrote {out}/history.csv, {out}/table.md, {png}")


if __name__ == "__main__":
    main()

"""Pictures of a run's results folder, with matplotlib:

    python3 -m hyperpush.plot RESULTS_DIR [--out FILE.png]     (or: hyperpush plot RESULTS_DIR)

What fits the task in summary.json:
  average        consensus error against rounds, one line per agent and their maximum
  hpo            validation loss, test accuracy and λ (mean, min–max) against the outer step, with
                 the local-only baseline's final figures
  hypergradient  the error against depth (metrics.jsonl), every agent's hyper-gradient against the
                 exact one, and the error per agent
  tree           train and test accuracy, and sensitivity, against ε (a grid run), else against
                 depth
  explain        per relevance metric, the identical class and subclass tests' success rates
  influence      predicted against actual change of the validation loss per removed sample, for
                 the top and the random removals, with R² and Kendall's τ
The figure goes to FILE.png (default RESULTS_DIR/plot.png), written whole or not at all.
"""
import argparse
import json
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

FLOOR = 1e-17  # zeros on a log axis


class PlotError(Exception):
    """A folder that is not a hyperpush result, or a task with nothing to draw."""


def _read_json(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise PlotError(f"{path}: no such file (a hyperpush results folder has summary.json)")
    except json.JSONDecodeError as e:
        raise PlotError(f"{path}:{e.lineno}: not JSON ({e.msg})")


def _read_metrics(folder):
    path = os.path.join(folder, "metrics.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _average(folder, summary, fig):
    ax = fig.add_subplot()
    by_agent, worst = {}, {}
    for m in _read_metrics(folder):
        by_agent.setdefault(m["agent"], []).append((m["round"], max(m["error"], FLOOR)))
        worst[m["round"]] = max(worst.get(m["round"], FLOOR), m["error"])
    if not by_agent:
        raise PlotError(f"{folder}: metrics.jsonl has no consensus errors")
    for points in by_agent.values():
        ax.semilogy(*zip(*points), color="tab:blue", alpha=0.25, lw=0.8)
    ax.semilogy(*zip(*sorted(worst.items())), color="black", lw=2, label="max over agents")
    ax.set_xlabel("push-sum round")
    ax.set_ylabel("‖w_i/ω_i − mean‖")
    ax.set_title(f"average: {summary['agents']} agents, {summary['topology']}, d = {summary['dim']}")
    ax.legend()


def _hpo(folder, summary, fig):
    history = summary["history"]
    steps = [h["step"] for h in history]
    axes = fig.subplots(1, 3)
    panels = [("validation_loss", "validation loss", "local_final_validation_loss"),
              ("test_accuracy", "test accuracy", "local_test_accuracy")]
    for ax, (key, label, local) in zip(axes, panels):
        ax.plot(steps, [h[key] for h in history], marker="o", ms=3, label=summary["method"])
        if local in summary:
            ax.axhline(summary[local], color="tab:red", ls="--", label="local only (final)")
        ax.set_xlabel("outer step")
        ax.set_ylabel(label)
        ax.legend(fontsize=8)
    ax = axes[2]
    ax.plot(steps, [h["lambda_mean"] for h in history], label="mean")
    ax.fill_between(steps, [h["lambda_min"] for h in history], [h["lambda_max"] for h in history],
                    alpha=0.3, label="min–max over agents")
    ax.set_xlabel("outer step")
    ax.set_ylabel("λ")
    ax.legend(fontsize=8)
    fig.suptitle(f"hpo: {summary['agents']} agents, {summary['topology']}")


def _hypergradient(folder, summary, fig):
    agents = _read_json(folder, "hypergradients.json")["agents"]
    if any(a["exact"] is None for a in agents):
        raise PlotError(f"{folder}: the run did not compute the exact hyper-gradient to draw "
                        "against (too large to gather)")
    v = np.array([a["hypergradient"] for a in agents])
    exact = np.array([a["exact"] for a in agents])
    by_depth = [(m["depth"], m["hypergradient_error"]) for m in _read_metrics(folder)]
    left, middle, right = fig.subplots(1, 3)
    if by_depth:
        depth, error = zip(*by_depth)
        left.loglog(depth, np.maximum(error, FLOOR))
    left.set_xlabel("depth m (Neumann steps)")
    left.set_ylabel("max_i ‖v_i − exact_i‖ / max ‖exact‖")
    middle.scatter(exact.ravel(), v.ravel(), s=8)
    lo, hi = min(exact.min(), v.min()), max(exact.max(), v.max())
    middle.plot([lo, hi], [lo, hi], color="gray", lw=0.8)
    middle.set_xlabel("exact formula")
    middle.set_ylabel(f"{summary['method']} at depth {summary['depth']}")
    error = np.linalg.norm(v - exact, axis=1) / max(np.linalg.norm(exact, axis=1).max(), FLOOR)
    right.semilogy(range(len(error)), np.maximum(error, FLOOR), marker="o", ls="none")
    right.set_xlabel("agent")
    right.set_ylabel("‖v_i − exact_i‖ / max ‖exact‖")
    fig.suptitle(f"hypergradient: {summary['method']}, depth {summary['depth']}, "
                 f"S = {summary['push_rounds']}, {summary['agents']} agents")


def _tree(folder, summary, fig):
    grid = summary.get("grid")
    rows = [r for r in (grid or {}).get("rows", []) if r.get("epsilon", 0) > 0]  # log axis
    if len(rows) > 1:
        left, right = fig.subplots(1, 2)
        eps = [r["epsilon"] for r in rows]
        for key in ("train_accuracy", "test_accuracy"):
            left.semilogx(eps, [r[key] for r in rows], marker="o", ms=3, label=key.split("_")[0])
        left.set_xlabel("ε")
        left.set_ylabel("accuracy")
        left.legend()
        for j, size in enumerate(grid.get("remove", [])):
            right.semilogx(eps, [r["sensitivity"][j] for r in rows], marker="o", ms=3,
                           label=f"remove {size}")
        right.set_xlabel("ε")
        right.set_ylabel("sensitivity (tree distance)")
        if grid.get("remove"):
            right.legend()
        fig.suptitle(f"tree ({summary['learner']}) on {summary['dataset']}")
        return
    ax = fig.add_subplot()
    depths = range(1, len(summary["train_accuracy_by_depth"]) + 1)
    for key in ("train_accuracy_by_depth", "test_accuracy_by_depth"):
        ax.plot(depths, summary[key], marker="o", label=key.split("_")[0])
    ax.set_xlabel("depth")
    ax.set_ylabel("accuracy")
    ax.legend()
    ax.set_title(f"tree ({summary['learner']}, ε = {summary['epsilon']}) on {summary['dataset']}")


def _explain(folder, summary, fig):
    metrics = _read_json(folder, "explain.json")["metrics"]
    names = sorted(metrics)
    ax = fig.add_subplot()
    x = np.arange(len(names))
    for offset, test in ((-0.2, "identical_class"), (0.2, "identical_subclass")):
        rates = [metrics[n].get(test, {}).get("success_rate", np.nan) for n in names]
        ax.bar(x + offset, rates, width=0.4, label=test.replace("_", " ") + " test")
    ax.set_xticks(x, names, rotation=45)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("success rate")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"explain: {summary.get('model', '')} on {summary.get('dataset', '')}")


def _influence(folder, summary, fig):
    removals = _read_json(folder, "influence.json")["removals"]
    ax = fig.add_subplot()
    for name, marker, color in (("top", "o", "C3"), ("random", "x", "C0")):
        figures = summary["removed"][summary["method"]][name]
        rows = [r for r in removals if r["set"] == name]
        ax.scatter([r["predicted"] for r in rows], [r["actual"] for r in rows], s=14,
                   marker=marker, color=color,
                   label=f"{name} {len(rows)}: R² {figures['r2']:.3f}, τ {figures['kendall_tau']:.3f}")
    values = [abs(v) for r in removals for v in (r["predicted"], r["actual"])]
    if values:
        ax.plot([-max(values), max(values)], [-max(values), max(values)], color="0.5", lw=0.8,
                ls="--")
    ax.set_xlabel(f"predicted change of F, −∂F/∂λ_k ({summary['method']})")
    ax.set_ylabel("actual change after removal and retraining")
    ax.ticklabel_format(style="sci", scilimits=(-2, 2))
    ax.legend(fontsize=8)
    ax.set_title(f"influence: {summary['agents']} agents, {summary['samples']} training samples")


_DRAW = {"average": _average, "hpo": _hpo, "hypergradient": _hypergradient, "tree": _tree,
         "explain": _explain, "influence": _influence}


def plot(results_dir, out=None):
    """Draws the results folder's run (see the module's doc) into `out`; returns its path."""
    summary_name = "explain.json" if os.path.exists(os.path.join(results_dir, "explain.json")) \
        else "summary.json"
    summary = _read_json(results_dir, summary_name)
    task = summary.get("task")
    if task not in _DRAW:
        raise PlotError(f"{results_dir}: task {task!r} has no plot; valid: {', '.join(_DRAW)}")
    out = out or os.path.join(results_dir, "plot.png")
    wide = task in ("hpo", "hypergradient", "tree")
    fig = plt.figure(figsize=(13 if wide else 7, 4.2))
    _DRAW[task](results_dir, summary, fig)
    fig.tight_layout()
    folder = os.path.dirname(os.path.abspath(out))
    fd, staging = tempfile.mkstemp(suffix=".png", dir=folder)
    os.close(fd)
    try:
        fig.savefig(staging, dpi=110)
        os.replace(staging, out)
    except BaseException:
        os.unlink(staging)
        raise
    finally:
        plt.close(fig)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hyperpush plot",
                                     description="Draws a hyperpush results folder.")
    parser.add_argument("results_dir")
    parser.add_argument("--out", help="the PNG to write (default RESULTS_DIR/plot.png)")
    args = parser.parse_args(argv)
    try:
        print(f"plot: {plot(args.results_dir, args.out)}")
    except (PlotError, OSError) as e:
        print(f"hyperpush: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Figure and table of experiments/message_loss/run.sh: consensus error (max over agents) vs rounds,
plain vs robust push-sum, one colour per loss probability; the round from which the error stays
at or below 1e-12, at each p.
Usage: plot.py OUT   (reads OUT/runs/<plain|robust>-p<p>/metrics.jsonl)"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

PROBABILITIES = ["0", "0.1", "0.3", "0.5"]
TARGET = 1e-12


def curve(folder):
    """Consensus error per round: the largest agent error of each recorded round."""
    error = {}
    with open(os.path.join(folder, "metrics.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            error[row["round"]] = max(error.get(row["round"], 0.0), row["error"])
    rounds = sorted(error)
    return rounds, [error[r] for r in rounds]


def settled_below(rounds, errors):
    """The first round from which the error stays at or below TARGET (robust push-sum's error
    jumps when a long-lost share arrives, so the first crossing can be followed by more)."""
    above = [r for r, e in zip(rounds, errors) if e > TARGET]
    if not above:
        return rounds[0]
    later = [r for r in rounds if r > above[-1]]
    return later[0] if later else None


def main():
    out = sys.argv[1]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    table = ["| p | plain push-sum | robust push-sum | final error, plain | final error, robust |",
             "|---|---|---|---|---|"]
    for colour, p in zip(colours, PROBABILITIES):
        cells, finals = [], []
        for mode, style in (("plain", "--"), ("robust", "-")):
            rounds, errors = curve(os.path.join(out, "runs", f"{mode}-p{p}"))
            ax.semilogy(rounds, [max(e, 1e-17) for e in errors], style, color=colour,
                        label=f"{mode}, p = {p}")
            hit = settled_below(rounds, errors)
            cells.append(str(hit) if hit is not None else f"never (≥ {min(errors):.1e})")
            finals.append(f"{errors[-1]:.1e}")
        table.append(f"| {p} | {cells[0]} | {cells[1]} | {finals[0]} | {finals[1]} |")
    ax.axhline(TARGET, color="grey", linewidth=0.8)
    ax.set_xlabel("push-sum round")
    ax.set_ylabel("consensus error (max over agents, relative)")
    ax.set_title("64 agents, random-directed: each message lost with probability p")
    ax.legend(ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "message_loss.png"), dpi=120)
    with open(os.path.join(out, "rounds.md"), "w") as f:
        f.write(f"Rounds after which the consensus error stays at or below {TARGET:g}:\n\n" + "\n".join(table) + "\n")
    print("\n".join(table))
    print(f"figure: {os.path.join(out, 'message_loss.png')}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A topology study from Python: push-sum consensus error against rounds for every topology kind,
64 agents, and the schedule's own figures (B, contraction rate).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/topology_study.py [--out FIGURE.png]
    scripts/mpirun.sh 4 /usr/bin/python3 examples/python/topology_study.py   # the same, 4 ranks

Each run is the C++ core's task `average` in this process (hyperpush.run); under mpirun every rank
runs it and rank 0 draws. The figure goes to docs/figures/topology_study.png by default.
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import hyperpush  # noqa: E402

KINDS = ["complete", "directed-ring", "exponential", "one-peer-exponential", "random-directed",
         "random-undirected", "erdos-renyi", "torus", "star"]
AGENTS, ROUNDS = 64, 200


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/figures/topology_study.png")
    args = parser.parse_args()
    curves = {}
    for kind in KINDS:
        result = hyperpush.run({"task": "average", "seed": 1, "agents": AGENTS,
                                "topology": {"kind": kind},
                                "average": {"dim": 16, "rounds": ROUNDS, "metrics_every": 5},
                                "output": {"progress": False}})
        worst = {}  # round -> max over agents of ‖w_i/ω_i − mean‖
        for m in result.metrics:
            worst[m["round"]] = max(worst.get(m["round"], 0.0), m["error"])
        analysis = hyperpush.analyse(kind, AGENTS)
        curves[kind] = (sorted(worst.items()), analysis)
    if hyperpush.rank() != 0:
        return
    print(f"{'kind':24} {'B':>4} {'contraction':>12} {'error after ' + str(ROUNDS):>18}")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for kind, (points, analysis) in curves.items():
        rounds, errors = zip(*points)
        ax.semilogy(rounds, [max(e, 1e-17) for e in errors], label=kind)
        rate = analysis["contraction_rate"]
        print(f"{kind:24} {analysis['b']:>4} {rate if rate is not None else float('nan'):>12.4g} "
              f"{errors[-1]:>18.3e}")
    ax.set_xlabel("push-sum round")
    ax.set_ylabel("consensus error (max over agents)")
    ax.set_title(f"Push-sum averaging, {AGENTS} agents, d = 16")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=120)
    print(f"figure: {args.out}")


if __name__ == "__main__":
    main()

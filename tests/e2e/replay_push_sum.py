#!/usr/bin/python3
"""Independent replay of push-sum on an exported schedule (numpy), against hyperpush's estimates.

Regenerates every agent's initial vector with the counter-based generator documented in
include/hyperpush/random.hpp, mixes with the column-stochastic push matrix of each round of the
schedule file (format: include/hyperpush/graph/schedule_file.hpp), and compares w_i/ω_i after R
rounds with hyperpush's estimates.json. Exit 1 when the relative difference exceeds 1e-12.
Usage: replay_push_sum.py SCHEDULE SEED DIM ROUNDS ESTIMATES.json [ROUNDS ESTIMATES.json ...]
"""
import json
import math
import sys

import numpy as np

MASK = (1 << 64) - 1
INITIAL_VALUE = 4  # Purpose::initial_value


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def uniform(seed, purpose, a, b, c):
    h = splitmix64(seed)
    for word in (purpose, a, b, c):
        h = splitmix64(h ^ word)
    return (h >> 11) * 2.0**-53


def normal(seed, purpose, a, b, c):
    u1 = uniform(seed, purpose, a, b, 2 * c)
    u2 = uniform(seed, purpose, a, b, 2 * c + 1)
    return math.sqrt(-2.0 * math.log1p(-u1)) * math.cos(6.283185307179586 * u2)


def read_schedule(path):
    agents = rounds = None
    edges = []
    for line in open(path):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        if agents is None:
            assert line[0] == "agents"
            agents = int(line[1])
        elif rounds is None:
            assert line[0] == "rounds"
            rounds = int(line[1])
        else:
            edges.append(tuple(int(x) for x in line))
    graphs = [np.eye(agents, dtype=bool) for _ in range(rounds)]
    for t, u, v in edges:
        graphs[t][u, v] = True
    return agents, graphs


def check_estimates(checks, estimates_after, label=""):
    """Exits 1 unless, for every (rounds, path) of checks, estimates_after(rounds) (agents × dim)
    equals the estimates.json at path to 1e-12 (relative to its largest number); prints each."""
    worst = 0.0
    for rounds, path in checks:
        mine = estimates_after(rounds)
        theirs = np.array([a["estimate"] for a in json.load(open(path))["agents"]])
        err = np.max(np.abs(mine - theirs)) / np.max(np.abs(mine))
        print(f"{label}after {rounds:3d} rounds: max relative difference {err:.2e}")
        worst = max(worst, err)
    sys.exit(0 if worst < 1e-12 else 1)


def main():
    schedule, seed, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    checks = list(zip(map(int, sys.argv[4::2]), sys.argv[5::2]))
    n, graphs = read_schedule(schedule)
    x0 = np.array([[normal(seed, INITIAL_VALUE, i, k, 0) for k in range(dim)] for i in range(n)])

    def estimates_after(rounds):
        w, omega = x0.copy(), np.ones(n)
        for t in range(rounds):
            active = graphs[t % len(graphs)]                   # active[i, j]: edge i -> j
            push = active / active.sum(axis=1, keepdims=True)  # p_ji = 1/|O_i| on row i
            w, omega = push.T @ w, push.T @ omega
        return w / omega[:, None]
    check_estimates(checks, estimates_after)


if __name__ == "__main__":
    main()

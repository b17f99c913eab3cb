#!/usr/bin/env python3
"""Regenerates a hyperpush schedule outside C++, from the documented definitions alone.

The generator is the one documented in include/hyperpush/random.hpp (splitmix64 chained over the
key (seed, purpose, a, b, c)); the kinds are the ones documented in src/graph/topologies/*.cpp.
The output is an edge-list schedule file (topologies/README.md) of rounds [t0, t1), renumbered from
0 and sorted by (t, u, v): the same edge lines `hyperpush::graph::write_schedule_file` writes, so
tests/graph/replay_test.cpp can compare the two. Pure Python (integers mod 2^64), no packages.

    python3 replay_schedule.py --kind random-directed --agents 8 --seed 42 --t0 0 --t1 4
"""
import argparse
import math
import sys

MASK = (1 << 64) - 1
EDGE_RATE, EDGE_ACTIVE, STATIC_GRAPH = 1, 2, 3  # hyperpush::Purpose


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def random_uniform(seed, purpose, a, b, c):
    h = splitmix64(seed & MASK)
    for word in (purpose, a, b, c):
        h = splitmix64(h ^ (word & MASK))
    return (h >> 11) * 2.0**-53


def powers_below(n):
    """Distances 2^k < n."""
    d, out = 1, []
    while d < n:
        out.append(d)
        d *= 2
    return out


def edges(kind, n, seed, t, args):
    """The set of edges u -> v, u != v, of round t."""
    e = set()
    if kind == "complete":
        e = {(u, v) for u in range(n) for v in range(n) if u != v}
    elif kind == "directed-ring":
        e = {(i, (i + 1) % n) for i in range(n) if n > 1}
    elif kind == "exponential":
        e = {(i, (i + d) % n) for i in range(n) for d in powers_below(n)}
    elif kind == "one-peer-exponential":
        ds = powers_below(n)
        if ds:
            d = ds[t % len(ds)]
            e = {(i, (i + d) % n) for i in range(n)}
    elif kind == "random-directed":
        lo, hi = args.rate_min, args.rate_max
        for u in range(n):
            for v in range(n):
                if u != v:
                    r = lo + (hi - lo) * random_uniform(seed, EDGE_RATE, u, v, 0)
                    if random_uniform(seed, EDGE_ACTIVE, u, v, t) < r:
                        e.add((u, v))
    elif kind == "random-undirected":
        lo, hi = args.rate_min, args.rate_max
        for u in range(n):
            for v in range(u + 1, n):
                r = lo + (hi - lo) * random_uniform(seed, EDGE_RATE, u, v, 0)
                if random_uniform(seed, EDGE_ACTIVE, u, v, t) < r:
                    e |= {(u, v), (v, u)}
    elif kind == "erdos-renyi":
        e = {(u, v) for u in range(n) for v in range(n)
             if u != v and random_uniform(seed, STATIC_GRAPH, u, v, 0) < args.probability}
    elif kind == "torus":
        rows = max(r for r in range(1, math.isqrt(n) + 1) if n % r == 0)
        cols = n // rows
        for i in range(n):
            row, col = divmod(i, cols)
            for j in (((row + 1) % rows) * cols + col, ((row - 1) % rows) * cols + col,
                      row * cols + (col + 1) % cols, row * cols + (col - 1) % cols):
                if j != i:
                    e.add((i, j))
    elif kind == "star":
        for i in range(1, n):
            e |= {(0, i), (i, 0)}
    else:
        sys.exit(f"replay_schedule.py: kind '{kind}' is not replayed")
    return e


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", required=True)
    p.add_argument("--agents", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--t0", type=int, default=0)
    p.add_argument("--t1", type=int, required=True)
    p.add_argument("--rate-min", type=float, default=0.4)
    p.add_argument("--rate-max", type=float, default=0.8)
    p.add_argument("--probability", type=float, default=0.5)
    args = p.parse_args()
    out = [f"# replayed by tests/graph/replay_schedule.py: kind '{args.kind}', seed {args.seed}",
           f"agents {args.agents}", f"rounds {args.t1 - args.t0}"]
    for t in range(args.t0, args.t1):
        out += [f"{t - args.t0} {u} {v}"
                for u, v in sorted(edges(args.kind, args.agents, args.seed, t, args))]
    print("\n".join(out))


if __name__ == "__main__":
    main()

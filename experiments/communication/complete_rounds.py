#!/usr/bin/python3
"""Rounds of an exported schedule in which the graph is complete (every ordered pair u -> v, u != v,
active). After such a round every agent holds the same (w, omega) share of the total mass, so
push-sum is exact from then on: with few agents (n = 3, random-directed) this happens often and
decides whether S push-sum rounds average exactly or not.

Usage:
  build/bin/hyperpush topology CONFIG [--set ...] --rounds 0:T --export SCHEDULE.txt
  /usr/bin/python3 experiments/communication/complete_rounds.py SCHEDULE.txt [FIRST:LAST]
Prints the fraction of complete rounds in the file and in [FIRST, LAST) (default: all), and those
rounds when there are at most 20.
"""
import sys


def main():
    path = sys.argv[1]
    agents, rounds, edges = None, None, {}
    with open(path) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if agents is None:
                agents = int(fields[1])
            elif rounds is None:
                rounds = int(fields[1])
            else:
                t, u, v = map(int, fields)
                if u != v:
                    edges.setdefault(t, set()).add((u, v))
    complete = [t for t in range(rounds) if len(edges.get(t, ())) == agents * (agents - 1)]
    first, last = 0, rounds
    if len(sys.argv) > 2:
        first, last = map(int, sys.argv[2].split(":"))
    print(f"{agents} agents, {rounds} rounds: {len(complete)} complete "
          f"({len(complete) / rounds:.2%})")
    inside = [t for t in complete if first <= t < last]
    print(f"complete rounds in [{first}, {last}): {len(inside)} ({len(inside) / (last - first):.2%})"
          + (f": {inside}" if len(inside) <= 20 else ""))


if __name__ == "__main__":
    main()

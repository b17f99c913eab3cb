#!/usr/bin/python3
"""Independent replay of compressed push-sum (numpy), against hyperpush's estimates.

Implements the round of include/hyperpush/comm/exchange.hpp (ExchangeOptions::compress) and the
codecs of include/hyperpush/comm/compression.hpp from their documentation, on an exported schedule
(tests/e2e/replay_push_sum.py reads it and regenerates the initial vectors). One reference per edge
stands for the two copies hyperpush keeps (sender's and receiver's): if those ever parted, the
estimates would too. A lost message's share is gone, or with ROBUST = 1 stays with its sender.
Exit 1 when the relative difference exceeds 1e-12.
Usage: replay_compressed.py SCHEDULE SEED DIM COMPRESS STEP DROP ROBUST ROUNDS ESTIMATES.json [...]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replay_push_sum import INITIAL_VALUE, check_estimates, normal, read_schedule, uniform  # noqa: E402

FAULT, COMPRESS = 23, 26  # Purpose::fault, Purpose::compress
BLOCK = 256


def codec(name, n, seed):
    """(encode, decode): encode(delta, edge, t) -> message; decode(message, edge, t) -> correction."""
    if name in ("q8", "q4"):
        top = 127 if name == "q8" else 7

        def encode(delta, edge, t):
            scales, codes = [], []
            for lo in range(0, n, BLOCK):
                block = delta[lo:lo + BLOCK]
                scale = float(np.float32(np.max(np.abs(block)) / top))
                q = np.sign(block) * np.floor(np.abs(block) / scale + 0.5) if scale > 0 else 0 * block
                scales.append(scale)
                codes.append(np.clip(q, -top, top))
            return scales, codes

        def decode(message, edge, t):
            return np.concatenate([c * s for s, c in zip(*message)])
        return encode, decode
    kind, k = name.split(":")
    k = int(k)

    def places(delta, edge, t):
        if kind == "topk":  # largest magnitude first, ties to the lower index
            return sorted(sorted(range(n), key=lambda i: (-abs(delta[i]), i))[:k])
        taken = set()  # randk: Floyd's sampling
        for j in range(n - k, n):
            pick = min(j, int(uniform(seed, COMPRESS, edge, t, j) * (j + 1)))
            taken.add(j if pick in taken else pick)
        return sorted(taken)

    def encode(delta, edge, t):
        at = places(delta, edge, t)
        return at, delta[at]

    def decode(message, edge, t):
        out = np.zeros(n)
        out[message[0]] = message[1]
        return out
    return encode, decode


def main():
    schedule, seed, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    name, step, drop, robust = sys.argv[4], float(sys.argv[5]), float(sys.argv[6]), sys.argv[7] == "1"
    checks = list(zip(map(int, sys.argv[8::2]), sys.argv[9::2]))
    n, graphs = read_schedule(schedule)
    encode, decode = codec(name, dim, seed)
    x0 = np.array([[normal(seed, INITIAL_VALUE, i, k, 0) for k in range(dim)] for i in range(n)])

    def estimates_after(rounds):
        w, omega = x0.copy(), np.ones(n)
        reference = {}
        for t in range(rounds):
            active = graphs[t % len(graphs)]  # active[i, j]: edge i -> j
            degree = active.sum(axis=1)
            new_w, new_omega = w.copy(), omega.copy()
            delivered = {}
            for i in range(n):  # senders: what leaves their rows
                for j in map(int, np.flatnonzero(active[i])):
                    if j == i:
                        continue
                    edge = i * n + j
                    r = reference.get(edge, np.zeros(dim))
                    message = encode(w[i] / omega[i] - r, edge, t)
                    r = r + decode(message, edge, t)
                    share = step / degree[i] * omega[i]
                    lost = uniform(seed, FAULT, i, j, t) < drop
                    if lost and robust:
                        continue  # the sender keeps its share
                    new_w[i] -= share * r
                    new_omega[i] -= share
                    if not lost:
                        reference[edge] = r
                        delivered[edge] = share
            for j in range(n):  # receivers, ascending sender
                for i in map(int, np.flatnonzero(active[:, j])):
                    if i != j and i * n + j in delivered:
                        new_w[j] += delivered[i * n + j] * reference[i * n + j]
                        new_omega[j] += delivered[i * n + j]
            w, omega = new_w, new_omega
        return w / omega[:, None]

    check_estimates(checks, estimates_after, f"{name} ")


if __name__ == "__main__":
    main()

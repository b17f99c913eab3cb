#!/usr/bin/python3
"""Writes a quadratic bilevel instance (include/hyperpush/model/quadratic_problem.hpp):
    g_i = 1/2 x^T A_i x + x^T B_i lambda_i,   f_i = 1/2 |x - c_i|^2 + gamma/2 |lambda_i|^2

Each A_i = Q_i diag(e_i) Q_i^T with Q_i a random orthogonal matrix (QR of a Gaussian matrix, signs
fixed by diag(R) > 0) and eigenvalues e_i ~ U(1, 3), then symmetrized exactly, so every A_i and the
average of the A_i have their spectrum in [1, 3] (condition number <= 3: HGP's Neumann series needs
few steps). B_i, c_i and the starting lambda_i have standard normal entries. Numbers are written with
repr (shortest round-trip form), so the file holds the exact doubles.

With --kappa K the average (1/n) Σ A_i has the condition number K exactly: every A_i = Q diag(e_i) Q^T
with one random orthogonal Q, e_i = s * w_i with s log-spaced over [1, K] and weights w_i ~ U(0.5, 1.5)
scaled so that their mean over the agents is 1. The A_i differ, their average's spectrum is s
(Chebyshev's bounds mu = 1, L = K are exact).

The shipped experiments/problems/quadratic-3agents.json is
    make_quadratic.py --agents 3 --dim 5 --hyper 2 --gamma 0.1 --seed 20240229
"""
import argparse
import json

import numpy as np


def random_spd(rng, d, low, high):
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    q = q * np.sign(np.diag(r))
    a = (q * rng.uniform(low, high, d)) @ q.T
    return (a + a.T) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agents", type=int, default=3)
    ap.add_argument("--dim", type=int, default=5, help="d, the size of x")
    ap.add_argument("--hyper", type=int, default=2, help="p_i, the size of every lambda_i")
    ap.add_argument("--gamma", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=20240229)
    ap.add_argument("--kappa", type=float, help="condition number of the average of the A_i")
    ap.add_argument("--out", default="experiments/problems/quadratic-3agents.json")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    if a.kappa:
        q, r = np.linalg.qr(rng.standard_normal((a.dim, a.dim)))
        q = q * np.sign(np.diag(r))
        w = rng.uniform(0.5, 1.5, (a.agents, a.dim))
        e = np.geomspace(1.0, a.kappa, a.dim) * (w / w.mean(axis=0))
        hessians = [(q * ei) @ q.T for ei in e]
        hessians = [(h + h.T) / 2 for h in hessians]
    else:
        hessians = [None] * a.agents
    agents = []
    for h in hessians:
        agents.append({
            "A": (random_spd(rng, a.dim, 1.0, 3.0) if h is None else h).tolist(),
            "B": rng.standard_normal((a.dim, a.hyper)).tolist(),
            "c": rng.standard_normal(a.dim).tolist(),
            "lambda": rng.standard_normal(a.hyper).tolist(),
        })
    # One matrix row per line; json.dumps writes floats with repr.
    rows = lambda m: "[\n    " + ",\n    ".join(json.dumps(r) for r in m) + "]"
    text = ",\n".join(
        '  {"A": %s,\n   "B": %s,\n   "c": %s,\n   "lambda": %s}'
        % (rows(g["A"]), rows(g["B"]), json.dumps(g["c"]), json.dumps(g["lambda"])) for g in agents)
    with open(a.out, "w") as f:
        f.write('{"gamma": %s,\n "agents": [\n%s]}\n' % (json.dumps(a.gamma), text))

if __name__ == "__main__":
    main()

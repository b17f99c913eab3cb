#!/usr/bin/python3
"""Independent numpy HGP on a quadratic problem over an exported schedule, against hyperpush.

Problem (include/hyperpush/model/quadratic_problem.hpp): g_i = ½xᵀA_i x + xᵀB_i λ_i,
f_i = ½‖x − c_i‖² + (γ/2)‖λ_i‖². x* solves (Σ A_i) x = −Σ B_i λ_i. HGP (specs/hgp.md) with the
given α, M and S, each Neumann step averaging by S push-sum rounds over the next S graphs of the
schedule file (rounds cycled). Prints the max relative difference to hypergradients.json and exits 1
above 1e-12. With MU: hypergradient.series = chebyshev on [MU, 1/ALPHA], written from the textbook
recurrence (Saad, alg. 12.1: x += d; r −= A d; rho' = 1/(2 sigma − rho); d = rho' rho d + 2 rho'/delta r),
the residual r averaged by push-sum as HGP averages its u.
Usage: hgp_replay.py PROBLEM.json SCHEDULE.txt ALPHA M S HYPERGRADIENTS.json [MU]
"""
import json
import sys

import numpy as np


def read_schedule(path):
    agents = rounds = None
    edges = []
    for line in open(path):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if agents is None:
            agents = int(fields[1])
        elif rounds is None:
            rounds = int(fields[1])
        else:
            edges.append(tuple(int(x) for x in fields))
    graphs = [np.eye(agents, dtype=bool) for _ in range(rounds)]
    for t, u, v in edges:
        graphs[t][u, v] = True
    return graphs


def main():
    problem = json.load(open(sys.argv[1]))
    graphs = read_schedule(sys.argv[2])
    alpha, depth, rounds = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    theirs = [np.array(a["hypergradient"]) for a in json.load(open(sys.argv[6]))["agents"]]
    agents = problem["agents"]
    n, gamma = len(agents), problem["gamma"]
    A = [np.array(a["A"]) for a in agents]
    B = [np.array(a["B"]) for a in agents]
    c = [np.array(a["c"]) for a in agents]
    lam = [np.array(a["lambda"]) for a in agents]
    x = np.linalg.solve(sum(A), -sum(Bi @ li for Bi, li in zip(B, lam)))  # x*
    u = np.array([(x - ci) / n for ci in c])                               # (1/n) ∇_x f_i
    v = [gamma * li / n for li in lam]                                     # (1/n) ∇_λ f_i
    mu = float(sys.argv[7]) if len(sys.argv) > 7 else None
    if mu is not None:
        theta, delta = (1 / alpha + mu) / 2, (1 / alpha - mu) / 2
        sigma = theta / delta
        rho = 1 / sigma
        d = np.zeros_like(u)
    t = 0
    for m in range(depth):
        w, omega = u.copy(), np.ones(n)
        for _ in range(rounds):
            active = graphs[t % len(graphs)]
            push = active / active.sum(axis=1, keepdims=True)  # row i: p_ji = 1/|O_i|
            w, omega = push.T @ w, push.T @ omega
            t += 1
        w_hat = w / omega[:, None]
        if mu is not None:  # residual r = w_hat: d ← ρ_m ρ_{m−1} d + (2ρ_m/δ) r, d_0 = r/θ
            if m == 0:
                d = w_hat / theta
            else:
                rho_next = 1 / (2 * sigma - rho)
                d = rho_next * rho * d + (2 * rho_next / delta) * w_hat
                rho = rho_next
            v = [v[i] - B[i].T @ d[i] for i in range(n)]
            u = np.array([w_hat[i] - A[i] @ d[i] for i in range(n)])
            continue
        for i in range(n):
            v[i] = v[i] - alpha * (B[i].T @ w_hat[i])           # v_i −= α J_i ŵ_i, J_i = B_iᵀ
        u = np.array([w_hat[i] - alpha * (A[i] @ w_hat[i]) for i in range(n)])
    scale = max(np.linalg.norm(vi) for vi in v)
    err = max(np.linalg.norm(v[i] - theirs[i]) for i in range(n)) / scale
    series = "neumann" if mu is None else f"chebyshev on [{mu}, {1 / alpha:.4g}]"
    print(f"{series}, M = {depth}, S = {rounds}: max relative difference to numpy {err:.2e}")
    sys.exit(0 if err < 1e-12 else 1)


if __name__ == "__main__":
    main()

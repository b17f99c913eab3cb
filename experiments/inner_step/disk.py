"""Homogeneous-mode model: worst critical s = α·h over eigenvalues λ = ρ e^{iθ} of C (θ ∈ (0, π]),
vs the ring's λ = cos(π/n) e^{iπ/n}. Gives the exponent p in s_c ≈ k (1 − ρ)^p."""
import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np
from pdiging import homogeneous_radius

def sc(lam):
    ok = lambda s: homogeneous_radius(lam, s) < 1 - 1e-13
    lo, hi = 1e-12, 4.0
    if ok(hi): return hi
    for _ in range(80):
        mid = np.sqrt(lo * hi)
        (lo, hi) = (mid, hi) if ok(mid) else (lo, mid)
        if hi / lo < 1.001: break
    return lo

print(f"{'rho':>8} {'worst s_c':>10} {'theta*':>7} {'/(1-rho)^2':>10} {'ring-like theta=sqrt(2(1-rho))':>14} {'/(1-rho)^1.5':>10}")
for rho in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999):
    th = np.linspace(1e-4, np.pi, 2000)
    v = np.array([sc(rho * np.exp(1j * t)) for t in th])
    k = v.argmin()
    tr = np.arccos(rho)  # ring: |λ| = cos θ, arg = θ
    sr = sc(rho * np.exp(1j * tr))
    print(f"{rho:8.3f} {v[k]:10.3g} {th[k]:7.3f} {v[k]/(1-rho)**2:10.3f} {sr:14.3g} {sr/(1-rho)**1.5:10.3f}")

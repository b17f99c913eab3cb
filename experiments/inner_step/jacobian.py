"""Critical s = α·L_max from the spectral radius of the push-DIGing linearisation at x* (static,
doubly stochastic schedules; heterogeneous logistic Hessians), vs the homogeneous-Hessian value."""
import os
import sys, json
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdiging import *
OUT = os.environ.get('OUT', 'results/inner_step')
os.makedirs(OUT, exist_ok=True)

def critical(C, H, L, lo=1e-7, hi=20.0):
    f = lambda s: jacobian_radius(C, H, s / L) < 1 - 1e-13
    if f(hi): return hi
    while not f(lo): lo /= 10
    for _ in range(40):
        mid = np.sqrt(lo * hi)
        (lo, hi) = (mid, hi) if f(mid) else (lo, mid)
        if hi / lo < 1.01: break
    return lo

res = {}
for n in (8, 16):
    P = Logistic(n)
    xs = P.solution()
    H = P.hessians(np.tile(xs, (n, 1)))
    for kind in ('directed-ring', 'exponential', 'torus', 'complete'):
        C = Schedule(kind, n).C0
        sc = critical(C, H, P.Lmax)
        # rate at a few steps
        res[f'{kind}/{n}'] = dict(s_crit=sc, Lmax=P.Lmax, L_at_xstar=float(max(np.linalg.eigvalsh(h).max() for h in H)))
        print(kind, n, res[f'{kind}/{n}'], flush=True)
json.dump(res, open(os.path.join(OUT, 'jacobian.json'), 'w'), indent=1)

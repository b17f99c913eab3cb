"""Step sweep: for each kind and n, simulate push-DIGing at s = α·L_max on a geometric grid.
usage: sweep.py PROBLEM(logistic|quad) N KIND... [--lo 1e-6 --hi 2 --k 24 --rounds 20000]"""
import os
import sys, json, time, argparse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdiging import *
OUT = os.environ.get('OUT', 'results/inner_step')
os.makedirs(OUT, exist_ok=True)

ap = argparse.ArgumentParser()
ap.add_argument('problem'); ap.add_argument('n', type=int); ap.add_argument('kinds', nargs='+')
ap.add_argument('--lo', type=float, default=0.01); ap.add_argument('--hi', type=float, default=2.0)
ap.add_argument('--k', type=int, default=24); ap.add_argument('--rounds', type=int, default=20000)
ap.add_argument('--extra', type=float, nargs='*', default=[0.2])
ap.add_argument('--tag', default='')
a = ap.parse_args()
P = Logistic(a.n) if a.problem == 'logistic' else Quadratics(a.n, d=10, L=1.0, kappa=10.0, seed=a.n, homogeneous=(a.problem == 'quadhom'))
grid = np.unique(np.concatenate([np.geomspace(a.lo, a.hi, a.k), a.extra]))
for kind in a.kinds:
    sch = Schedule(kind, a.n)
    t = time.time()
    r = push_diging(P, sch, grid / P.Lmax, a.rounds)
    st = classify(r)
    rows = [dict(s=float(s), status=str(x), rounds=int(k), last=float(l), slope=float(sl), stable=bool(ok))
            for s, x, k, l, sl, ok in zip(grid, r['status'], r['rounds'], r['last'], r['slope'], st)]
    stable_s = [w['s'] for w in rows if w['stable']]
    # largest s such that it and every smaller grid step are stable
    smax = 0.0
    for w in rows:
        if not w['stable']: break
        smax = w['s']
    conv = [w for w in rows if w['status'] == 'conv']
    best = min(conv, key=lambda w: w['rounds']) if conv else None
    out = dict(problem=a.problem, n=a.n, kind=kind, Lmax=P.Lmax, rounds_cap=a.rounds,
               s_stable_max=smax, s_best=best and best['s'], rounds_best=best and best['rounds'],
               rows=rows, secs=time.time() - t)
    print(f"{a.problem} n={a.n} {kind}: stable up to s={smax:.4g}, best s={out['s_best']} "
          f"({out['rounds_best']} rounds), 0.2 -> {[ (w['status'], w['rounds']) for w in rows if abs(w['s']-0.2)<1e-12]} "
          f"[{out['secs']:.0f}s]", flush=True)
    json.dump(out, open(os.path.join(OUT, f'sweep_{a.problem}_{a.n}_{kind}{a.tag}.json'), 'w'), indent=0)

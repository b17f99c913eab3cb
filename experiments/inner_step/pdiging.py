"""Faithful numpy model of hyperpush's push-DIGing inner solver (src/bilevel/inner_solver.cpp).

Mixing (src/comm/exchange.cpp + src/graph/digraph.cpp): every round's digraph gets a self-loop at
every agent; agent k sends its row to each j in O_k(t) ∪ {k} with weight 1 / |O_k(t) ∪ {k}|, so
C(t)[j, k] = 1 / (out_degree_k(t) + 1): column stochastic.

Push-DIGing, same order as InnerSolver::push_diging:
  init   u = x0 (= 0), y = ∇g(x0), v = 1, g_old = ∇g(x0)
  round  u -= α y ; [u, y, v] <- C(t) [u, y, v] ; x = u / v ; g = ∇g(x) ; y += g - g_old ; g_old = g
  check  every 50 rounds: ‖Σ_i ∇g_i(x̄)‖ and max_i ‖x_i − x̄‖ (x̄ plain mean), tol 1e-10 both.
The state carries a leading axis S: S step sizes simulated at once on the same schedule.
"""
import numpy as np

# ----------------------------------------------------------------------------- topologies

def ring_edges(n, t):
    return [(i, (i + 1) % n) for i in range(n)] if n > 1 else []


def exponential_edges(n, t):
    out = []
    for i in range(n):
        d = 1
        while d < n:
            out.append((i, (i + d) % n))
            d *= 2
    return out


def one_peer_exp_edges(n, t):
    L = 0
    d = 1
    while d < n:
        L += 1
        d *= 2
    if L == 0:
        return []
    d = 1 << (t % L)
    return [(i, (i + d) % n) for i in range(n)]


def complete_edges(n, t):
    return [(u, v) for u in range(n) for v in range(n) if u != v]


def torus_edges(n, t):
    rows = 1
    r = 1
    while r * r <= n:
        if n % r == 0:
            rows = r
        r += 1
    cols = n // rows
    out = set()
    for i in range(n):
        row, col = divmod(i, cols)
        for j in (((row + 1) % rows) * cols + col, ((row + rows - 1) % rows) * cols + col,
                  row * cols + (col + 1) % cols, row * cols + (col + cols - 1) % cols):
            if j != i:
                out.add((i, j))
    return sorted(out)


class RandomDirected:
    """u -> v active in round t w.p. r_uv ~ U(0.4, 0.8) drawn once (own RNG, not splitmix)."""

    def __init__(self, n, seed=1, lo=0.4, hi=0.8):
        self.n = n
        rng = np.random.default_rng(seed)
        self.rate = rng.uniform(lo, hi, size=(n, n))
        np.fill_diagonal(self.rate, 0.0)
        self.seed = seed

    def __call__(self, n, t):
        rng = np.random.default_rng([self.seed, 7, t])
        return rng.random((n, n)) < self.rate  # act[u, v]: u -> v


def mixing(n, edges):
    """C[j, k] = 1/(outdeg_k + 1) for j in O_k ∪ {k} (self-loop added, duplicates dropped)."""
    A = np.eye(n, dtype=bool)
    if isinstance(edges, np.ndarray):
        A |= edges.T
    else:
        for u, v in edges:
            A[v, u] = True
    C = A / A.sum(axis=0, keepdims=True)
    return C


class Schedule:
    KINDS = ["directed-ring", "exponential", "one-peer-exponential", "complete", "torus",
             "random-directed"]

    def __init__(self, kind, n, seed=1):
        self.kind, self.n = kind, n
        gen = {"directed-ring": ring_edges, "exponential": exponential_edges,
               "one-peer-exponential": one_peer_exp_edges, "complete": complete_edges,
               "torus": torus_edges}.get(kind)
        if kind == "random-directed":
            gen = RandomDirected(n, seed)
        self.gen = gen
        self.static = kind in ("directed-ring", "exponential", "complete", "torus")
        if self.static:
            self.C0 = mixing(n, gen(n, 0))
        elif kind == "one-peer-exponential":
            L = max(1, int(np.ceil(np.log2(n))) if n > 1 else 1)
            self.period = [mixing(n, gen(n, t)) for t in range(L)]
        self.cache = {}

    def C(self, t):
        if self.static:
            return self.C0
        if self.kind == "one-peer-exponential":
            return self.period[t % len(self.period)]
        return mixing(self.n, self.gen(self.n, t))


def slem(C):
    ev = np.linalg.eigvals(C)
    ev = ev[np.argsort(-np.abs(ev))]
    return float(np.abs(ev[1])) if len(ev) > 1 else 0.0


def contraction_rate(sched, t0=0, t1=64, probes=4, seed=3, exact=1e-13):
    """analysis.cpp's estimate: push-sum of random normal probes, max relative error per round,
    rate = (e_prefix / e_0)^(1/prefix) over the rounds with e > 1e-13."""
    n = sched.n
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n, probes))
    om = np.ones(n)
    mean = w.mean(axis=0)
    scale = np.abs(mean).max() or 1.0
    err = [np.abs(w / om[:, None] - mean).max() / scale]
    for t in range(t0, t1):
        C = sched.C(t)
        w = C @ w
        om = C @ om
        err.append(np.abs(w / om[:, None] - mean).max() / scale)
    k = 1
    while k <= t1 - t0 and err[k] > exact:
        k += 1
    prefix = k - 1
    return 0.0 if prefix == 0 else (err[prefix] / err[0]) ** (1.0 / prefix)


def asymptotic_rate(sched, t0=0, rounds=3000, probes=4, seed=3, exact=1e-12):
    """Per-round factor of push-sum error over a long window (tail, after the transient)."""
    n = sched.n
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n, probes))
    om = np.ones(n)
    mean = w.mean(axis=0)
    errs = []
    for t in range(t0, t0 + rounds):
        C = sched.C(t)
        w = C @ w
        om = C @ om
        e = np.abs(w / om[:, None] - mean).max()
        errs.append(e)
        if e < exact:
            break
    errs = np.array(errs)
    k = len(errs)
    if k < 4:
        return 0.0
    a, b = k // 2, k - 1
    return float((errs[b] / errs[a]) ** (1.0 / (b - a)))

# ----------------------------------------------------------------------------- problems

class Quadratics:
    """g_i(x) = ½ xᵀA_i x − b_iᵀx, A_i = Q_i diag(e_i) Q_iᵀ, e_i in [mu, L_i], L_i in [0.3, 1]·L."""

    def __init__(self, n, d=10, L=1.0, kappa=10.0, seed=0, homogeneous=False):
        rng = np.random.default_rng(seed)
        mu = L / kappa
        A = []
        for i in range(n):
            if homogeneous and i > 0:  # identical Hessians (an iid split), different b_i
                A.append(A[0])
                continue
            Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
            Li = L if i == 0 else rng.uniform(0.3, 1.0) * L
            e = np.concatenate([[Li, mu], rng.uniform(mu, Li, d - 2)])
            A.append((Q * e) @ Q.T)
        self.A = np.array(A)  # (n, d, d)
        self.b = rng.standard_normal((n, d))
        self.n, self.d = n, d
        self.Lmax = max(np.linalg.eigvalsh(a).max() for a in self.A)

    def grad(self, x):  # x (S, n, d)
        return np.einsum('ijk,sik->sij', self.A, x) - self.b

    def sum_grad(self, xbar):  # xbar (S, d)
        return xbar @ self.A.sum(0).T - self.b.sum(0)

    def hessians(self, x=None):
        return self.A


def _dirichlet_split(labels, n, alpha, rng, min_per_agent=10):
    out = [[] for _ in range(n)]
    for k in np.unique(labels):
        idx = np.nonzero(labels == k)[0]
        rng.shuffle(idx)
        p = rng.dirichlet(alpha * np.ones(n))
        cuts = np.minimum(len(idx), np.floor(len(idx) * np.cumsum(p)).astype(int))
        cuts[-1] = len(idx)
        begin = 0
        for j in range(n):
            end = cuts[j]
            out[j].extend(idx[begin:end].tolist())
            begin = max(begin, end)
    for r in range(n):
        while len(out[r]) < min_per_agent:
            donor = max(range(n), key=lambda j: len(out[j]))
            out[donor].sort()
            out[r].append(out[donor].pop())
    return [np.array(sorted(o)) for o in out]


class Logistic:
    """Breast cancer, Dirichlet(alpha) label split over n agents (min 10 each), 60% train per agent,
    global standardization, bias column; g_i = mean_k log(1+e^z) − y z + ½ decay ‖x‖²."""

    def __init__(self, n, alpha=0.4, decay=1.0, seed=1, train_fraction=0.6):
        from sklearn.datasets import load_breast_cancer
        X, y = load_breast_cancer(return_X_y=True)
        rng = np.random.default_rng(seed)
        parts = _dirichlet_split(y, n, alpha, rng)
        Xs, ys, owner = [], [], []
        for i, p in enumerate(parts):
            p = p.copy()
            rng.shuffle(p)
            m = max(1, int(round(train_fraction * len(p))))
            Xs.append(X[p[:m]])
            ys.append(y[p[:m]])
            owner += [i] * m
        Xt = np.concatenate(Xs)
        mu, sd = Xt.mean(0), Xt.std(0)
        sd[sd == 0] = 1
        Xt = (Xt - mu) / sd
        self.X = np.hstack([Xt, np.ones((len(Xt), 1))])
        self.y = np.concatenate(ys).astype(float)
        self.owner = np.array(owner)
        self.n, self.d = n, self.X.shape[1]
        self.m = np.bincount(self.owner, minlength=n).astype(float)
        self.wk = 1.0 / self.m[self.owner]  # 1/m_i per sample
        self.decay = decay
        self.starts = np.searchsorted(self.owner, np.arange(n))
        assert np.all(np.diff(self.owner) >= 0) and np.all(self.m > 0)
        self.P = np.zeros((n, len(self.y)))  # P[i, k] = 1/m_i if owner(k) = i
        self.P[self.owner, np.arange(len(self.y))] = self.wk
        self.Lmax = max(np.linalg.eigvalsh(H).max() for H in self.hessians(np.zeros((n, self.d))))

    def grad(self, x):  # (S, n, d)
        xs = x[:, self.owner, :]  # (S, m, d)
        z = (xs * self.X).sum(-1)
        r = (0.5 * (1 + np.tanh(0.5 * z)) - self.y) * self.wk  # (σ(z) − y) / m_i
        G = np.add.reduceat(r[:, :, None] * self.X, self.starts, axis=1)  # owners are sorted
        return G + self.decay * x

    def sum_grad(self, xbar):  # (S, d)
        z = xbar @ self.X.T  # (S, m)
        r = (0.5 * (1 + np.tanh(0.5 * z)) - self.y) * self.wk
        return r @ self.X + self.n * self.decay * xbar

    def hessians(self, x):  # x (n, d) -> (n, d, d)
        z = np.einsum('md,md->m', x[self.owner], self.X)
        s = 0.5 * (1 + np.tanh(0.5 * z))
        w = s * (1 - s) * self.wk
        H = np.zeros((self.n, self.d, self.d))
        for i in range(self.n):
            k = self.owner == i
            H[i] = (self.X[k] * w[k, None]).T @ self.X[k] + self.decay * np.eye(self.d)
        return H

    def solution(self):
        x = np.zeros(self.d)
        for _ in range(50):
            g = self.sum_grad(x[None])[0]
            H = self.hessians(np.tile(x, (self.n, 1))).sum(0)
            x = x - np.linalg.solve(H, g)
            if np.linalg.norm(g) < 1e-14:
                break
        return x

# ----------------------------------------------------------------------------- push-DIGing

def push_diging(problem, sched, alphas, rounds, tol=1e-10, check_every=50, t0=0,
                blowup=1e8, record=False):
    """Simulate len(alphas) runs at once. Returns dict with, per step: rounds to tol (or -1),
    status ('conv', 'div', 'open'), last residual, log-slope of the error over the last checks."""
    alphas = np.asarray(alphas, float)
    S, n, d = len(alphas), problem.n, problem.d
    x = np.zeros((S, n, d))
    u = x.copy()
    g_old = problem.grad(x)
    y = g_old.copy()
    v = np.ones((S, n))
    done = np.full(S, -1)
    status = np.array(['open'] * S, dtype=object)
    alive = np.ones(S, bool)
    hist = []
    a = alphas[:, None, None]
    for t in range(1, rounds + 1):
        u -= a * y
        C = sched.C(t0 + t - 1)
        u = C @ u
        y = C @ y
        v = v @ C.T
        x = u / v[:, :, None]
        g = problem.grad(x)
        y += g - g_old
        g_old = g
        if t % check_every == 0 or t == rounds:
            xbar = x.mean(axis=1)
            res = np.linalg.norm(problem.sum_grad(xbar), axis=1)
            cons = np.linalg.norm(x - xbar[:, None, :], axis=2).max(axis=1)
            err = np.maximum(res, cons)
            hist.append(np.where(np.isfinite(err), err, np.inf))
            newly = alive & (res <= tol) & (cons <= tol)
            done[newly] = t
            status[newly] = 'conv'
            bad = alive & ~(err < blowup)
            status[bad] = 'div'
            alive &= ~(newly | bad)
            # freeze finished columns (keeps numbers finite, saves nothing but is harmless)
            for arr in (u, y, g_old):
                arr[~alive] = 0.0
            v[~alive] = 1.0
            if not alive.any():
                break
    H = np.array(hist)  # (checks, S)
    slope = np.full(S, np.nan)
    k = len(H)
    if k >= 6:
        lo = int(k * 0.6)
        with np.errstate(all='ignore'):
            lh = np.log(np.maximum(H[lo:], 1e-300))
            tt = np.arange(lo, k) * check_every
            for s in range(S):
                if status[s] == 'open':
                    slope[s] = np.polyfit(tt, lh[:, s], 1)[0]
    return dict(alphas=alphas, rounds=done, status=status, last=H[-1] if k else None,
                slope=slope, hist=H if record else None)


def classify(r):
    """stable: converged, or open with a negative error slope."""
    st = []
    for s, sl in zip(r['status'], r['slope']):
        st.append(s == 'conv' or (s == 'open' and sl < 0))
    return np.array(st)

# ----------------------------------------------------------------------------- linear analysis

def jacobian_radius(C, H, alpha):
    """Spectral radius of the push-DIGing linearisation at the optimum for a static doubly
    stochastic C (v ≡ 1): δx' = C(δx − α δy), δy' = Cδy + H(δx' − δx), on the invariant subspace
    Σ(δy − Hδx) = 0 (the d eigenvalues 1 of the conserved quantity removed)."""
    n, d = H.shape[0], H.shape[1]
    Ck = np.kron(C, np.eye(d))
    Hb = np.zeros((n * d, n * d))
    for i in range(n):
        Hb[i * d:(i + 1) * d, i * d:(i + 1) * d] = H[i]
    I = np.eye(n * d)
    M = np.block([[Ck, -alpha * Ck], [Hb @ (Ck - I), Ck - alpha * Hb @ Ck]])
    ev = np.linalg.eigvals(M)
    dist = np.abs(ev - 1)
    ev = ev[np.argsort(dist)][d:]
    return float(np.abs(ev).max())


def homogeneous_radius(lam, s):
    """One mode: eigenvalue lam of C (≠ 1), s = α·h. x' = λ(x − αy), y' = λy + h(x' − x)."""
    M = np.array([[lam, -s * lam], [lam - 1, lam * (1 - s)]], dtype=complex)
    return float(np.abs(np.linalg.eigvals(M)).max())

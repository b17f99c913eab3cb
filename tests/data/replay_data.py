#!/usr/bin/env python3
"""Regenerates the data layer's random draws outside C++, from the documented definitions alone.

The generator is the one documented in include/hyperpush/random.hpp; the Gamma and Dirichlet draws
follow include/hyperpush/data/dirichlet.hpp, the synthetic mixture
include/hyperpush/data/synthetic_mixture.hpp, the partitions and the agent split
include/hyperpush/data/partition.hpp. It prints the fixed cases that tests/data/replay_test.cpp
prints from the library, one value a line. Pure Python (integers mod 2^64, the math module), no
packages; numpy's own exp/log/cos differ from the C library's in the last bits, which the 1/k of
the Gamma boost can magnify to ~1e-14 relative.

    python3 replay_data.py --seed 42
"""
import argparse
import math

MASK = (1 << 64) - 1
# hyperpush::Purpose
MIXTURE_WEIGHTS, MIXTURE_COMPONENTS, MIXTURE_SAMPLES = 8, 9, 10
PARTITION_ORDER, LABEL_PROPORTIONS, AGENT_SPLIT = 11, 12, 13
TWO_PI = 6.283185307179586


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def random_bits(seed, purpose, a, b, c):
    h = splitmix64(seed & MASK)
    for word in (purpose, a, b, c):
        h = splitmix64(h ^ (word & MASK))
    return h


def uniform(seed, purpose, a, b, c):
    return (random_bits(seed, purpose, a, b, c) >> 11) * 2.0**-53


def marsaglia_tsang(k, seed, purpose, a, b):
    d = k - 1.0 / 3.0
    s = 1.0 / math.sqrt(9.0 * d)
    t = 0
    while True:
        x = math.sqrt(-2.0 * math.log1p(-uniform(seed, purpose, a, b, 3 * t + 1))) * math.cos(
            TWO_PI * uniform(seed, purpose, a, b, 3 * t + 2))
        v = 1.0 + s * x
        if v > 0:
            v = v * v * v
            u = uniform(seed, purpose, a, b, 3 * t + 3)
            # ln 0 = -inf in C accepts; Python's math.log(0) raises instead
            if u < 1.0 - 0.0331 * (x * x) * (x * x) or (
                    u == 0 or math.log(u) < 0.5 * x * x + d * (1.0 - v + math.log(v))):
                return d * v
        t += 1


def gamma(k, seed, purpose, a, b):
    if k >= 1:
        return marsaglia_tsang(k, seed, purpose, a, b)
    boost = math.exp(math.log1p(-uniform(seed, purpose, a, b, 0)) / k)
    return marsaglia_tsang(k + 1, seed, purpose, a, b) * boost


def log_gamma(k, seed, purpose, a, b):
    if k >= 1:
        return math.log(marsaglia_tsang(k, seed, purpose, a, b))
    return (math.log(marsaglia_tsang(k + 1, seed, purpose, a, b)) +
            math.log1p(-uniform(seed, purpose, a, b, 0)) / k)


def dirichlet(alpha, seed, purpose, a):
    logs = [log_gamma(alpha_j, seed, purpose, a, j) for j, alpha_j in enumerate(alpha)]
    top = max(logs)
    p = [math.exp(l - top) for l in logs]
    total = 0.0
    for p_j in p:
        total += p_j
    return [p_j / total for p_j in p]


def keyed_order(n, seed, purpose, a, b):
    keys = [random_bits(seed, purpose, a, b, i) for i in range(n)]
    return sorted(range(n), key=lambda i: (keys[i], i))


def synthetic_mixture(agents, samples, seed, sample_set, components=3, dim=5, alpha=0.4,
                      noise=0.1, low=-1.0, high=1.0):
    width = high - low
    theta = [[low + width * uniform(seed, MIXTURE_COMPONENTS, c, j, 0) for j in range(dim)]
             for c in range(components)]
    out = []
    for i in range(agents):
        pi = dirichlet([alpha] * components, seed, MIXTURE_WEIGHTS, i)
        a = i + (sample_set << 32)
        features, labels = [], []
        for s in range(samples):
            u = uniform(seed, MIXTURE_SAMPLES, a, s, 0)
            c, cumulative = components - 1, 0.0
            for k in range(components):
                cumulative += pi[k]
                if u < cumulative:
                    c = k
                    break
            x = [low + width * uniform(seed, MIXTURE_SAMPLES, a, s, 1 + j) for j in range(dim)]
            u1 = uniform(seed, MIXTURE_SAMPLES, a, s, dim + 1)
            u2 = uniform(seed, MIXTURE_SAMPLES, a, s, dim + 2)
            eps = noise * math.sqrt(-2.0 * math.log1p(-u1)) * math.cos(TWO_PI * u2)
            score = 0.0
            for j in range(dim):
                score += theta[c][j] * x[j]
            features += x
            labels.append(1 if score + eps > 0 else 0)
        out.append((features, labels))
    return out


def partition_iid(n, agents, seed):
    order = keyed_order(n, seed, PARTITION_ORDER, 0, 0)
    parts, begin = [], 0
    for j in range(agents):
        size = n // agents + (1 if j < n % agents else 0)
        parts.append(sorted(order[begin:begin + size]))
        begin += size
    return parts


def partition_dirichlet(labels, classes, agents, alpha, seed, min_per_agent):
    parts = [[] for _ in range(agents)]
    for k in range(classes):
        samples = [i for i, label in enumerate(labels) if label == k]
        p = dirichlet([alpha] * agents, seed, LABEL_PROPORTIONS, k)
        order = keyed_order(len(samples), seed, PARTITION_ORDER, 1, k)
        cumulative, begin = 0.0, 0
        for j in range(agents):
            cumulative += p[j]
            end = len(samples) if j == agents - 1 else min(
                len(samples), int(math.floor(len(samples) * cumulative)))
            parts[j] += [samples[order[r]] for r in range(begin, end)]
            begin = max(begin, end)
    parts = [sorted(indices) for indices in parts]
    for r in range(agents):
        while len(parts[r]) < min_per_agent:
            donor = max(range(agents), key=lambda j: (len(parts[j]), -j))
            parts[r].append(parts[donor].pop())
        parts[r].sort()
    return parts


def split_agent_order(n, validation_fraction, test_fraction, seed, agent):
    # round half away from zero, as std::llround
    n_validation = int(math.floor(validation_fraction * n + 0.5))
    n_test = int(math.floor(test_fraction * n + 0.5))
    order = keyed_order(n, seed, AGENT_SPLIT, agent, 0)
    n_train = n - n_validation - n_test
    return order[:n_train], order[n_train:n_train + n_validation], order[n_train + n_validation:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    seed = parser.parse_args().seed
    lines = []
    for k in (0.05, 0.4, 1.0, 2.5, 5.0):
        lines += ["gamma %.17g" % gamma(k, seed, LABEL_PROPORTIONS, a, 1) for a in range(200)]
    for a in range(50):
        lines += ["dirichlet %.17g" % p for p in dirichlet([0.03] * 7, seed, LABEL_PROPORTIONS, a)]
    for features, labels in synthetic_mixture(3, 100, seed, 1):
        lines += ["x %.17g" % x for x in features] + ["y %d" % y for y in labels]
    labels = [(i * 7) % 4 for i in range(300)]
    for j, indices in enumerate(partition_dirichlet(labels, 4, 6, 0.3, seed, 10)):
        lines += ["dirichlet-partition %d %d" % (j, i) for i in indices]
    for j, indices in enumerate(partition_iid(53, 5, seed)):
        lines += ["iid-partition %d %d" % (j, i) for i in indices]
    for name, rows in zip(("train", "validation", "test"), split_agent_order(23, 0.2, 0.3, seed, 3)):
        lines += ["%s %d" % (name, r) for r in rows]
    print("\n".join(lines))


if __name__ == "__main__":
    main()

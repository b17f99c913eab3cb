#!/usr/bin/python3
"""hyperpush's `cart` against scikit-learn's DecisionTreeClassifier on the same train/test splits.

Reads a `tree` run with tree.learner = "cart" (trees.jsonl: test accuracy at every depth of every
data seed) and its config.resolved.toml, replays each split in numpy-free Python from the
documented generator (include/hyperpush/random.hpp; data/split.hpp: sample i's sort key is
random_bits(seed, data_partition = 6, i, 0, 0), ties by index, the first round((1 - f) n) train),
fits scikit-learn at every depth 1..max_depth and prints the mean test accuracies side by side.
Exit 1 when a mean differs by more than TOLERANCE points (default 1).

Usage: /usr/bin/python3 experiments/stable_tree/compare_sklearn.py RESULTS_DIR [TOLERANCE]
"""
import json
import sys
import tomllib

import numpy as np
from sklearn import datasets
from sklearn.tree import DecisionTreeClassifier

MASK = (1 << 64) - 1
DATA_PARTITION = 6  # Purpose::data_partition
LOADERS = {
    "breast-cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
    "wine": datasets.load_wine,
    "iris": datasets.load_iris,
}


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def random_bits(seed, purpose, a, b, c):
    h = splitmix64(seed)
    for word in (purpose, a, b, c):
        h = splitmix64(h ^ word)
    return h


def split(n, test_fraction, seed):
    order = sorted(range(n), key=lambda i: (random_bits(seed, DATA_PARTITION, i, 0, 0), i))
    n_train = int(np.floor((1 - test_fraction) * n + 0.5))  # llround of a positive number
    return order[:n_train], order[n_train:]


def main():
    results = sys.argv[1]
    tolerance = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    with open(f"{results}/config.resolved.toml", "rb") as f:
        config = tomllib.load(f)
    if config["tree"]["learner"] != "cart" or config["data"]["dataset"] not in LOADERS:
        sys.exit("need a `tree` run with tree.learner = \"cart\" on " + ", ".join(LOADERS))
    if config["data"]["max_train"] != 0:
        sys.exit("data.max_train subsamples are not replayed here; use data.max_train = 0")
    x, y = LOADERS[config["data"]["dataset"]](return_X_y=True)
    max_depth = config["tree"]["max_depth"]
    cells = [json.loads(line) for line in open(f"{results}/trees.jsonl")]

    ours = np.array([cell["test_accuracy"][1:] for cell in cells])  # [seed, depth 1..D]
    theirs = np.zeros_like(ours)
    for s, cell in enumerate(cells):
        train, test = split(len(y), config["data"]["test_fraction"], cell["data_seed"])
        assert len(train) == cell["tree"]["nodes"][0]["samples"], "split replay mismatch"
        for d in range(1, max_depth + 1):
            model = DecisionTreeClassifier(max_depth=d, random_state=0).fit(x[train], y[train])
            theirs[s, d - 1] = model.score(x[test], y[test])

    print(f"{config['data']['dataset']}: {len(cells)} splits "
          f"(seeds {cells[0]['data_seed']}..{cells[-1]['data_seed']}), "
          f"{len(train)} train / {len(test)} test samples; mean test accuracy (%)")
    print(f"{'depth':>5}  {'hyperpush cart':>14}  {'scikit-learn':>12}  {'difference':>10}  "
          f"{'same on':>8}")
    worst = 0.0
    for d in range(max_depth):
        a, b = 100 * ours[:, d].mean(), 100 * theirs[:, d].mean()
        same = int(np.sum(ours[:, d] == theirs[:, d]))
        worst = max(worst, abs(a - b))
        print(f"{d + 1:>5}  {a:>14.2f}  {b:>12.2f}  {a - b:>+10.2f}  {same:>3}/{len(cells):<4}")
    print(f"largest difference {worst:.2f} points (tolerance {tolerance:g})")
    sys.exit(1 if worst > tolerance else 0)


if __name__ == "__main__":
    main()

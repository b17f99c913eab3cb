"""scikit-learn's side of bench_tree: DecisionTreeClassifier fit times on the training set that
bench_tree writes (CSV: features..., label), printed as one JSON object {depth: median seconds}.

Usage: /usr/bin/python3 benchmarks/tree_fit_sklearn.py TRAIN.csv REPEATS DEPTH...
"""
import json
import sys
import time

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def main():
    path, repeats, depths = sys.argv[1], int(sys.argv[2]), [int(d) for d in sys.argv[3:]]
    data = np.loadtxt(path, delimiter=",")
    x, y = data[:, :-1], data[:, -1].astype(int)
    out = {}
    for depth in depths:
        DecisionTreeClassifier(max_depth=depth, random_state=0).fit(x, y)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            DecisionTreeClassifier(max_depth=depth, random_state=0).fit(x, y)
            times.append(time.perf_counter() - start)
        out[str(depth)] = float(np.median(times))
    print(json.dumps(out))


if __name__ == "__main__":
    main()

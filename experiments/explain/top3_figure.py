#!/usr/bin/python3
"""Top-3 explanations by grad-cos (GC) and grad-dot (GD) for a few test images of an explain run.

    experiments/explain/top3_figure.py RUN_DIR [--out PNG] [--rows 4]

--out defaults to results/explain/figures/explain_top3.png (relative to the working directory); the
figure the docs show is regenerated with --out docs/figures/explain_top3.png.

RUN_DIR is a result folder of `hyperpush run` with task = "explain" on fashion-mnist or digits and
both grad_cos and grad_dot among explain.metrics (explain.json lists, per metric, the first
explain.examples queries' test index and top-k training indices, indices into the run's train /
test parts). The parts are rebuilt here as the data layer builds them (src/app/dataset_config.cpp,
src/data/split.cpp): shuffled_indices(n, seed, stream) sorts [0, n) by
random_bits(seed, Purpose::data_partition = 6, i, stream, 0) (splitmix64, include/hyperpush/random.hpp);
fashion-mnist's train part is the train file, its first data.max_train rows of stream 1 when
set, the test part the t10k file; digits is split by stream 0 (first llround((1 − test_fraction) n)
rows train). The labels explain.json records are checked against the rebuilt parts.
"""
import argparse
import gzip
import json
import os
import sys
import tomllib

import numpy as np

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
FASHION = "/usr/share/datasets/fashion-mnist/"
DIGITS = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"]


def splitmix64(z):
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def shuffled_indices(n, seed, stream):
    i = np.arange(n, dtype=np.uint64)
    h = splitmix64(np.full(n, seed, dtype=np.uint64))
    for v in (np.uint64(6), i, np.uint64(stream), np.uint64(0)):
        h = splitmix64(h ^ v)
    return np.lexsort((np.arange(n), h))  # by key, then index


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * d:8 + 4 * d], "big") for d in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def parts(config):
    """(train images, train labels, test images, test labels, class names) of the run."""
    seed = int(config.get("seed", 0))
    data = config["data"]
    if data["dataset"] == "fashion-mnist":
        xtr, ytr = idx(FASHION + "train-images-idx3-ubyte.gz"), idx(FASHION + "train-labels-idx1-ubyte.gz")
        xte, yte = idx(FASHION + "t10k-images-idx3-ubyte.gz"), idx(FASHION + "t10k-labels-idx1-ubyte.gz")
        names = FASHION_NAMES
    elif data["dataset"] == "digits":
        all_ = np.loadtxt(DIGITS, delimiter=",")
        x, y = all_[:, :-1].reshape(-1, 8, 8), all_[:, -1].astype(int)
        order = shuffled_indices(len(y), seed, 0)
        n_train = int(np.floor((1 - float(data["test_fraction"])) * len(y) + 0.5))
        xtr, ytr, xte, yte = x[order[:n_train]], y[order[:n_train]], x[order[n_train:]], y[order[n_train:]]
        names = [str(c) for c in range(10)]
    else:
        sys.exit(f"top3_figure.py: data set {data['dataset']!r} not supported (fashion-mnist, digits)")
    max_train = int(data.get("max_train", 0))
    if max_train and len(ytr) > max_train:
        order = shuffled_indices(len(ytr), seed, 1)[:max_train]
        xtr, ytr = xtr[order], ytr[order]
    return xtr, ytr, xte, yte, names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run")
    ap.add_argument("--out", default="results/explain/figures/explain_top3.png")
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--metrics", default="grad_cos,grad_dot")
    a = ap.parse_args()
    e = json.load(open(os.path.join(a.run, "explain.json")))
    config = tomllib.load(open(os.path.join(a.run, "config.resolved.toml"), "rb"))
    xtr, ytr, xte, yte, names = parts(config)
    metrics = a.metrics.split(",")
    for m in metrics:
        if m not in e["metrics"] or "examples" not in e["metrics"][m]:
            sys.exit(f"top3_figure.py: {a.run}/explain.json has no examples of metric {m!r}")
        for x in e["metrics"][m]["examples"]:
            assert yte[x["test_index"]] == x["label"], ("test part differs from the run's", x)
            assert list(ytr[x["top"]]) == x["top_labels"], ("train part differs from the run's", x)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = min(a.rows, len(e["metrics"][metrics[0]]["examples"]))
    cols = 1 + 3 * len(metrics)
    short = {"grad_cos": "GC", "grad_dot": "GD"}
    fig, ax = plt.subplots(rows, cols, figsize=(1.25 * cols + 0.3, 1.45 * rows + 0.5), squeeze=False)
    for r in range(rows):
        q = e["metrics"][metrics[0]]["examples"][r]
        ax[r][0].imshow(xte[q["test_index"]], cmap="gray_r")
        ax[r][0].set_title(f"test: {names[q['label']]}\npred: {names[q['predicted']]}", fontsize=7)
        for j, m in enumerate(metrics):
            ex = e["metrics"][m]["examples"][r]
            for t in range(3):
                i = ex["top"][t]
                a_ = ax[r][1 + 3 * j + t]
                a_.imshow(xtr[i], cmap="gray_r")
                ok = ytr[i] == q["predicted"]
                a_.set_title(f"{short.get(m, m)} #{t + 1}: {names[ytr[i]]}", fontsize=7,
                             color="black" if ok else "red")
    for a_ in ax.flat:
        a_.set_xticks([])
        a_.set_yticks([])
    model = e["model"] + (f" (hidden {e['network']['hidden']})" if "network" in e else "")
    fig.suptitle(f"{e['dataset']}, {model}: top-3 training images by "
                 + " and ".join(short.get(m, m) for m in metrics)
                 + " (red: label differs from the prediction)", fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    fig.savefig(a.out, dpi=110)
    print(f"top3_figure.py: wrote {a.out}")


if __name__ == "__main__":
    main()

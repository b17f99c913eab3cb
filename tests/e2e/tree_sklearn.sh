#!/usr/bin/env bash
# `cart` against scikit-learn's DecisionTreeClassifier (/usr/bin/python3, Debian's python3-sklearn)
# on the same 20 breast-cancer splits, replayed from the documented generator: mean test accuracy
# within 1 point at every depth 1..10.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" run "$src/experiments/stable_tree/cart_vs_sklearn.toml" --out "$tmp/cart" >/dev/null
/usr/bin/python3 "$src/experiments/stable_tree/compare_sklearn.py" "$tmp/cart" 1

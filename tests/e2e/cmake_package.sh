#!/usr/bin/env bash
# hyperpush installs as a CMake package: install the build into a scratch prefix, build the example
# consumer examples/custom_model (a user's own LocalProblem) against it with find_package, run it on
# 2 ranks (it checks HGP against the exact hyper-gradient on its own model).
set -euo pipefail
bin=$1 src=$2
build=$(dirname "$(dirname "$(realpath "$bin")")")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$src/examples/custom_model" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build "$tmp/example" -j 2 >/dev/null
"$src/scripts/mpirun.sh" 2 "$tmp/example/custom_model"
# The Python package, where it was built: imported from the prefix, away from the build tree.
if [[ -d "$build/python/hyperpush" ]]; then
  site=$(echo "$tmp"/prefix/lib/python3.*/dist-packages)
  (cd "$tmp" && PYTHONPATH=$site /usr/bin/python3 -c "
import hyperpush, numpy as np
assert hyperpush.__file__.startswith('$site'), hyperpush.__file__
assert np.abs(hyperpush.push_sum(np.eye(4), rounds=20) - 0.25).max() < 1e-12
print('installed Python package: imports and averages')")
fi

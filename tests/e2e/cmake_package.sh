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

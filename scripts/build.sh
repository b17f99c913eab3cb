#!/usr/bin/env bash
# Configures and builds hyperpush into build/ (Release, Ninja when present, ccache when present).
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ -f build/CMakeCache.txt ]]; then
  cmake -S . -B build "$@" >/dev/null
else
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@" | grep -E '^-- hyperpush' || true
fi
cmake --build build -j "$(nproc)"

#!/usr/bin/env bash
# The GPU check of issue 4 in one command (≤ 6 minutes on one H200): builds the model layer, the
# cuda and torch backends, their tests and bench_linear_hvp (cmake/gpu-check: no MPI, Boost, …),
# runs the device tests (cuda vs the Eigen reference < 1e-12; torch oracles) and the HVP benchmark,
# and writes every log and result to OUT.
#
#   On a machine with apt (the GPU machine has no package access):
#     scripts/gpu-check.sh --fetch-debs DEBS   # .deb files of Eigen, nlohmann_json, GoogleTest
#   On the GPU machine (the folder DEBS travels with the tree, e.g. under shared/):
#     scripts/gpu-check.sh [--quick] [--debs DEBS] OUT
#   The .debs are unpacked with dpkg -x into /tmp/hyperpush-deps (never into /); without --debs the
#   packages must already be findable by CMake. LibTorch: the PyTorch wheel's CMake package when
#   python3 has torch (else the torch parts are skipped). --quick: a smoke run of the benchmark
#   (n·d ≤ 1e7), for machines without a GPU. JOBS: build parallelism (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
packages=(libeigen3-dev nlohmann-json3-dev libgtest-dev libgmock-dev)  # header-only or static:
# their Depends (googletest sources, pkg-config) are not needed to build against them.

if [[ ${1:-} == --fetch-debs ]]; then
  dir=${2:?usage: scripts/gpu-check.sh --fetch-debs DIR}
  mkdir -p "$dir" && cd "$dir"
  apt-get download "${packages[@]}"
  ls -l ./*.deb
  exit 0
fi

quick=() debs=""
while [[ $# -gt 1 ]]; do
  case $1 in
    --quick) quick=(--quick); shift ;;
    --debs) debs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
out=${1:?usage: scripts/gpu-check.sh [--quick] [--debs DIR] OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$SECONDS
log() { echo "[gpu-check $((SECONDS - start))s] $*" | tee -a "$out/summary.txt"; }

{ nvidia-smi || echo "nvidia-smi: not available"; nvcc --version || true; cmake --version; } \
  >"$out/machine.txt" 2>&1
prefixes=()
if [[ -n $debs ]]; then
  deps=/tmp/hyperpush-deps
  mkdir -p "$deps"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$deps"; done
  prefixes+=("$deps/usr")
  export CPATH="$deps/usr/include:$deps/usr/include/eigen3${CPATH:+:$CPATH}"
fi
if torch_dir=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null); then
  prefixes+=("$torch_dir")
  log "LibTorch: $torch_dir"
else
  log "LibTorch: python3 has no torch; the torch parts only if CMake finds a LibTorch elsewhere"
fi
prefix_path=$(IFS=';'; echo "${prefixes[*]:-}")

export PATH=/usr/local/cuda/bin:$PATH
build=/tmp/hyperpush-gpu-check
rm -rf "$build"  # a fresh configure: cached package folders of an earlier run must not stick
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# configure_and_build NAME [cmake options]: logs to OUT/NAME-{configure,build}.log.
configure_and_build() {
  local name=$1; shift
  log "configure and build ($name)"
  cmake -S cmake/gpu-check -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix_path" -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" "$@" \
    >"$out/$name-configure.log" 2>&1 || { tail -30 "$out/$name-configure.log"; return 1; }
  grep 'gpu-check:' "$out/$name-configure.log" | tee -a "$out/summary.txt"
  cmake --build "$build" -j "${JOBS:-$(nproc)}" >"$out/$name-build.log" 2>&1 ||
    { tail -40 "$out/$name-build.log"; return 1; }
}
# A LibTorch that does not build with the torch backend must not cost the cuda results: retry
# without it (the failure stays in OUT/with-torch-build.log).
if ! configure_and_build with-torch; then
  log "the build with LibTorch failed; building without the torch parts"
  configure_and_build without-torch -DHYPERPUSH_GPU_CHECK_TORCH=OFF || exit 1
fi

status=0
for test in test_model test_cuda test_torch_problem; do
  [[ -x $build/bin/$test ]] || { log "$test: not built (skipped)"; continue; }
  if "$build/bin/$test" --gtest_output="xml:$out/$test.xml" >"$out/$test.log" 2>&1; then
    log "$test: $(grep -E '^\[  (PASSED|SKIPPED) *\] [0-9]+ test' "$out/$test.log" | tr -s ' \n' ' ')"
  else
    log "$test: FAILED"; grep '^\[  FAILED  \]' "$out/$test.log" | tee -a "$out/summary.txt"; status=1
  fi
done

log "benchmark"
if "$build/bin/bench_linear_hvp" "${quick[@]}" --out "$out" >"$out/bench_linear_hvp.txt" 2>&1; then
  cat "$out/bench_linear_hvp.txt"
else
  tail -20 "$out/bench_linear_hvp.txt"; log "bench_linear_hvp: FAILED"; status=1
fi
log "done, status $status; results in $out"
exit $status

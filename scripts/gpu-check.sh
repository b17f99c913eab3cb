#!/usr/bin/env bash
# The GPU check of issue 4 in one command (≤ 6 minutes on one H200): builds the model layer, the
# cuda and torch backends, their tests and bench_linear_hvp (cmake/gpu-check: no MPI, Boost, …),
# runs the tests (test_model: the host/device math on the CPU; test_cuda: every cuda oracle vs the
# Eigen reference < 1e-12; test_torch_problem: the torch networks vs finite differences;
# test_torch_cuda: torch's linear models on the CPU and the device vs the Eigen reference < 1e-12)
# and the HVP benchmark (cuda and torch-cuda vs Eigen on the CPU, HVP / gradient time), and
# writes every log and result to OUT (summary.txt: one line per step).
# On a machine with a GPU, a device test that skips ("no CUDA device: skipped") fails the check.
#
#   On a machine with apt (the GPU machine has no package access):
#     scripts/gpu-check.sh --fetch-debs DEBS   # .deb files of Eigen, nlohmann_json, GoogleTest
#   On the GPU machine (the folder DEBS travels with the tree, e.g. under shared/):
#     scripts/gpu-check.sh [--quick] [--debs DEBS] OUT
#   The .debs are unpacked with dpkg -x into /tmp/hyperpush-deps (never into /); without --debs the
#   packages must already be findable by CMake. LibTorch: the PyTorch wheel's CMake package when
#   python3 has torch (else the torch parts are skipped). --quick: a smoke run of the benchmark
#   (n·d ≤ 1e7), for machines without a GPU. JOBS: build parallelism (default: nproc);
#   BUILD: the build folder (default /tmp/hyperpush-gpu-check, removed first).
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
build=${BUILD:-/tmp/hyperpush-gpu-check}
rm -rf "$build"  # a fresh configure: cached package folders of an earlier run must not stick
generator=() keep_going=(-- -k)  # build every target that can be built, then report
command -v ninja >/dev/null && generator=(-G Ninja) keep_going=(-- -k 0)
launcher=()  # reruns on a machine with ccache cost seconds, not minutes
command -v ccache >/dev/null &&
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
# configure_and_build NAME [cmake options]: logs to OUT/NAME-{configure,build}.log.
configure_and_build() {
  local name=$1; shift
  log "configure and build ($name)"
  cmake -S cmake/gpu-check -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix_path" -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" \
    "${launcher[@]}" "$@" \
    >"$out/$name-configure.log" 2>&1 || { tail -30 "$out/$name-configure.log"; return 1; }
  grep 'gpu-check:' "$out/$name-configure.log" | tee -a "$out/summary.txt"
  cmake --build "$build" -j "${JOBS:-$(nproc)}" "${keep_going[@]}" >"$out/$name-build.log" 2>&1 ||
    { tail -40 "$out/$name-build.log"; return 1; }
}
# A target that fails to build fails the check, and everything else still builds and runs. A
# LibTorch the torch backend itself does not build with must not cost the cuda results: then the
# build is redone without the torch parts (the failure stays in OUT/with-torch-build.log).
status=0
if ! configure_and_build with-torch; then
  status=1
  if grep -q 'gpu-check: torch 1' "$out/with-torch-configure.log" &&
     [[ ! -f $build/libhyperpush_torch.a ]]; then
    log "the torch backend did not build with this LibTorch; building without the torch parts"
    configure_and_build without-torch -DHYPERPUSH_GPU_CHECK_TORCH=OFF ||
      log "build: FAILED (OUT/without-torch-build.log); running what was built"
  else
    log "build: FAILED: $(grep -c '^FAILED:' "$out/with-torch-build.log") targets (OUT/with-torch-build.log); running what was built"
  fi
fi
[[ -x $build/bin/test_cuda ]] || { log "nothing to run"; exit 1; }

gpu=false
nvidia-smi -L 2>/dev/null | grep -q '^GPU ' && gpu=true
log "GPU present: $gpu"
for test in test_model test_cuda test_torch_problem test_torch_cuda; do
  [[ -x $build/bin/$test ]] || { log "$test: not built"; continue; }
  if timeout 300 "$build/bin/$test" --gtest_output="xml:$out/$test.xml" >"$out/$test.log" 2>&1; then
    log "$test: $(grep -E '^\[  (PASSED|SKIPPED) *\] [0-9]+ test' "$out/$test.log" | tr -s ' \n' ' ')"
  else
    log "$test: FAILED"; grep '^\[  FAILED  \]' "$out/$test.log" | tee -a "$out/summary.txt"; status=1
  fi
  skipped=$(grep -c 'no CUDA device: skipped' "$out/$test.log" || true)
  if [[ $skipped -gt 0 ]]; then
    if $gpu; then
      log "$test: FAILED: $skipped device tests skipped on a machine with a GPU"; status=1
    else
      log "$test: $skipped device tests skipped (no GPU here)"
    fi
  fi
done

log "benchmark"
if timeout 240 "$build/bin/bench_linear_hvp" "${quick[@]}" --out "$out" \
     >"$out/bench_linear_hvp.txt" 2>&1; then
  cat "$out/bench_linear_hvp.txt"
  if $gpu; then  # on a GPU machine the device columns must be there
    { grep -E '^(cuda|torch-cuda): .*skipped' "$out/bench_linear_hvp.txt" || true; } |
      sed 's/^/benchmark: /' | tee -a "$out/summary.txt"
    grep -q '^cuda: .*skipped' "$out/bench_linear_hvp.txt" &&
      { log "bench_linear_hvp: FAILED: the cuda backend was skipped on a machine with a GPU"; status=1; }
  fi
else
  tail -20 "$out/bench_linear_hvp.txt"; log "bench_linear_hvp: FAILED (or over 240 s)"; status=1
fi
log "done, status $status; results in $out"
exit $status

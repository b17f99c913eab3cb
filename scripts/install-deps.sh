#!/usr/bin/env bash
# Installs every Debian package hyperpush needs to build, test and run its experiments.
# Idempotent and fast when everything is present; waits for a held dpkg lock instead of failing.
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
#        scripts/install-deps.sh --fuzz     only the optional fuzzing toolchain (scripts/fuzz.sh)
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # required libraries
  libopenmpi-dev openmpi-bin libeigen3-dev libboost-graph-dev libgtest-dev libgmock-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libbenchmark-dev
  # optional backend (CPU LibTorch 1.13); the build goes on without it
  libtorch-dev
  # both BLAS a Debian machine may have (OpenBLAS-pthread becomes the default): the determinism
  # tests run under each (tests/e2e/lib/with_blas.sh)
  libopenblas0-pthread libblas3 liblapack3
  # real data sets and the Python side (plots, numpy replays, scikit-learn comparisons)
  dataset-fashion-mnist python3-sklearn python3-numpy python3-matplotlib
  # the Python module (python/: pybind11) and its tests (pytest; mpi4py started first)
  pybind11-dev python3-dev python3-pytest python3-mpi4py
  # a real single-node SLURM for the tests (tests/e2e/slurm.sh)
  slurmctld slurmd slurm-client munge
)
if [[ ${1:-} == --fuzz ]]; then
  # clang 14 and its libFuzzer runtime, for the fuzz targets (fuzz/); nothing else needs them
  packages=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# -o DPkg::Lock::Timeout waits for another apt/dpkg to finish instead of failing at once.
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
"${sudo[@]}" apt-get "${apt_opts[@]}" update -qq
"${sudo[@]}" apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang++-14 (ASan + UBSan) into build-fuzz/ and runs
# each on its seed corpus (fuzz/corpus/<target>/). Exits non-zero when any target finds a crash,
# a leak, undefined behaviour or an exception other than hyperpush::Error; the input that did it
# is left in build-fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS]     the targets side by side for SECONDS seconds (default 20)
#        scripts/fuzz.sh --runs N      each target N executions
#        scripts/fuzz.sh --check       only make sure the toolchain is here (installs it when it
#                                      can: scripts/install-deps.sh --fuzz)
# Without the toolchain (and no way to install it) it prints one line saying why and exits 77.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(config idx sklearn_csv libsvm schedule_file checkpoint)
limit=(-max_total_time="${1:-20}")
[[ ${1:-} == --runs ]] && limit=(-runs="${2:?--runs needs a count}")

have_toolchain() {
  command -v clang++-14 >/dev/null &&
    [[ -e $(clang++-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a ]]
}
if ! have_toolchain; then
  scripts/install-deps.sh --fuzz >&2 || true
  if ! have_toolchain; then
    echo "fuzz: SKIPPED: no clang++-14 with libFuzzer; install it with" \
      "apt-get install -y clang-14 libclang-rt-14-dev" >&2
    exit 77
  fi
fi
[[ ${1:-} == --check ]] && exit 0

export CCACHE_BASEDIR=$PWD
mkdir -p build-fuzz
cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >build-fuzz/build.log 2>&1 &&
  cmake --build build-fuzz -j "$(nproc)" >>build-fuzz/build.log 2>&1 ||
  { tail -40 build-fuzz/build.log; exit 1; }

mkdir -p build-fuzz/crashes
# All targets at once: SECONDS of wall time in all, whatever the number of cores.
pids=()
for target in "${targets[@]}"; do
  # New inputs go to build-fuzz/corpus/<target>; the committed seeds are only read.
  mkdir -p "build-fuzz/corpus/$target"
  # Inputs of up to 4 KB; a checkpoint's header alone (the config it fingerprints) is 2 KB.
  options=(-max_len=4096)
  [[ $target == checkpoint ]] && options=(-max_len=8192)
  # A dictionary of tokens libFuzzer's byte mutations seldom write (JSON keys, huge numbers).
  [[ -f fuzz/$target.dict ]] && options+=(-dict="fuzz/$target.dict")
  build-fuzz/fuzz_$target "${limit[@]}" "${options[@]}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$target-" \
    "build-fuzz/corpus/$target" "fuzz/corpus/$target" >"build-fuzz/$target.log" 2>&1 &
  pids+=($!)
done
failed=0
for k in "${!targets[@]}"; do
  target=${targets[k]} log=build-fuzz/${targets[k]}.log
  if wait "${pids[k]}"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $target: $runs runs, no failure"
  else
    failed=$((failed + 1))
    echo "fuzz: $target: FAILED (log: $log, input: build-fuzz/crashes/$target-*)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|terminate called)' "$log" | head -5
  fi
done
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
exit $((failed > 0))

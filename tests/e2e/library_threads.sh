#!/usr/bin/env bash
# Every rank pins its BLAS and OpenMP to one thread whatever the environment asks for
# (OPENBLAS_NUM_THREADS=4 here), and to `threads` when the config sets it; timings.json reports
# what the loaded libraries say. Under tests/e2e/lib/with_blas.sh it also checks that the BLAS
# loaded is the one asked for.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=4 OMP_NUM_THREADS=4
for threads in 1 3; do
  "$src/scripts/mpirun.sh" 2 "$bin" run "$src/experiments/average.toml" --set agents=4 \
    --set average.rounds=5 --set threads=$threads --set output.progress=false \
    --out "$tmp/t$threads" >/dev/null
  /usr/bin/python3 - "$tmp/t$threads/timings.json" "$threads" "${HYPERPUSH_EXPECT_BLAS_DIR:-}" <<'PY'
import json, os, sys
t = json.load(open(sys.argv[1]))["threads"]
want, blas_dir = int(sys.argv[2]), sys.argv[3]
assert t["requested"] == want, t
if t["blas"]:
    assert t["blas_threads"] in (None, want), t
    if blas_dir:
        assert os.path.dirname(t["blas"]) == os.path.realpath(blas_dir), (t["blas"], blas_dir)
if t["openmp_threads"] is not None:
    assert t["openmp_threads"] == want, t
print(f"threads = {want}: blas {t['blas'] or 'not loaded'} with {t['blas_threads']} thread(s), "
      f"OpenMP {t['openmp_threads']}")
PY
done

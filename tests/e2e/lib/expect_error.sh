# shellcheck shell=bash
# Sourced by e2e scripts that set bin, src, tmp: expect_error WANT CONFIG [run options...] runs the
# config on 2 ranks and fails the script unless it exits 2, prints WANT as its one "hyperpush:"
# line and writes no result folder.
expect_error() {
  local want=$1 config=$2 code=0 got
  shift 2
  "$src/scripts/mpirun.sh" 2 "$bin" run "$config" --set output.progress=false --out "$tmp/bad" "$@" \
    >/dev/null 2>"$tmp/err" || code=$?
  got=$(grep '^hyperpush:' "$tmp/err" || true)
  [[ $code == 2 && $got == "$want" && ! -e $tmp/bad ]] ||
    { echo "FAIL: exit $code, '$got', expected 2 and '$want'"; exit 1; }
}

# Sourced by the experiments' run.sh scripts (from the repository root): one hyperpush run per
# call, its output in DIR.log, and a failure that stops the xargs pipeline feeding the runs.
#
#   source experiments/lib/runs.sh
#   hyperpush_run NP DIR CONFIG [hyperpush run options ...]
#   json_field FILE KEY

BIN=${BIN:-build/bin/hyperpush}
PY=/usr/bin/python3

[[ -x $BIN ]] || { echo "run.sh: $BIN not found; build first (cmake --build build --target hyperpush)" >&2; exit 2; }

hyperpush_run() {
  local np=$1 dir=$2 cfg=$3
  shift 3
  if ! scripts/mpirun.sh "$np" "$BIN" run "$cfg" --set output.progress=false "$@" --out "$dir" \
      >"$dir.log" 2>&1; then
    echo "run.sh: run failed: $cfg $* (log: $dir.log)" >&2
    cat "$dir.log" >&2
    return 255  # makes xargs stop
  fi
}
export -f hyperpush_run

# Field of a JSON file, printed with full precision (repr round-trips): json_field FILE KEY.
json_field() { "$PY" -c 'import json,sys; print(repr(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$@"; }
export BIN

#!/usr/bin/env bash
# Every benchmark, each against its baseline measured in the same run, in one command:
#   bash scripts/bench.sh [--quick] [--no-build] [--bin DIR] [--out FILE]
# Builds (scripts/build.sh) unless --no-build, runs each benchmark with --json into a scratch
# folder (binaries from DIR, default build/bin), and gathers them with the machine's facts into FILE (default benchmarks/results.json,
# written atomically). Then it prints the table that scripts/update-readme-benchmarks.py puts into
# the README.
#   push-sum round     vs a raw MPI ring round, one mixing pass, MPI_Allreduce (2 and 4 ranks)
#   straggler          async vs sync push-sum with one rank slowed 3x (4 ranks)
#   hyper-gradient     vs its arithmetic floor and the numpy HGP peer on OpenBLAS (1, 2, 4 ranks)
#   tree fit           CART and the stable tree vs scikit-learn's DecisionTreeClassifier
#   GC scoring         the GEMM path vs a row-by-row loop and Eigen's dense GEMM
#   scale              experiments/scale/ on 4 ranks: wall, seconds per phase, max RSS per rank
# --quick: the smallest sizes and fewest repetitions (under 3 minutes; CI runs it and checks the
# JSON's shape only: a speed is never asserted in a test). Its figures mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0 build=1 out=benchmarks/results.json bin=build/bin
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --out) out=${2:?--out needs a file}; shift ;;
    --bin) bin=${2:?--bin needs a folder}; shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--no-build] [--bin DIR] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
((build)) && scripts/build.sh >/dev/null
for b in bench_push_sum bench_async_push_sum bench_hypergradient bench_tree bench_explain_gc hyperpush; do
  [[ -x $bin/$b ]] || { echo "bench: $bin/$b is missing: build first (scripts/build.sh)" >&2; exit 2; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
flags=()
((quick)) && flags=(--quick)

step() {  # step NAME COMMAND...: runs it with --json into the scratch folder, its output to stderr
  local name=$1
  shift
  echo "bench: $name: $*" >&2
  "$@" "${flags[@]}" --json "$scratch/$name.json" >&2
}
step push_sum_2 scripts/mpirun.sh 2 $bin/bench_push_sum
step push_sum_4 scripts/mpirun.sh 4 $bin/bench_push_sum
step straggler_4 scripts/mpirun.sh 4 $bin/bench_async_push_sum
for ranks in 1 2 4; do
  step "hypergradient_$ranks" scripts/mpirun.sh "$ranks" $bin/bench_hypergradient
done
step tree $bin/bench_tree
step explain_gc $bin/bench_explain_gc

# Scale: whole runs of the CLI, timed here; timings.json has the phases and the memory.
scale() {  # scale NAME CONFIG [--set ...]
  local name=$1 config=$2
  shift 2
  local overrides=("$@")
  ((quick)) && overrides+=(--set agents=64)
  echo "bench: scale $name: $config ${overrides[*]}" >&2
  local start end
  start=$(date +%s.%N)
  scripts/mpirun.sh 4 $bin/hyperpush run "$config" "${overrides[@]}" --set output.progress=false \
    --out "$scratch/$name" >&2
  end=$(date +%s.%N)
  /usr/bin/python3 - "$scratch/$name" "$start" "$end" "$config${overrides[*]:+ ${overrides[*]}}" \
    >"$scratch/scale_$name.json" <<'PY'
import json, sys
folder, start, end, command = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
timings = json.load(open(folder + "/timings.json"))
print(json.dumps({"command": command, "ranks": timings["ranks"], "wall_seconds": end - start,
                  "seconds_total": timings["seconds_total"],
                  "max_rss_mb": timings["max_rss_mb"], "phases": timings.get("phases", {})}))
PY
}
scale hypergradient_1024 experiments/scale/hypergradient.toml
scale hpo_1024 experiments/scale/hpo.toml
if ((quick)); then
  scale hypergradient_10000 experiments/scale/hypergradient.toml --set inner.solver=push-diging
  scale average_100000 experiments/scale/average.toml
else
  scale hypergradient_10000 experiments/scale/hypergradient.toml --set agents=10000 \
    --set inner.solver=push-diging
  scale average_100000 experiments/scale/average.toml
fi

/usr/bin/python3 - "$scratch" "$out" "$quick" <<'PY'
import datetime, json, os, platform, subprocess, sys
scratch, out, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
results = {"quick": quick,
           "date": datetime.date.today().isoformat(),
           "machine": {"cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                                    if l.startswith("model name")), platform.processor()),
                       "cores": os.cpu_count(),
                       "mpi": subprocess.run(["mpirun", "--version"], capture_output=True,
                                             text=True).stdout.splitlines()[0]},
           "benchmarks": {}}
for name in sorted(os.listdir(scratch)):
    if name.endswith(".json"):
        results["benchmarks"][name[:-5]] = json.load(open(os.path.join(scratch, name)))
staging = out + ".partial"
with open(staging, "w") as f:
    json.dump(results, f, indent=2)
    f.write("\n")
os.replace(staging, out)
PY
/usr/bin/python3 scripts/update-readme-benchmarks.py --print "$out"
echo "bench: results in $out"

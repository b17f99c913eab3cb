#!/usr/bin/env bash
# Malformed configs: each is refused with exit code 2, one exact line on stderr (printed once, also
# under 2 ranks) and no results written.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
# expect NAME CONFIG-TEXT EXPECTED-STDERR [extra args...]
expect() {
  local name=$1 text=$2 expected=$3; shift 3
  printf '%s\n' "$text" > "$name.toml"
  for np in 1 2; do
    local out code
    if ((np == 1)); then
      out=$("$bin" run "$name.toml" --out "out-$name" "$@" 2>&1 >/dev/null)
      code=$?
    else  # keep hyperpush's lines, not mpirun's banner: the error must appear exactly once
      out=$("$src/scripts/mpirun.sh" $np "$bin" run "$name.toml" --out "out-$name" "$@" 2>&1 >/dev/null)
      code=$?
      out=$(grep '^hyperpush:' <<<"$out")
    fi
    if [[ $code != 2 || $out != "hyperpush: error: $expected" ]]; then
      printf 'FAIL %s (np %d): exit %d\n  got:      %s\n  expected: %s\n' "$name" $np $code "$out" \
        "hyperpush: error: $expected"
      failures=$((failures + 1))
    elif [[ -e out-$name/summary.json ]]; then
      echo "FAIL $name: results were written"; failures=$((failures + 1))
    fi
  done
}

expect unknown_key 'sed = 1' \
  "unknown_key.toml:1: unknown key 'sed' (did you mean 'seed'?); valid keys here: task, seed, agents, threads"
expect unknown_section_key $'[topology]\nknd = "star"' \
  "unknown_section_key.toml:2: unknown key 'topology.knd' (did you mean 'topology.kind'?); valid keys here: topology.kind, topology.file, topology.rate_min, topology.rate_max, topology.probability, topology.check_rounds"
expect unknown_section $'[topolgy]\nkind = "star"' \
  "unknown_section.toml:2: unknown section [topolgy]; valid sections: [topology], [problem], [model], [data], [inner], [hypergradient], [outer], [average], [tree], [explain], [influence], [comm], [consensus], [faults], [output], [checkpoint]"
expect wrong_type_integer 'seed = "abc"' \
  "wrong_type_integer.toml:1: key 'seed' must be an integer, got string 'abc'"
expect wrong_type_real $'[topology]\nrate_min = "low"' \
  "wrong_type_real.toml:2: key 'topology.rate_min' must be a number, got string 'low'"
expect out_of_range_real $'[topology]\nrate_min = 1.5' \
  "out_of_range_real.toml:2: key 'topology.rate_min' = 1.5 is out of range; valid: (0.0, 1.0]"
expect out_of_range_integer $'[average]\ndim = 0' \
  "out_of_range_integer.toml:2: key 'average.dim' = 0 is out of range; valid: [1, 100000000]"
expect bad_choice $'[topology]\nkind = "ring"' \
  "bad_choice.toml:2: key 'topology.kind' = \"ring\" is not valid; valid: complete, directed-ring, exponential, one-peer-exponential, random-directed, random-undirected, erdos-renyi, torus, star, file"
expect bad_task 'task = "train"' \
  "bad_task.toml:1: key 'task' = \"train\" is not valid; valid: average, hypergradient, hpo, tree, explain, influence"
expect syntax $'seed = \nagents = 2' \
  "syntax.toml:1:8: TOML syntax error: Error while parsing key-value pair: expected value, saw '\\n'"
expect nested_table $'[topology.extra]\nx = 1' \
  "nested_table.toml:1: unknown key 'topology.extra'; valid keys here: topology.kind, topology.file, topology.rate_min, topology.rate_max, topology.probability, topology.check_rounds"
expect set_without_value 'seed = 1' \
  "--set agents: expected key=value, for example --set topology.kind=directed-ring" --set agents
expect set_wrong_type 'seed = 1' \
  "--set agents=many: key 'agents' must be an integer, got 'many'" --set agents=many
expect set_newline 'seed = 1' \
  "--set agents=1\\x0a2: key 'agents' must be an integer, got '1\\x0a2'" --set $'agents=1\n2'
expect rates_swapped $'[topology]\nrate_min = 0.9\nrate_max = 0.5' \
  "topology.rate_min / topology.rate_max: need 0 < rate_min <= rate_max <= 1 for kind 'random-directed', got rate_min = 0.9 and rate_max = 0.5"
expect not_connected $'agents = 12\nseed = 3\n[topology]\nkind = "erdos-renyi"\nprobability = 0.05' \
  "topology: kind 'erdos-renyi' with 12 agents (seed 3) is not B-strongly connected over rounds [0, 64): the union of those rounds is not strongly connected (agent 0 cannot reach agent 1); raise topology.probability"
expect missing_schedule_file $'agents = 4\n[topology]\nkind = "file"\nfile = "nowhere.txt"' \
  "nowhere.txt: cannot open the schedule file"

out=$("$bin" run missing.toml 2>&1); code=$?
[[ $code == 2 && $out == "hyperpush: error: missing.toml: cannot open config file (no such file)" ]] \
  || { echo "FAIL missing file: exit $code: $out"; failures=$((failures + 1)); }

echo "$failures failure(s)"
exit $((failures > 0))

#!/usr/bin/env bash
# Dead and slow peers (comm.timeout; the fault hook faults.stall_rank): on 4 ranks, rank 3 stops at
# round 20 of a complete graph, so every other rank waits on it alone. Within 30 s the whole job is
# gone, with exit code 4, lines that name rank 3 as the silent one, and no result folder.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
code=0
timeout 60 "$src/scripts/mpirun.sh" 4 "$bin" run "$src/experiments/average.toml" --set agents=4 \
  --set topology.kind=complete --set average.rounds=1000000 --set comm.timeout=5 \
  --set faults.stall_rank=3 --set faults.stall_round=20 --set output.progress=false \
  --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr" || code=$?
elapsed=$(($(date +%s) - start))
cat "$tmp/stderr"
((code == 4)) || { echo "FAIL: exit code $code, expected 4"; exit 1; }
((elapsed <= 30)) || { echo "FAIL: the job took $elapsed s to end"; exit 1; }
sleep 1
if pgrep -f "$tmp/out" >/dev/null; then echo "FAIL: processes of the job are left"; exit 1; fi
# The reporting rank is whichever waiter's deadline passes first: any of 0, 1, 2.
lines=$(grep '^hyperpush: error:' "$tmp/stderr")
[[ -n $lines ]] || { echo "FAIL: no error line"; exit 1; }
while IFS= read -r line; do
  [[ $line =~ ^"hyperpush: error: rank "[012]" got no message from rank 3 for 5 s at round 20 (average); is it alive?"$ ]] \
    || { echo "FAIL: unexpected line: $line"; exit 1; }
done <<<"$lines"
[[ ! -e $tmp/out ]] || { echo "FAIL: a result folder was left"; exit 1; }
leftover=$(find "$tmp" -maxdepth 1 -name '.out.partial-*')
[[ -z $leftover ]] || { echo "FAIL: a staging folder was left: $leftover"; exit 1; }
echo "stalled rank 3: exit 4 after $elapsed s, $(wc -l <<<"$lines") line(s) naming rank 3, nothing written"

# A bad stall rank is refused before any work.
code=0
"$src/scripts/mpirun.sh" 2 "$bin" run "$src/experiments/average.toml" --set faults.stall_rank=2 \
  --set output.progress=false --out "$tmp/bad" >/dev/null 2>"$tmp/bad.err" || code=$?
((code == 2)) && grep -q "faults.stall_rank = 2, but the run has 2 ranks" "$tmp/bad.err" \
  || { echo "FAIL: faults.stall_rank = 2 on 2 ranks: exit $code"; cat "$tmp/bad.err"; exit 1; }
echo "faults.stall_rank beyond the ranks: exit 2"

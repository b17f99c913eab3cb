#!/usr/bin/env bash
# consensus.compress (issue 14, part 4): an independent numpy replay of compressed push-sum (every
# codec, lossy and not) gives hyperpush's estimates; q8 averages to 1e-12 with 1/7 of the bytes,
# logical and on the wire; with consensus.robust exact under loss; byte-identical on 1, 2 and 4
# ranks (average under loss, hypergradient, hpo); a compressed run cut by a stalled rank resumes on
# 3 ranks to the same bytes; refusals with exit code 2 and a run that makes the estimates worse
# with exit code 5.
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
avg=$src/experiments/average.toml q=$src/experiments/quickstart.toml
mpirun=$src/scripts/mpirun.sh
source "$src/tests/e2e/lib/expect_error.sh"
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
less() { /usr/bin/python3 -c 'import sys; a,b=map(float,sys.argv[1:3]); sys.exit(0 if a < b else 1)' "$1" "$2"; }
run() { local np=$1 cfg=$2 out=$3; shift 3
  "$mpirun" "$np" "$bin" run "$cfg" --set output.progress=false --out "$out" "$@" >/dev/null; }

# 1. numpy replay (tests/e2e/replay_compressed.py) after 1, 2 and 30 rounds, 9 agents, d = 300
#    (two quantization blocks): codec, step, loss probability, robust (lost shares kept), schedule.
for spec in "q8 1 0.2 false random-directed" "q8 1 0.3 true random-directed" \
  "q4 1 0 false one-peer-exponential" "topk:30 0.5 0 false random-directed" \
  "randk:40 0.05 0.2 true random-directed"; do
  read -r codec step drop robust kind <<<"$spec"
  args=(--set agents=9 --set seed=7 --set average.dim=300 --set topology.kind="$kind")
  "$bin" topology "$avg" "${args[@]}" --rounds 0:30 --export "$tmp/schedule.txt" >/dev/null
  checks=()
  for rounds in 1 2 30; do
    run 2 "$avg" "$tmp/r$rounds" "${args[@]}" --set average.rounds=$rounds \
      --set average.estimates=true --set consensus.compress="$codec" \
      --set consensus.compress_step="$step" --set faults.drop="$drop" --set consensus.robust=$robust
    checks+=($rounds "$tmp/r$rounds/estimates.json")
  done
  echo "$kind, step $step, loss $drop, robust $robust:"
  /usr/bin/python3 "$src/tests/e2e/replay_compressed.py" "$tmp/schedule.txt" 7 300 "$codec" "$step" \
    "$drop" "$([[ $robust == true ]] && echo 1 || echo 0)" "${checks[@]}"
done

# 2. 16 agents, d = 1000, random-directed, 60 rounds: q8 reaches 1e-12 with at most 1/7 of the
#    uncompressed bytes agent to agent (summary.json); through MPI (timings.json) too with one agent
#    per rank (4 agents, 4 ranks). With several agents per rank, an uncompressed row crosses to a
#    rank once for all its agents there, a compressed one once per edge (its reference is the
#    edge's): there the wire gains less (docs/communication.md).
for codec in none q8; do
  run 2 "$avg" "$tmp/$codec" --set agents=16 --set average.dim=1000 --set consensus.compress=$codec
  run 4 "$avg" "$tmp/wire-$codec" --set agents=4 --set average.dim=1000 --set consensus.compress=$codec
done
err=$(field "$tmp/q8/summary.json" consensus_error)
less "$err" 1e-12 || { echo "FAIL: q8 error $err after 60 rounds"; exit 1; }
[[ $(field "$tmp/q8/summary.json" compress) == q8 ]] || { echo "FAIL: summary.json's compress"; exit 1; }
for case in "summary.json bytes_sent" "timings.json mpi_bytes wire-"; do
  read -r file key prefix <<<"$case"
  plain=$(field "$tmp/${prefix:-}none/$file" "$key") packed=$(field "$tmp/${prefix:-}q8/$file" "$key")
  less "$((7 * packed))" "$plain" || { echo "FAIL: $key: q8 $packed, none $plain"; exit 1; }
  echo "q8: $key $packed against $plain uncompressed"
done

# 2b. Loss (faults.drop = 0.3, 64 agents as in message_loss.sh): q8 with consensus.robust (the
#     sender keeps a lost share) reaches the exact average to 1e-12 in 200 rounds; plain q8 stays
#     biased (error above 1e-3).
lossy=(--set agents=64 --set average.rounds=200 --set faults.drop=0.3 --set consensus.compress=q8)
run 2 "$avg" "$tmp/lossy-robust" "${lossy[@]}" --set consensus.robust=true
run 2 "$avg" "$tmp/lossy-plain" "${lossy[@]}"
robust=$(field "$tmp/lossy-robust/summary.json" consensus_error)
plain=$(field "$tmp/lossy-plain/summary.json" consensus_error)
less "$robust" 1e-12 || { echo "FAIL: robust q8 under loss: error $robust"; exit 1; }
less 1e-3 "$plain" || { echo "FAIL: plain q8 under loss: error $plain (not biased?)"; exit 1; }
echo "q8 under loss 0.3: robust error $robust, plain $plain"

# 3. The same bytes on 1, 2 and 4 ranks: a lossy q8 average (13 agents: uneven blocks), a
#    hypergradient and two hpo steps with q8 (inner solver, power iteration and HGP compressed).
for np in 1 2 4; do
  run $np "$avg" "$tmp/avg$np" --set agents=13 --set faults.drop=0.3 --set consensus.compress=q8 \
    --set average.metrics_every=1 --set average.estimates=true
  run $np "$q" "$tmp/hg$np" --set task=hypergradient --set consensus.compress=q8
  run $np "$q" "$tmp/hpo$np" --set outer.steps=2 --set consensus.compress=q4
done
for np in 2 4; do
  for file in summary.json metrics.jsonl estimates.json; do cmp "$tmp/avg1/$file" "$tmp/avg$np/$file"; done
  for file in summary.json hypergradients.json; do cmp "$tmp/hg1/$file" "$tmp/hg$np/$file"; done
  for file in summary.json metrics.jsonl; do cmp "$tmp/hpo1/$file" "$tmp/hpo$np/$file"; done
done
echo "compressed average (lossy), hypergradient and hpo: identical on 1, 2 and 4 ranks"

# 4. Checkpoints hold both copies of every edge's reference: a lossy q8 average cut by a stalled
#    rank (exit 4) past its checkpoint at round 50 resumes on 3 ranks to the uninterrupted bytes.
cut=(--set average.rounds=200 --set average.metrics_every=7 --set average.estimates=true
     --set checkpoint.every=50 --set consensus.compress=q8 --set faults.drop=0.2)
run 4 "$avg" "$tmp/cut.ref" "${cut[@]}"
code=0
run 4 "$avg" "$tmp/cut" "${cut[@]}" --set faults.stall_rank=1 --set faults.stall_round=130 \
  --set comm.timeout=2 2>/dev/null || code=$?
[[ $code == 4 && -f $tmp/cut.checkpoint/MANIFEST ]] || { echo "FAIL: cut run: exit $code"; exit 1; }
run 3 "$avg" "$tmp/cut" "${cut[@]}" --resume
for file in summary.json metrics.jsonl estimates.json; do cmp "$tmp/cut.ref/$file" "$tmp/cut/$file"; done
echo "compressed average cut at round 130, resumed on 3 ranks: the same bytes"

# 5. Refusals (exit 2), and estimates made worse (exit 5).
valid="valid: none, q8, q4, topk:K, randk:K (K >= 1 numbers per message)"
expect_error "hyperpush: error: consensus.compress = \"q2\" is not a compressor; $valid" "$avg" \
  --set consensus.compress=q2
expect_error "hyperpush: error: consensus.compress = \"topk:17\" keeps 17 numbers of a message that has 16; valid: K <= 16, or q8 / q4" \
  "$avg" --set consensus.compress=topk:17
expect_error "hyperpush: error: consensus.mode = \"async\": consensus.compress keeps per-edge references that every message must update in turn; valid: sync" \
  "$avg" --set consensus.compress=q8 --set consensus.mode=async
code=0
"$mpirun" 2 "$bin" run "$avg" --set output.progress=false --out "$tmp/worse" \
  --set consensus.compress=randk:4 >/dev/null 2>"$tmp/err" || code=$?
want="hyperpush: error: average: push-sum made the estimates worse: consensus error"
[[ $code == 5 && $(grep '^hyperpush:' "$tmp/err") == "$want"* && ! -e $tmp/worse ]] ||
  { echo "FAIL: randk:4 at step 1: exit $code, $(cat "$tmp/err")"; exit 1; }
grep -q 'needs a smaller consensus.compress_step (now 1; about K/d for topk / randk)' "$tmp/err" ||
  { echo "FAIL: randk:4 at step 1: no hint: $(cat "$tmp/err")"; exit 1; }
echo "refusals: exit 2; estimates made worse: exit 5"

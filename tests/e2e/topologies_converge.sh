#!/usr/bin/env bash
# hpo with the default inner solver, step, mixing rounds and round limit converges on every listed
# topology kind at 8, 16 and 64 agents: every inner solve reaches inner.tolerance (no warning line),
# the validation loss falls. The directed ring at 64 agents is the slowest (about 1.3e6 rounds per
# solve, 575 per gradient step: docs/hypergradients.md, "Inner solver steps"). A small config: iid
# split, 2 outer steps. A draw that is not strongly connected (erdos-renyi is one graph for all
# rounds) is refused before any work, with exit code 2 and the reason: that too is a right answer.
set -uo pipefail
bin=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
for kind in complete directed-ring exponential one-peer-exponential random-directed \
            random-undirected erdos-renyi torus star; do
  for agents in 8 16 64; do
    "$bin" run "$src/experiments/quickstart.toml" --set agents=$agents --set topology.kind=$kind \
      --set data.partition=iid --set outer.steps=2 --set outer.baseline_local=false \
      --set output.progress=false --out "$kind-$agents" >/dev/null 2>"$kind-$agents.err"
    code=$?
    if ((code == 2)) && grep -q 'is not B-strongly connected' "$kind-$agents.err"; then
      echo "ok   $kind, $agents agents: refused, $(cut -d: -f3- "$kind-$agents.err" | cut -c1-90)..."
      continue
    fi
    if ((code != 0)); then
      echo "FAIL $kind, $agents agents: exit $code: $(cat "$kind-$agents.err")"
      failures=$((failures + 1)); continue
    fi
    warnings=$(grep -c '^hyperpush: warning:' "$kind-$agents.err")
    /usr/bin/python3 - "$kind-$agents/summary.json" "$warnings" <<'PY' || failures=$((failures + 1))
import json, sys
s = json.load(open(sys.argv[1]))
warnings = int(sys.argv[2])
name = f"{s['topology']}, {s['agents']} agents"
ok = s["final_validation_loss"] < s["initial_validation_loss"]
ok = ok and s["inner_converged"] and warnings == 0
print(("ok  " if ok else "FAIL") + f" {name}: F {s['initial_validation_loss']:.4f} -> "
      f"{s['final_validation_loss']:.4f}, inner converged {s['inner_converged']}, "
      f"at most {s['inner_most_rounds']} rounds ({s['inner_mixing_rounds']} per step), worst residual {s['inner_worst_residual']:.1e}")
sys.exit(0 if ok else 1)
PY
  done
done
((failures == 0))

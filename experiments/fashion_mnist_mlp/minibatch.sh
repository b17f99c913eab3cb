#!/usr/bin/env bash
# Minibatch HGP in HPO (issue 14, part 2): experiment 3's config (8 agents, tanh MLP 784-16-10 on
# Fashion-MNIST, LibTorch on CPU, HGP with M = 20, S = 5, α by 30 power iterations) run twice, full
# batch and hypergradient.batch = 32, the same data, schedule, network and inner rounds. Prints the
# validation loss per outer step of both and the final ratio.
#
#   bash experiments/fashion_mnist_mlp/minibatch.sh     # from the repository root, ~2 min
#
# Sample evaluations of the hyper-gradient per outer step: 50 products (30 power iterations + 20
# Neumann steps) per agent, each over all m_i training samples of agent i (full batch) or over
# min(32, m_i) (minibatch): Σ_i m_i / Σ_i min(32, m_i) ≥ Σ_i m_i / 256 fewer. The inner solver
# (200 push-DIGing rounds of full gradients per outer step) is the same in both runs.
# Writes OUT (results/fashion_mnist_mlp_minibatch)/runs/{full,batch32}/ and table.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source experiments/lib/runs.sh
OUT=${OUT:-results/fashion_mnist_mlp_minibatch}
NP=${NP:-2}
cfg=experiments/fashion_mnist_mlp/config.toml
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"
hyperpush_run "$NP" "$OUT/runs/full" "$cfg" --set outer.baseline_local=false
hyperpush_run "$NP" "$OUT/runs/batch32" "$cfg" --set outer.baseline_local=false \
  --set hypergradient.batch=32
"$PY" - "$OUT" <<'PY'
import json, os, sys, tempfile
out = sys.argv[1]
full, mini = (json.load(open(os.path.join(out, "runs", r, "summary.json"))) for r in ("full", "batch32"))
lines = ["| outer step | validation loss, full batch | minibatch 32 |", "|---:|---:|---:|"]
for a, b in zip(full["history"], mini["history"]):
    lines.append(f"| {a['step']} | {a['validation_loss']:.4f} | {b['validation_loss']:.4f} |")
f, m = full["final_validation_loss"], mini["final_validation_loss"]
lines += ["", f"final validation loss: full batch {f:.4f}, minibatch 32 {m:.4f} "
          f"({100 * (m - f) / f:+.2f}%); test accuracy {full['test_accuracy']:.3f} and {mini['test_accuracy']:.3f}"]
text = "\n".join(lines) + "\n"
fd, tmp = tempfile.mkstemp(dir=out)
with os.fdopen(fd, "w") as fh:
    fh.write(text)
os.chmod(tmp, 0o644)
os.replace(tmp, os.path.join(out, "table.md"))
print(text, end="")
PY

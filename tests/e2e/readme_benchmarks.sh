#!/usr/bin/env bash
# The README's benchmark tables are what the committed benchmarks/results.json (the last full
# `bash scripts/bench.sh`) gives: no hand-edited figure there.
set -euo pipefail
src=$2
/usr/bin/python3 "$src/scripts/update-readme-benchmarks.py" --check

#!/usr/bin/env bash
# Rewrites the README's config reference from `hyperpush config-reference`.
# Usage: scripts/update-readme-reference.sh [path to hyperpush, default build/bin/hyperpush]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin/hyperpush}
[[ -x $bin ]] || { echo "update-readme-reference.sh: $bin not found; build first or pass the executable" >&2; exit 2; }
ref=$("$bin" config-reference)
/usr/bin/python3 - "$ref" <<'PY'
import os, sys, tempfile
text = open("README.md").read()
begin, end = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
head, rest = text.split(begin)
_, tail = rest.split(end)
fd, tmp = tempfile.mkstemp(prefix=".README.md.", dir=".")
with os.fdopen(fd, "w") as f:
    f.write(head + begin + "\n" + sys.argv[1] + "\n" + end + tail)
os.chmod(tmp, 0o644)
os.replace(tmp, "README.md")
PY

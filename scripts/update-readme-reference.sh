#!/usr/bin/env bash
# Rewrites the README's config reference from `build/bin/hyperpush config-reference`.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=$(build/bin/hyperpush config-reference)
/usr/bin/python3 - "$ref" <<'PY'
import re, sys
text = open("README.md").read()
begin, end = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
head, rest = text.split(begin)
_, tail = rest.split(end)
open("README.md.tmp", "w").write(head + begin + "\n" + sys.argv[1] + "\n" + end + tail)
PY
mv README.md.tmp README.md

#!/usr/bin/env bash
# The README's config reference is the executable's own, generated from the key table.
set -euo pipefail
bin=$1 src=$2
diff <(sed -n '/<!-- config-reference:begin -->/,/<!-- config-reference:end -->/p' "$src/README.md" \
         | sed '1d;$d') \
     <("$bin" config-reference) \
  || { echo "README.md's config reference is stale: regenerate it with scripts/update-readme-reference.sh $bin"; exit 1; }
echo "README config reference matches \`hyperpush config-reference\`"

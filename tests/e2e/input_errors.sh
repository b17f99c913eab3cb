#!/usr/bin/env bash
# Bad input other than configs (issue 12): broken data files (LIBSVM, scikit-learn CSV, IDX, plain
# and gzip), schedule files, TorchScript modules. Each is refused on 1 and 4 ranks with exit code
# 2, exactly one line on stderr (the exact line below: the file and line or byte, what is wrong,
# what is valid), every process ending (under `timeout`), and nothing written. The broken files
# are made here from small valid ones; the built-in data sets are read from a copy of the Debian
# folders under $HYPERPUSH_DATA_ROOT.
set -uo pipefail
bin=$1 src=$2 q=$2/experiments/quickstart.toml  # every case runs the quickstart with --set
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0 cases=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# expect NAME LINE ARGS...: on 1 and 4 ranks, exit 2 and the one line "hyperpush: error: LINE"
# on stderr (mpirun's own banner aside), no result or staging folder. ARGS follow `run CONFIG`.
expect() {
  local name=$1 line="hyperpush: error: $2"; shift 2
  cases=$((cases + 1))
  for np in 1 4; do
    timeout 120 "$src/scripts/mpirun.sh" $np "$bin" run "$@" --set output.progress=false \
      --out "out-$name" >/dev/null 2>"$name.err"
    local code=$?
    local lines; lines=$(grep '^hyperpush:' "$name.err")
    if [[ $code != 2 || $lines != "$line" ]]; then
      printf 'FAIL %s (np %d): exit %d\n  got:      %s\n  expected: %s\n' "$name" $np $code \
        "$lines" "$line"
      failures=$((failures + 1))
    fi
    [[ ! -e out-$name ]] || fail "$name (np $np): a result folder was left"
    ! ls -A | grep -q "^\.out-$name\." || fail "$name (np $np): a staging folder was left"
  done
}

/usr/bin/python3 - <<'PY'
import gzip, shutil, struct
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
with open("train.libsvm", "w") as f:
    for row, target in zip(x, y):
        f.write("%d %s\n" % (2 * target - 1, " ".join("%d:%g" % (k + 1, v) for k, v in enumerate(row))))
with open("train.libsvm", "rb") as f:
    good = f.read()
open("train.libsvm.gz", "wb").write(gzip.compress(good, mtime=0))
# IDX: 20 images of 28 x 28 and their labels, plain and gzip
pixels = bytes((i * 37) % 256 for i in range(20 * 28 * 28))
images = struct.pack(">IIII", 0x803, 20, 28, 28) + pixels
labels = struct.pack(">II", 0x801, 20) + bytes(i % 10 for i in range(20))
open("images.idx", "wb").write(images)
open("labels.idx", "wb").write(labels)
PY
libsvm() {  # libsvm NAME LINE FILE-TEXT: the training file NAME.libsvm holds the text
  local name=$1 line=$2; printf '%b' "$3" > "$name.libsvm"
  expect "$name" "$line" "$q" --set model.kind=softmax --set data.dataset=libsvm \
    --set "data.train=$name.libsvm"
}

# --- LIBSVM ---------------------------------------------------------------------------------------
libsvm descending 'descending.libsvm:2: index 2 after index 3; indices must be strictly ascending in a line' \
  '1 1:1\n-1 3:1 2:1\n'
libsvm repeated 'repeated.libsvm:1: index 4 after index 4; indices must be strictly ascending in a line' \
  '1 4:1 4:2\n'
libsvm zero_index 'zero_index.libsvm:1: index 0 in "0:1"; LIBSVM indices start at 1' '1 0:1 2:1\n'
libsvm bad_token 'bad_token.libsvm:2: token "3" is not index:value; expected a positive integer index, a colon and a number, such as 3:0.5' \
  '1 1:1\n-1 3\n'
libsvm negative_index 'negative_index.libsvm:1: token "-2:1" is not index:value; expected a positive integer index, a colon and a number, such as 3:0.5' \
  '1 -2:1\n'
libsvm nan_value 'nan_value.libsvm:2: value of index 1 "nan" is not finite; expected a finite number' '1 1:1\n-1 1:nan\n'
libsvm inf_value 'inf_value.libsvm:1: value of index 1 "inf" is not finite; expected a finite number' '1 1:inf\n'
libsvm huge_value 'huge_value.libsvm:1: value of index 1 "1e999" is outside the range of a double; expected 0 or a magnitude from 4.9e-324 to 1.8e308' '1 1:1e999\n'
libsvm text_label 'text_label.libsvm:1: label "yes" is not a number; expected a decimal number such as 3, -0.25 or 1e-3' 'yes 1:1\n'
libsvm comment 'comment.libsvm:1: "#" starts a comment, which the LIBSVM format does not have; expected only "<label> <index>:<value> ..." on each line' '# features of two samples\n1 1:1\n'
libsvm empty 'empty.libsvm: file is empty; expected lines "<label> <index>:<value> ..."' ''
libsvm huge_index 'huge_index.libsvm: 2 samples of 1000000000000 features do not fit in memory as dense doubles; expected fewer features' '1 1:1\n-1 1000000000000:1\n'
libsvm too_wide 'too_wide.libsvm: 2 samples of 2000000000 features do not fit in memory as dense doubles; expected fewer features' '1 1:1\n-1 2000000000:1\n'
# gzip: a byte flipped in the deflate stream, and the file cut in half
/usr/bin/python3 -c '
d = bytearray(open("train.libsvm.gz", "rb").read()); d[len(d) // 2] ^= 0xff
open("corrupt.libsvm.gz", "wb").write(d)'
head -c 2000 train.libsvm.gz > truncated.libsvm.gz
expect corrupt_gz 'corrupt.libsvm.gz: cannot decompress: incorrect data check; expected a complete, uncorrupted gzip file' \
  "$q" --set model.kind=softmax --set data.dataset=libsvm --set data.train=corrupt.libsvm.gz
expect truncated_gz 'truncated.libsvm.gz: cannot decompress: unexpected end of file; expected a complete, uncorrupted gzip file' \
  "$q" --set model.kind=softmax --set data.dataset=libsvm --set data.train=truncated.libsvm.gz
expect missing_libsvm 'nowhere.libsvm: cannot open: No such file or directory; expected a readable data file, plain or gzip-compressed' "$q" --set model.kind=softmax --set data.dataset=libsvm \
  --set data.train=nowhere.libsvm
mkdir folder.libsvm
expect folder_libsvm 'folder.libsvm: cannot open: Is a directory; expected a readable data file, plain or gzip-compressed' "$q" --set model.kind=softmax --set data.dataset=libsvm \
  --set data.train=folder.libsvm
# A test file with a label or an index the training file does not have.
printf '1 1:1\n-1 2:1\n1 1:0.5\n-1 2:0.5\n' > small.libsvm
printf '1 1:1\n7 2:1\n' > new_label.libsvm
expect test_label 'new_label.libsvm: label 7 does not occur in the training file small.libsvm; valid: its labels -1, 1' "$q" --set task=tree --set data.dataset=libsvm --set data.train=small.libsvm \
  --set data.test=new_label.libsvm
printf '1 1:1\n-1 3:1\n' > wide_test.libsvm
expect test_index 'wide_test.libsvm:2: index 3 is above the 2 features asked for; expected indices 1 to 2' "$q" --set task=tree --set data.dataset=libsvm --set data.train=small.libsvm \
  --set data.test=wide_test.libsvm

# --- scikit-learn CSV (iris: "150,4,setosa,versicolor,virginica", then 150 lines) ---------------
sklearn=usr/lib/python3/dist-packages/sklearn/datasets/data
iris=/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv
csv() {  # csv NAME LINE FILE: FILE becomes iris.csv (or FILE's own name) under root-NAME
  local name=$1 line=$2 file=$3 dataset=${4:-iris}
  mkdir -p "root-csv_$name/$sklearn" && mv "$file" "root-csv_$name/$sklearn/"
  HYPERPUSH_DATA_ROOT=$tmp/root-csv_$name expect "csv_$name" "$line" "$q" --set data.dataset=$dataset
}
sed '3s/,0$//' "$iris" > iris.csv && csv ragged "$tmp/root-csv_ragged/$sklearn/iris.csv:3: expected 5 fields, got 4; line 1 declares 4 features, and each line holds the features, then the class label" iris.csv
sed '4s/^4.7/abc/' "$iris" > iris.csv && csv not_number "$tmp/root-csv_not_number/$sklearn/iris.csv:4: field 1 \"abc\" is not a number; expected a decimal number such as 3, -0.25 or 1e-3" iris.csv
sed '5s/^4.6/nan/' "$iris" > iris.csv && csv nan "$tmp/root-csv_nan/$sklearn/iris.csv:5: field 1 \"nan\" is not finite; expected a finite number" iris.csv
sed '6s/^5.0/-inf/' "$iris" > iris.csv && csv inf "$tmp/root-csv_inf/$sklearn/iris.csv:6: field 1 \"-inf\" is not finite; expected a finite number" iris.csv
sed '7s/,0$/,3/' "$iris" > iris.csv && csv label "$tmp/root-csv_label/$sklearn/iris.csv:7: label \"3\" is not a class index; expected an integer from 0 to 2, one per class name on line 1" iris.csv
sed '8s/,0$/,0.5/' "$iris" > iris.csv && csv fractional_label "$tmp/root-csv_fractional_label/$sklearn/iris.csv:8: label \"0.5\" is not a class index; expected an integer from 0 to 2, one per class name on line 1" iris.csv
sed '9d' "$iris" > iris.csv && csv samples "$tmp/root-csv_samples/$sklearn/iris.csv:1: the header declares 150 samples, but 149 lines follow; expected n_samples to count the data lines" iris.csv
sed '1s/^150,4,/150,5,/' "$iris" > iris.csv && csv features "$tmp/root-csv_features/$sklearn/iris.csv:1: the header declares 5 features, but line 2 has 5 fields; expected n_features + 1 fields per line: the features, then the class label" iris.csv
: > iris.csv && csv empty "$tmp/root-csv_empty/$sklearn/iris.csv: file is empty; expected CSV lines of the features, then the class label" iris.csv
mkdir -p root-csv_missing && HYPERPUSH_DATA_ROOT=$tmp/root-csv_missing expect csv_missing "$tmp/root-csv_missing/$sklearn/iris.csv: no such file; data set \"iris\" comes with the Debian package python3-sklearn: run scripts/install-deps.sh" "$q" \
  --set data.dataset=iris
/usr/bin/python3 -c '
d = bytearray(open("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz", "rb").read())
d[len(d) // 2] ^= 0xff
open("digits.csv.gz", "wb").write(d)'
csv corrupt_gz "$tmp/root-csv_corrupt_gz/$sklearn/digits.csv.gz: cannot decompress: incorrect data check; expected a complete, uncorrupted gzip file" digits.csv.gz digits

# --- IDX (Fashion-MNIST's files: 20 images of 28 x 28 here, plain or gzip) ------------------------
fashion=usr/share/datasets/fashion-mnist
idx() {  # idx NAME LINE IMAGES LABELS: the training files of fashion-mnist under root-NAME
  local name=$1 line=$2
  mkdir -p "root-idx_$name/$fashion"
  cp "$3" "root-idx_$name/$fashion/train-images-idx3-ubyte.gz"
  cp "$4" "root-idx_$name/$fashion/train-labels-idx1-ubyte.gz"
  HYPERPUSH_DATA_ROOT=$tmp/root-idx_$name expect "idx_$name" "$line" "$q" \
    --set data.dataset=fashion-mnist --set model.kind=softmax --set data.standardize=false
}
head -c 10000 images.idx > cut.idx && idx truncated "$tmp/root-idx_truncated/$fashion/train-images-idx3-ubyte.gz: byte 10000: file ends after 9984 of the 15680 pixel bytes; the header declares 20 images of 28x28" cut.idx labels.idx
gzip -c images.idx | head -c 300 > cut.idx.gz && idx truncated_gz "$tmp/root-idx_truncated_gz/$fashion/train-images-idx3-ubyte.gz: cannot decompress: unexpected end of file; expected a complete, uncorrupted gzip file" cut.idx.gz labels.idx
idx wrong_magic "$tmp/root-idx_wrong_magic/$fashion/train-images-idx3-ubyte.gz: byte 0: magic number 0x00000801 is not 0x00000803; expected an IDX image file (unsigned bytes, 3 dimensions)" labels.idx labels.idx
head -c 12 images.idx > short.idx && idx short_header "$tmp/root-idx_short_header/$fashion/train-images-idx3-ubyte.gz: byte 12: file ends inside the 16-byte header; expected an IDX image file (unsigned bytes, 3 dimensions)" short.idx labels.idx
: > empty.idx && idx empty "$tmp/root-idx_empty/$fashion/train-images-idx3-ubyte.gz: byte 0: file is empty; expected an IDX image file (unsigned bytes, 3 dimensions)" empty.idx labels.idx
# Headers declaring 10^12 pixels (10^6 images of 1000 x 1000) in small files: refused before
# anything is allocated.
/usr/bin/python3 -c '
import gzip, struct
huge = struct.pack(">IIII", 0x803, 10**6, 1000, 1000) + bytes(1000)
open("huge.idx", "wb").write(huge)
open("huge.idx.gz", "wb").write(gzip.compress(huge, mtime=0))
open("huge_labels.idx", "wb").write(struct.pack(">II", 0x801, 10**6) + bytes(100))'
idx huge_header "$tmp/root-idx_huge_header/$fashion/train-images-idx3-ubyte.gz: byte 1016: file ends after 1000 of the 1000000000000 pixel bytes; the header declares 1000000 images of 1000x1000" huge.idx huge_labels.idx
idx huge_header_gz "$tmp/root-idx_huge_header_gz/$fashion/train-images-idx3-ubyte.gz: byte 4: the header declares 1000000 images of 1000x1000 (1000000000000 pixel bytes), more than this 40-byte gzip file can hold (at most 1032 bytes per compressed byte); expected a header that matches the data" huge.idx.gz huge_labels.idx
# Again on 1 rank, the address space limited to 1 GB more than a running quickstart maps (the
# libraries alone take over 1 GB in a build with LibTorch and CUDA): reserving the declared size
# would fail.
"$bin" run "$q" --set outer.steps=100000 --out out-probe >/dev/null 2>probe.err &
probe=$!
for _ in $(seq 600); do grep -q steps probe.err && break; sleep 0.1; done
base_kb=$(awk '/^VmPeak/ {print $2}' "/proc/$probe/status")
kill -INT $probe; wait $probe
limit_kb=$((base_kb + 1000000))
for name in huge_header huge_header_gz; do
  out=$( (ulimit -v $limit_kb; HYPERPUSH_DATA_ROOT=$tmp/root-idx_$name "$bin" run "$q" \
    --set data.dataset=fashion-mnist --set model.kind=softmax --set output.progress=false \
    --out out-limited) 2>&1 >/dev/null)
  code=$?
  [[ $code == 2 && $out == "$(grep '^hyperpush:' "idx_$name.err")" ]] ||
    fail "idx_$name under ulimit -v $limit_kb: exit $code: $out"
done
/usr/bin/python3 -c '
import struct
d = open("labels.idx", "rb").read()
open("count.idx", "wb").write(struct.pack(">II", 0x801, 19) + d[8:27])'
idx label_count "$tmp/root-idx_label_count/$fashion/train-labels-idx1-ubyte.gz: byte 4: the header declares 19 labels, but $tmp/root-idx_label_count/$fashion/train-images-idx3-ubyte.gz declares 20 images; expected one label per image" images.idx count.idx
cat images.idx labels.idx > long.idx && idx extra_data "$tmp/root-idx_extra_data/$fashion/train-images-idx3-ubyte.gz: byte 15696: data goes on after the 15680 pixel bytes; the header declares 20 images of 28x28" long.idx labels.idx

# --- schedule files (topology.kind = "file", 4 agents) --------------------------------------------
schedule() {  # schedule NAME LINE FILE-TEXT
  local name=$1 line=$2; printf '%b' "$3" > "$name.txt"
  expect "schedule_$name" "$line" "$q" --set agents=4 --set topology.kind=file \
    --set "topology.file=$name.txt"
}
ring='0 0 1\n0 1 2\n0 2 3\n0 3 0\n'
schedule unknown_agent 'unknown_agent.txt:7: agent 7 is outside [0, 4) (the file declares agents 4)' "agents 4\nrounds 2\n${ring}1 2 7\n"
schedule negative_agent 'negative_agent.txt:3: agent -1 is outside [0, 4) (the file declares agents 4)' "agents 4\nrounds 1\n0 -1 2\n"
schedule no_rounds_line 'no_rounds_line.txt:2: expected `rounds R`, got '\''0 0 1'\''; a schedule file starts with `agents N` then `rounds R` (comments start with '\''#'\'')' "agents 4\n$ring"
schedule round_outside 'round_outside.txt:7: round 2 is outside [0, 2) (the file declares rounds 2)' "agents 4\nrounds 2\n${ring}2 0 1\n"
schedule not_connected 'topology: kind '\''file'\'' with 4 agents (seed 1) is not B-strongly connected over rounds [0, 64): the union of those rounds is not strongly connected (agent 0 cannot reach agent 3); add edges to the schedule file '\''not_connected.txt'\''' 'agents 4\nrounds 2\n0 0 1\n0 1 2\n1 2 0\n1 1 0\n'
schedule agent_count 'topology.file: agent_count.txt declares 6 agents but the run has 4 agents; they must be equal' "agents 6\nrounds 1\n$ring"
schedule bad_token 'bad_token.txt:3: '\''one'\'' is not an integer; an edge line is `t u v` (round, from agent, to agent)' "agents 4\nrounds 1\n0 one 2\n"
schedule token_count 'token_count.txt:3: expected an edge `t u v` (round, from agent, to agent), got '\''0 1'\''' "agents 4\nrounds 1\n0 1\n"
schedule empty 'empty.txt: ends before the `agents N` line; a schedule file starts with `agents N` then `rounds R` (comments start with '\''#'\'')' ''

# --- TorchScript modules (model.kind = "torchscript"; LibTorch 1.13's own words inside) ------------
torch=(--set model.backend=torch --set model.device=cpu --set model.kind=torchscript)
"$bin" run "$q" "${torch[@]}" --set model.file=none.pt --out probe >/dev/null 2>probe.err
if grep -q 'built without LibTorch' probe.err; then
  expect torch_missing 'model.backend = "torch": this hyperpush was built without LibTorch (CMake did not find Torch); install libtorch-dev (or pass Torch_DIR) and rebuild, or use backend = "eigen"' \
    "$q" "${torch[@]}" --set model.file=none.pt
else
  expect torchscript_missing 'none.pt: no such file; expected a TorchScript module saved by torch.jit.save (model.file)' \
    "$q" "${torch[@]}" --set model.file=none.pt
  echo "not a module" > garbage.pt
  expect torchscript_garbage 'garbage.pt: LibTorch cannot load it: PytorchStreamReader failed reading zip archive: not a ZIP archive; expected a TorchScript module saved by torch.jit.save (model.file)' \
    "$q" "${torch[@]}" --set model.file=garbage.pt
  # A module for digits' 64 features given breast cancer's 30.
  module=$src/examples/torchscript/digits_mlp.pt
  expect torchscript_signature "$module: forward fails on a 2 × 30 batch of zeros: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x30 and 64x16); the module must accept m × 30 double inputs (one sample per row, q = 30 features of the data)" \
    "$q" "${torch[@]}" --set "model.file=$module"
fi

# --- fewer agents than ranks (a 4-rank run only) ---------------------------------------------------
cases=$((cases + 1))
timeout 120 "$src/scripts/mpirun.sh" 4 "$bin" run "$q" --set agents=3 --set output.progress=false \
  --out out-few >/dev/null 2>few.err
code=$? line=$(grep '^hyperpush:' few.err)
[[ $code == 2 && $line == "hyperpush: error: agents = 3, but the run has 4 ranks and every rank needs an agent; valid: 0 (one per rank) or at least 4, or run on fewer ranks" ]] ||
  fail "agents < ranks: exit $code: $line"
[[ ! -e out-few ]] || fail "agents < ranks: a result folder was left"

echo "$cases cases, $failures failure(s)"
exit $((failures > 0))

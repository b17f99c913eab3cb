#!/usr/bin/env bash
# The push-DIGing step sweeps behind docs/hypergradients.md, "Inner solver steps": a numpy model of
# the inner solver's exact update order (pdiging.py) on the logistic breast-cancer problem and on
# quadratics (heterogeneous, and identical Hessians: quadhom), at s = α·L_max on a geometric grid;
# each line printed is "stable up to s, best s (rounds)". Writes JSON under $OUT (results/inner_step).
# About 30 min on 2 busy cores.  Usage: bash experiments/inner_step/run.sh
set -euo pipefail
here=$(dirname "$0")
kinds="complete exponential torus one-peer-exponential random-directed"
for problem in logistic quad quadhom; do
  for n in 8 16 64; do
    /usr/bin/python3 "$here/sweep.py" $problem $n $kinds --lo 0.05 --hi 8 --k 13 --rounds 10000
  done
  /usr/bin/python3 "$here/sweep.py" $problem 8 directed-ring --lo 0.002 --hi 0.5 --k 13 --rounds 30000
  /usr/bin/python3 "$here/sweep.py" $problem 16 directed-ring --lo 2e-4 --hi 0.05 --k 13 --rounds 60000
  /usr/bin/python3 "$here/sweep.py" $problem 64 directed-ring --lo 2e-6 --hi 5e-4 --k 9 --rounds 20000 --extra
done

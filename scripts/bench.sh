#!/usr/bin/env bash
# The benchmarks behind docs/benchmarks.md. Run through `make bench` (release build first).
# Each section prints the command it runs, so every figure in the docs can be traced to a line here.
set -euo pipefail
cd "$(dirname "$0")/.."
EBM=.build/release/ebm
OUT=out/bench
mkdir -p "$OUT"

run() { echo "+ $*"; "$@"; echo; }

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
echo

echo "== BLAS: which CBLAS is linked, and sgemm through Matrix (target >= 100 GFLOP/s)"
run "$EBM" bench blas --size 2048 --repeats 5 --reference --minimum-gflops 100
echo "ldd order:"
ldd "$EBM" | grep -nE 'openblas|gslcblas|libgsl'
echo
echo "== Hopfield: asynchronous recall of 10,000 probes, N = 1000, P = 100, 10% noise (target <= 2 s)"
run "$EBM" bench hopfield --neurons 1000 --patterns 100 --probes 10000 --noise 0.1
run "$EBM" bench hopfield --neurons 1000 --patterns 100 --probes 10000 --noise 0.1 --threads 1
echo "== Hopfield: the same rule and mode in straightforward NumPy (a subset of the probes; compare probes/s)"
python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
run python3 Benchmarks/hopfield_numpy.py --neurons 1000 --patterns 100 --probes 200 --noise 0.1

echo "== Hopfield capacity, N = 1000, 10% flipped probes (Hebb: alpha_c in [0.12, 0.16]; pseudo-inverse > Storkey > Hebb)"
run "$EBM" hopfield capacity --neurons 1000 --rule hebb --loads 0.02:0.26:0.02 --trials 5 --quiet --plot "$OUT/capacity-hebb.svg"
run "$EBM" hopfield capacity --neurons 1000 --rule hebb --loads 0.05:0.10:0.05 --trials 10 --quiet
run "$EBM" hopfield capacity --neurons 500 --rule hebb --loads 0.05:0.10:0.05 --trials 10 --quiet
run "$EBM" hopfield capacity --neurons 1000 --rule storkey --trials 5 --quiet --plot "$OUT/capacity-storkey.svg"
run "$EBM" hopfield capacity --neurons 1000 --rule pseudoinverse --trials 5 --quiet --plot "$OUT/capacity-pseudoinverse.svg"
echo "== Dense associative memory, n = 3, N = 200: 2N = 400 patterns (target >= 95% recalled)"
run "$EBM" hopfield capacity --neurons 200 --rule dense --degree 3 --loads 1:3:0.5 --trials 3 --probes 400 --quiet --plot "$OUT/capacity-dense3.svg"

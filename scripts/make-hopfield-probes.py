#!/usr/bin/env python3
"""Writes the test data of the Hopfield recall-from-files benchmark.

Two CSV files in the format of `ebm hopfield store` / `ebm hopfield recall` (one pattern per row,
values -1 and 1, no header):
  PATTERNS: --patterns random patterns of --neurons neurons, each element +-1 with probability 1/2;
  PROBES:   --probes probes; probe k is stored pattern k mod --patterns with exactly
            round(--noise * --neurons) distinct bits flipped (as `ebm bench hopfield` makes them).
The same --seed gives the same files (numpy's PCG64 generator), so the benchmark is reproducible.

    python3 scripts/make-hopfield-probes.py --seed 1 --patterns-out out/bench/patterns.csv \\
        --probes-out out/bench/probes.csv
    .build/release/ebm hopfield store --patterns out/bench/patterns.csv --out out/bench/memory.npz
    /usr/bin/time -v .build/release/ebm hopfield recall --memory out/bench/memory.npz \\
        --probes out/bench/probes.csv --output out/bench/recalled.csv > out/bench/recall.txt
"""
import argparse

import numpy as np


def write_csv(path, rows):
    # -1/1 as text without numpy's per-value formatting: one join per row.
    lines = [",".join("1" if v > 0 else "-1" for v in row) for row in rows.tolist()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neurons", type=int, default=1000)
    ap.add_argument("--patterns", type=int, default=100)
    ap.add_argument("--probes", type=int, default=10_000)
    ap.add_argument("--noise", type=float, default=0.1, help="fraction of bits flipped per probe")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--patterns-out", required=True)
    ap.add_argument("--probes-out", required=True)
    a = ap.parse_args()
    if a.neurons < 1 or a.patterns < 1 or a.probes < 0 or not 0 <= a.noise <= 1:
        ap.error("expected --neurons, --patterns >= 1, --probes >= 0 and --noise in [0, 1]")

    rng = np.random.default_rng(a.seed)
    stored = np.where(rng.random((a.patterns, a.neurons)) < 0.5, -1, 1).astype(np.int8)
    probes = stored[np.arange(a.probes) % a.patterns].copy()
    flips = int(round(a.noise * a.neurons))
    for k in range(a.probes):
        bits = rng.choice(a.neurons, size=flips, replace=False)
        probes[k, bits] = -probes[k, bits]
    write_csv(a.patterns_out, stored)
    write_csv(a.probes_out, probes)


if __name__ == "__main__":
    main()

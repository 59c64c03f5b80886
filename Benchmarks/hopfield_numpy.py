#!/usr/bin/env python3
"""A straightforward NumPy Hopfield network: Hebbian storage, asynchronous recall.

The reference that `ebm bench hopfield` is compared with in docs/benchmarks.md: the same rule
(Hebb, w_ii = 0), the same mode (asynchronous, a fresh random order each sweep, stop after a sweep
with no flip) and the same probes (random patterns, 10% of bits flipped). Each neuron's field is
computed as W[i] @ s, the way the textbook implementations (and most tutorials) write it.

    python3 Benchmarks/hopfield_numpy.py --neurons 1000 --patterns 100 --probes 200
"""
import argparse
import time

import numpy as np


def store_hebbian(patterns):
    n = patterns.shape[1]
    w = patterns.T @ patterns / n
    np.fill_diagonal(w, 0)
    return w.astype(np.float32)


def recall_async(w, probe, rng, max_sweeps=100):
    s = probe.copy()
    n = s.shape[0]
    for sweep in range(1, max_sweeps + 1):
        flips = 0
        for i in rng.permutation(n):
            h = w[i] @ s
            if h > 0 and s[i] < 0:
                s[i] = 1
                flips += 1
            elif h < 0 and s[i] > 0:
                s[i] = -1
                flips += 1
        if flips == 0:
            return s, sweep
    return s, max_sweeps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--neurons", type=int, default=1000)
    ap.add_argument("--patterns", type=int, default=100)
    ap.add_argument("--probes", type=int, default=200)
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    patterns = rng.choice(np.array([-1, 1], dtype=np.float32), size=(a.patterns, a.neurons))
    w = store_hebbian(patterns)
    flips = int(round(a.noise * a.neurons))
    probes = []
    for k in range(a.probes):
        p = patterns[k % a.patterns].copy()
        idx = rng.choice(a.neurons, flips, replace=False)
        p[idx] = -p[idx]
        probes.append(p)
    t0 = time.perf_counter()
    exact, sweeps = 0, 0
    for k, p in enumerate(probes):
        s, n_sweeps = recall_async(w, p, rng)
        sweeps += n_sweeps
        exact += int(np.array_equal(s, patterns[k % a.patterns]))
    dt = time.perf_counter() - t0
    print(f"numpy hebb async recall: N = {a.neurons}, P = {a.patterns}, {a.probes} probes with {a.noise*100:.0f}% noise: "
          f"{dt:.3f} s, {a.probes/dt:.0f} probes/s, {sweeps/a.probes:.2f} sweeps/probe, {exact}/{a.probes} recalled exactly")


if __name__ == "__main__":
    main()

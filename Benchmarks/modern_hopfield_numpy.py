#!/usr/bin/env python3
"""The modern Hopfield update in NumPy: the peer of `ebm hopfield recall --beta` in docs/benchmarks.md.

Same input, same computation as the toolkit: binarised MNIST (pixel >= 0.5 -> +1, else -1), the
60,000 training digits stored, 10,000 test digits with 20% of their pixels flipped as probes, and
one update xi <- X softmax(beta X^T xi) for all probes: a GEMM, a stable row softmax (row maximum
subtracted), and a GEMM, in float32. NumPy holds a probe chunk x 60,000 score matrix at a time
(1,000 probes: 240 MB), the way a plain implementation writes it.

    python3 Benchmarks/modern_hopfield_numpy.py prepare --data Data/mnist --out /tmp/mh
    python3 Benchmarks/modern_hopfield_numpy.py time --out /tmp/mh [--compare /tmp/mh/recalled.npy]

`prepare` writes stored.npy (60000 x 784), probes.npy (10000 x 784) and probe-labels.npy; `time`
runs the update on them and reports the seconds, best of --repeats, and with --compare how many
recalled patterns (signs) agree with the toolkit's output.
"""
import argparse
import gzip
import os
import time

import numpy as np


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def prepare(args):
    train = idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).reshape(60000, -1)
    test = idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).reshape(10000, -1)
    labels = idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    stored = np.where(train >= 128, 1, -1).astype(np.float32)
    probes = np.where(test >= 128, 1, -1).astype(np.float32)[: args.probes]
    rng = np.random.default_rng(args.seed)
    flips = int(round(args.flip * probes.shape[1]))
    for row in probes:
        row[rng.permutation(probes.shape[1])[:flips]] *= -1
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "stored.npy"), stored)
    np.save(os.path.join(args.out, "probes.npy"), probes)
    np.save(os.path.join(args.out, "probe-labels.npy"), labels[: args.probes].astype(np.int64))
    print(f"wrote stored.npy {stored.shape}, probes.npy {probes.shape} ({flips} pixels flipped each) to {args.out}")


def update(x, probes, beta, chunk):
    out = np.empty_like(probes)
    for start in range(0, probes.shape[0], chunk):
        s = beta * (probes[start:start + chunk] @ x.T)
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        out[start:start + chunk] = s @ x
    return out


def time_update(args):
    x = np.load(os.path.join(args.out, "stored.npy"))
    probes = np.load(os.path.join(args.out, "probes.npy"))
    best = None
    for _ in range(args.repeats):
        t = time.perf_counter()
        result = update(x, probes, np.float32(args.beta), args.chunk)
        seconds = time.perf_counter() - t
        best = seconds if best is None else min(best, seconds)
    flop = 4.0 * probes.shape[0] * x.shape[0] * x.shape[1]
    print(f"numpy {np.__version__}: {probes.shape[0]} probes x {x.shape[0]} stored, N = {x.shape[1]}, beta {args.beta}: "
          f"{best:.2f} s (best of {args.repeats}), {flop / best / 1e9:.1f} GFLOP/s in the two GEMMs' count")
    if args.compare:
        theirs = np.load(args.compare).reshape(probes.shape[0], -1)
        agree = np.all(np.where(result >= 0, 1, -1) == theirs, axis=1).sum()
        print(f"recalled patterns equal to {args.compare}: {agree}/{probes.shape[0]}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--data", default="Data/mnist")
    a.add_argument("--out", required=True)
    a.add_argument("--probes", type=int, default=10000)
    a.add_argument("--flip", type=float, default=0.2)
    a.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("time")
    b.add_argument("--out", required=True)
    b.add_argument("--beta", type=float, default=1.0)
    b.add_argument("--chunk", type=int, default=1000)
    b.add_argument("--repeats", type=int, default=1)
    b.add_argument("--compare")
    args = p.parse_args()
    prepare(args) if args.command == "prepare" else time_update(args)


if __name__ == "__main__":
    main()

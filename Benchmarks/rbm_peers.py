#!/usr/bin/env python3
"""One RBM training epoch on MNIST in the Python peers, for docs/benchmarks.md.

- scikit-learn's BernoulliRBM (n_iter=1): its fit is PCD-1 with as many persistent chains as the
  batch size, float64 by default (float32 data is kept in float32).
- A PyTorch CPU implementation of the same algorithm as `ebm bench rbm`: CD-1 with Bernoulli
  sampling, momentum and L2 weight decay, float32, on the same batches.

    python3 Benchmarks/rbm_peers.py --hidden 500 --batch 100 [--skip-torch]
"""
import argparse
import gzip
import os
import time

import numpy as np


def load_mnist(path):
    with gzip.open(path) as f:
        raw = f.read()
    return (np.frombuffer(raw[16:], dtype=np.uint8).reshape(-1, 784) / 255.0)


def sklearn_epoch(x, hidden, batch, dtype):
    from sklearn.neural_network import BernoulliRBM
    rbm = BernoulliRBM(n_components=hidden, batch_size=batch, learning_rate=0.05, n_iter=1, random_state=1)
    xs = x.astype(dtype)
    t0 = time.perf_counter()
    rbm.fit(xs)
    return time.perf_counter() - t0


def torch_epoch(x, hidden, batch, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    v_all = torch.from_numpy(x.astype(np.float32))
    n, d = v_all.shape
    w = torch.randn(d, hidden) * 0.01
    a = torch.zeros(d)
    b = torch.zeros(hidden)
    dw, da, db = torch.zeros_like(w), torch.zeros_like(a), torch.zeros_like(b)
    lr, mom, wd = 0.05, 0.5, 0.0002
    order = torch.randperm(n)
    t0 = time.perf_counter()
    with torch.no_grad():
        for s in range(0, n, batch):
            v0 = v_all[order[s:s + batch]]
            p0 = torch.sigmoid(v0 @ w + b)
            h = torch.bernoulli(p0)
            v1 = torch.bernoulli(torch.sigmoid(h @ w.T + a))
            p1 = torch.sigmoid(v1 @ w + b)
            m = v0.shape[0]
            dw.mul_(mom).add_((v0.T @ p0 - v1.T @ p1) / m - wd * w, alpha=lr)
            da.mul_(mom).add_((v0 - v1).mean(0), alpha=lr)
            db.mul_(mom).add_((p0 - p1).mean(0), alpha=lr)
            w.add_(dw)
            a.add_(da)
            b.add_(db)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="Data/mnist/train-images-idx3-ubyte.gz")
    ap.add_argument("--hidden", type=int, default=500)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--skip-torch", action="store_true")
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args()
    x = load_mnist(args.data)
    n = x.shape[0]
    if not args.skip_sklearn:
        import sklearn
        for dtype in (np.float64, np.float32):
            t = sklearn_epoch(x, args.hidden, args.batch, dtype)
            print(f"scikit-learn {sklearn.__version__} BernoulliRBM ({np.dtype(dtype).name}) epoch: {n}x784, {args.hidden} hidden, "
                  f"batch {args.batch}: {t:.2f} s")
    if not args.skip_torch:
        import torch
        best = min(torch_epoch(x, args.hidden, args.batch, args.threads) for _ in range(2))
        print(f"PyTorch {torch.__version__} CD-1 epoch (float32, {args.threads} threads): {n}x784, {args.hidden} hidden, "
              f"batch {args.batch}: {best:.2f} s (best of 2)")


if __name__ == "__main__":
    main()

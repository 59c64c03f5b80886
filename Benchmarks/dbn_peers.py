#!/usr/bin/env python3
"""One fine-tuning epoch of the DBN classifier in PyTorch (CPU), for docs/benchmarks.md.

The same network and algorithm as `ebm dbn train`'s fine-tuning: 784-500-500-2000-10, sigmoid
hidden units, softmax output with mean cross-entropy, inverted dropout 0.1 on the inputs and 0.3 on
the hidden units, SGD with momentum 0.9 and learning rate 0.5, an exponential moving average of the
weights (decay 0.999) after every step, batch 100, float32, on the 60,000 MNIST training images (the defaults
train on all of them).

    python3 Benchmarks/dbn_peers.py [--threads 2]
"""
import argparse
import gzip
import os
import time

import numpy as np


def load(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read()[offset:], dtype=np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", default="Data/mnist/train-images-idx3-ubyte.gz")
    ap.add_argument("--labels", default="Data/mnist/train-labels-idx1-ubyte.gz")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.from_numpy((load(args.images, 16).reshape(-1, 784) / 255.0).astype(np.float32))
    y = torch.from_numpy(load(args.labels, 8).astype(np.int64))
    net = torch.nn.Sequential(
        torch.nn.Dropout(0.1), torch.nn.Linear(784, 500), torch.nn.Sigmoid(),
        torch.nn.Dropout(0.3), torch.nn.Linear(500, 500), torch.nn.Sigmoid(),
        torch.nn.Dropout(0.3), torch.nn.Linear(500, 2000), torch.nn.Sigmoid(),
        torch.nn.Dropout(0.3), torch.nn.Linear(2000, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    params = list(net.parameters())
    average = [p.detach().clone() for p in params]
    loss_fn = torch.nn.CrossEntropyLoss()
    best = float("inf")
    for _ in range(args.repeats):
        order = torch.randperm(x.shape[0])
        t0 = time.perf_counter()
        for s in range(0, x.shape[0], 100):
            idx = order[s:s + 100]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            with torch.no_grad():
                torch._foreach_lerp_(average, params, 1 - 0.999)
        best = min(best, time.perf_counter() - t0)
    print(f"PyTorch {torch.__version__} fine-tuning epoch (784-500-500-2000-10, sigmoid, dropout, SGD momentum, weight average, batch 100, "
          f"float32, {args.threads} threads): {x.shape[0]} images: {best:.2f} s (best of {args.repeats})")


if __name__ == "__main__":
    main()

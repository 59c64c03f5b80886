#!/usr/bin/env python3
"""A second public 28×28 image set in MNIST's IDX format, for checking the DBN defaults off MNIST.

Animal-MNIST (PyPI package `animal-mnist` 0.4, MIT licence): 10,000 grey 28×28 silhouettes of ten
animals (bear, bird, cat, cow, dog, elephant, giraffe, horse, sheep, zebra), 1,000 of each. The
package ships them as pickled NumPy arrays and its own benchmark splits them with scikit-learn's
`train_test_split(test_size=0.2, random_state=42)`; this script makes that same split and writes it
as the four IDX files `ebm dbn train` reads (8,000 training and 2,000 test images). The wheel is
downloaded from PyPI with pip and checked against its SHA-256 before anything in it is read.

With `--peers` it also trains, on the same files in the same run, two scikit-learn classifiers as
reference points: logistic regression on the pixels, and the BernoulliRBM (500 hidden units, 20
epochs) + logistic regression pipeline of scikit-learn's own RBM example.

    python3 Benchmarks/animal_mnist.py --out out/bench/animal-mnist [--peers]
"""
import argparse
import gzip
import hashlib
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np

WHEEL = "animal_mnist-0.4-py3-none-any.whl"
WHEEL_SHA256 = "aeebf3d9de4552d6fd2d5701424e1a5b9020f8e5115d68df9db252f2f53ce2ce"
MEMBERS = ("animal_mnist/data/Animal_MNIST/animal_data_version_3.gz",
           "animal_mnist/data/Animal_MNIST/animal_label_version_3.gz")


def fetch(cache):
    """The wheel's images (uint8, n×28×28) and labels (n), downloaded once into `cache`."""
    path = os.path.join(cache, WHEEL)
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--dest", cache, "animal-mnist==0.4"], check=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(path) as wheel:
        images, labels = (pickle.loads(gzip.decompress(wheel.read(m))) for m in MEMBERS)
    images, labels = np.asarray(images, dtype=np.uint8), np.asarray(labels, dtype=np.uint8)
    if images.shape != (10000, 28, 28) or labels.shape != (10000,):
        sys.exit(f"{path}: expected 10000 images of 28x28 and 10000 labels, got {images.shape} and {labels.shape}")
    return images, labels


def write_idx(path, array):
    """IDX (LeCun's MNIST format): magic 0x0000 08 ndim (unsigned bytes), big-endian sizes, data."""
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as tmp:
        with gzip.GzipFile(fileobj=tmp, mode="wb", mtime=0) as out:
            out.write(header + array.astype(np.uint8).tobytes())
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


def peers(x_train, y_train, x_test, y_test):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import BernoulliRBM
    from sklearn.pipeline import Pipeline
    xtr = x_train.reshape(len(x_train), -1).astype(np.float32) / 255
    xte = x_test.reshape(len(x_test), -1).astype(np.float32) / 255
    models = {
        "scikit-learn logistic regression (C = 1, lbfgs)": LogisticRegression(max_iter=2000),
        "scikit-learn BernoulliRBM (500 hidden, 20 epochs, lr 0.06) + logistic regression (C = 100)":
            Pipeline([("rbm", BernoulliRBM(n_components=500, learning_rate=0.06, n_iter=20, random_state=0)),
                      ("logistic", LogisticRegression(C=100, max_iter=2000))]),
    }
    for name, model in models.items():
        start = time.time()
        model.fit(xtr, y_train)
        accuracy = (model.predict(xte) == y_test).mean()
        print(f"{name}: test accuracy {accuracy:.4f} ({int(round(accuracy * len(y_test)))} of {len(y_test)}), "
              f"{time.time() - start:.1f} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="out/bench/animal-mnist")
    ap.add_argument("--peers", action="store_true")
    args = ap.parse_args()
    from sklearn.model_selection import train_test_split
    images, labels = fetch(os.path.join(args.out, "wheel"))
    x_train, x_test, y_train, y_test = train_test_split(images, labels, test_size=0.2, random_state=42)
    for name, array in (("train-images-idx3-ubyte.gz", x_train), ("train-labels-idx1-ubyte.gz", y_train),
                        ("t10k-images-idx3-ubyte.gz", x_test), ("t10k-labels-idx1-ubyte.gz", y_test)):
        write_idx(os.path.join(args.out, name), array)
    print(f"Animal-MNIST: {len(x_train)} training and {len(x_test)} test images in {args.out}")
    if args.peers:
        peers(x_train, y_train, x_test, y_test)


if __name__ == "__main__":
    main()

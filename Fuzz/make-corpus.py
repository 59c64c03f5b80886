#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into Fuzz/Corpus/<harness>/.

Seeds are small valid files of each format (cut from Data/ or made here with NumPy) and the known
hostile inputs of issue #13. Run from anywhere: `python3 Fuzz/make-corpus.py`. It overwrites only
the files it writes; inputs saved from crashes found by fuzzing (crash-*, oom-*, leak-*, timeout-*)
are kept.

The model-file harnesses take their members as text (see Fuzz/Sources/FuzzSupport/ArchiveInput.swift):
`--- name` lines, each followed by the member's .npy bytes, or by text (the JSON metadata). Their
metadata is what `ebm` writes (copied from files written by `ebm hopfield store`, `ebm rbm train` and
`ebm dbn train` on tiny data).
"""
import gzip
import io
import json
import os
import struct
import zipfile
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
DATA = os.path.join(ROOT, "Data")


def put(harness, name, data):
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0: the same bytes on every run.
    return gzip.compress(data, mtime=0)


# --- IDX -------------------------------------------------------------------------------------------

def idx(type_code, shape, payload):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape) + payload


images = gzip.open(os.path.join(DATA, "mnist", "t10k-images-idx3-ubyte.gz")).read()
labels = gzip.open(os.path.join(DATA, "mnist", "t10k-labels-idx1-ubyte.gz")).read()
one_image = idx(0x08, [1, 28, 28], images[16:16 + 784])
ten_labels = idx(0x08, [10], labels[8:18])
typed = {
    "int8": idx(0x09, [2, 3], bytes([0, 1, 2, 0xFF, 0x80, 7])),
    "int16": idx(0x0B, [2, 3], b"".join(struct.pack(">h", v) for v in [0, 1, -2, 300, -300, 7])),
    "int32": idx(0x0C, [2, 3], b"".join(struct.pack(">i", v) for v in [0, 1, -2, 70000, -70000, 7])),
    "float32": idx(0x0D, [2, 3], b"".join(struct.pack(">f", v) for v in [0, 0.5, 1, 0.25, 0.75, 1])),
    "float64": idx(0x0E, [3], b"".join(struct.pack(">d", v) for v in [0, 1, 2])),
}
# Issue #13 finding 1: a header for 0 images of 28×28.
zero_images = idx(0x08, [0, 28, 28], b"")
for harness in ("FuzzIDX", "FuzzIDXGzip"):
    put(harness, "mnist-1-image.idx", one_image)
    put(harness, "mnist-10-labels.idx", ten_labels)
    for name, data in typed.items():
        put(harness, f"{name}.idx", data)
    put(harness, "finding-zero-images.idx", zero_images)
# FuzzIDX reads gzip itself (FuzzIDXGzip compresses every input).
put("FuzzIDX", "mnist-1-image.idx.gz", gz(one_image))
put("FuzzIDX", "mnist-10-labels.idx.gz", gz(ten_labels))
put("FuzzIDX", "finding-zero-images.idx.gz", gz(zero_images))


# --- .npy ------------------------------------------------------------------------------------------

def npy_bytes(array, version=None):
    f = io.BytesIO()
    if version is None:
        np.save(f, array)
    else:
        np.lib.format.write_array(f, array, version=version)
    return f.getvalue()


def npy_header(header, body=b""):
    """A .npy file with a header dict written by hand (shapes NumPy would refuse to make)."""
    while (10 + len(header) + 1) % 64:
        header += " "
    header += "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + body


rng = np.random.default_rng(13)
x = (rng.random((4, 6)) > 0.5).astype(np.float32)
npys = {
    "f4-4x6.npy": npy_bytes(x),
    "f8-3.npy": npy_bytes(np.array([0.0, 0.5, 1.0])),
    "f8-big-endian.npy": npy_bytes(np.array([[0.0, 0.5], [1.0, 0.25]], dtype=">f8")),
    "f4-fortran-2x3.npy": npy_bytes(np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3) / 6)),
    "f4-fortran-2x2x2.npy": npy_bytes(np.asfortranarray(np.arange(8, dtype=np.float32).reshape(2, 2, 2) / 8)),
    "u1-mnist-2x784.npy": npy_bytes(np.frombuffer(images[16:16 + 2 * 784], dtype=np.uint8).reshape(2, 784)),
    "i1.npy": npy_bytes(np.array([0, 1, -1], dtype=np.int8)),
    "i2.npy": npy_bytes(np.array([0, 1, -1], dtype=np.int16)),
    "i4.npy": npy_bytes(np.array([0, 1, 9], dtype=np.int32)),
    "i8-labels.npy": npy_bytes(np.array([0, 1, 2, 9], dtype=np.int64)),
    "u2.npy": npy_bytes(np.array([0, 1, 65535], dtype=np.uint16)),
    "u4.npy": npy_bytes(np.array([0, 1, 7], dtype=np.uint32)),
    "u8.npy": npy_bytes(np.array([0, 1, 7], dtype=np.uint64)),
    "bool.npy": npy_bytes(np.array([[True, False], [False, True]])),
    "string-0d.npy": npy_bytes(np.array('{"format":"x"}')),
    "v2-header.npy": npy_bytes(np.array([1.0, 2.0], dtype=np.float32), version=(2, 0)),
    "v3-header.npy": npy_bytes(np.array([1.0, 2.0], dtype=np.float32), version=(3, 0)),
    "scalar-0d.npy": npy_bytes(np.array(1.5, dtype=np.float32)),
    # Issue #13 findings 1-5.
    "finding-shape-0x784.npy": npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 784), }"),
    "finding-shape-5x0.npy": npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 0), }"),
    "finding-shape-2^62x4.npy": npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", bytes(4)),
    "finding-shape-2^62.npy": npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }", bytes(4)),
    "finding-dtype-U2^62.npy": npy_header("{'descr': '<U4611686018427387904', 'fortran_order': False, 'shape': (), }", bytes(4)),
    "finding-shape-0x2^62x2^62.npy": npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }"),
}
for name, data in npys.items():
    put("FuzzNumpy", name, data)


# --- .npz ------------------------------------------------------------------------------------------

def npz(arrays, compressed):
    f = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(f, **arrays)
    return f.getvalue()


def zip64_member(name, member, method, size):
    """One member whose central directory entry gives its size in a zip64 extra field (finding 6)."""
    crc = zlib.crc32(member)
    name = name.encode()
    local = struct.pack("<IHHHHHIII", 0x04034B50, 45, 0, method, 0, 0x21, crc, len(member), 0xFFFFFFFF)
    local += struct.pack("<HH", len(name), 0) + name + member
    central = struct.pack("<IHHHHHHIII", 0x02014B50, 45, 45, 0, method, 0, 0x21, crc, len(member), 0xFFFFFFFF)
    central += struct.pack("<HHHHHII", len(name), 12, 0, 0, 0, 0, 0) + name + struct.pack("<HHQ", 1, 8, size)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


small = {"W": rng.standard_normal((3, 2)).astype(np.float32), "b": np.zeros(2, np.float32),
         "metadata": np.array('{"format":"energymodels.rbm"}')}
put("FuzzNpz", "stored.npz", npz(small, compressed=False))
put("FuzzNpz", "deflated.npz", npz(small, compressed=True))
put("FuzzNpz", "deflated-u1.npz", npz({"x": np.frombuffer(images[16:16 + 784], dtype=np.uint8)}, compressed=True))
# A zip64 archive as zipfile writes it (end-of-central-directory record and locator included).
f = io.BytesIO()
with zipfile.ZipFile(f, "w", allowZip64=True) as z:
    with z.open("W.npy", "w", force_zip64=True) as m:
        m.write(npy_bytes(small["W"]))
put("FuzzNpz", "zip64.npz", f.getvalue())
# Issue #13 finding 6: a deflated member ("hello" in a stored deflate block) claiming 0x7FFF…F0 bytes.
put("FuzzNpz", "finding-zip64-size-2^63.npz",
    zip64_member("W.npy", bytes([0x01, 0x05, 0x00, 0xFA, 0xFF]) + b"hello", 8, 0x7FFF_FFFF_FFFF_FFF0))
put("FuzzNpz", "finding-npy-2^62x4-stored.npz",
    zip64_member("W.npy", npys["finding-shape-2^62x4.npy"], 0, len(npys["finding-shape-2^62x4.npy"])))


# --- Numeric CSV data ----------------------------------------------------------------------------

put("FuzzDataCSV", "data.csv", "0,1,0.5,1\n1,0,0.25,0\n0.75,1,1,0\n")
put("FuzzDataCSV", "data-header.csv", "a,b,c\n0,1,0.5\n1,0,0.25\n")
put("FuzzDataCSV", "labels.csv", "0\n3\n9\n1\n")
put("FuzzDataCSV", "quoted-crlf.csv", '"x","y"\r\n"1",2\r\n3,"4e-1"\r\n')


# --- PNG -------------------------------------------------------------------------------------------

def png(width, height, color_type, bit_depth, rows, palette=None):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if palette:
        out += chunk(b"PLTE", palette)
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


put("FuzzPNG", "gray-4x3.png", png(4, 3, 0, 8, [bytes([0, 85, 170, 255])] * 3))
put("FuzzPNG", "rgb-2x2.png", png(2, 2, 2, 8, [bytes([255, 0, 0, 0, 255, 0])] * 2))
put("FuzzPNG", "palette-2x2.png", png(2, 2, 3, 8, [bytes([0, 1])] * 2, palette=bytes([0, 0, 0, 255, 255, 255])))
put("FuzzPNG", "gray16-2x1.png", png(2, 1, 0, 16, [bytes([0, 0, 255, 255])]))
put("FuzzPNG", "gray-alpha-1x1.png", png(1, 1, 4, 8, [bytes([128, 255])]))
# An image header of 1,000,000 × 1,000,000 (libpng's default limit) over one row of pixels.
put("FuzzPNG", "finding-1000000x1000000.png", png(1_000_000, 1_000_000, 0, 1, [bytes(125_000)]))


# --- TrackML files ---------------------------------------------------------------------------------

def head(path, lines):
    with open(path) as f:
        return "".join(next(f) for _ in range(lines))


events = os.path.join(DATA, "events")
put("FuzzHits", "barrel-hits.csv", head(os.path.join(events, "barrel", "event000000001-hits.csv"), 13))
put("FuzzHits", "planar-hits.csv", head(os.path.join(events, "planar", "event000000001-hits.csv"), 13))
put("FuzzHits", "plain-hits.csv", "hit_id,x,y,z,layer\n1,30.5,2.25,-10,1\n2,60.1,4.5,-20,2\n3,90,7,-30.5,3\n")
put("FuzzHits", "quoted-crlf-hits.csv", 'hit_id,x,y,z,volume_id,layer_id\r\n"1",1e1,2,3,8,2\r\n2,4,5,"6",8,4\r\n')
# Truth and submissions of the harnesses' fixed event: hit ids 1-6.
put("FuzzTruth", "barrel-truth.csv", head(os.path.join(events, "barrel", "event000000001-truth.csv"), 7))
put("FuzzTruth", "minimal-truth.csv", "hit_id,particle_id,weight\n1,7,0.5\n2,7,0.5\n3,0,0\n4,8,0.1\n5,8,0.1\n6,0,0\n")

# JINR's BM@N event CSV (positions in cm; read by HitFile and TruthFile through their column
# detection, and by FuzzJINREvents), and its SPD simulation output (tab-separated, with and without
# the evt column that pandas 3 drops).
bmn = ("event_id,x,y,z,detector,station,track,px,py,pz,vx,vy,vz\n"
       "6,1.5,-0.25,12.0,0,0,4,0.1,0.2,1.5,0.0,0.0,0.0\n6,2.5,-0.25,15.5,0,1,4,0.1,0.2,1.5,0.0,0.0,0.0\n"
       "6,3.5,-0.25,39.75,1,0,4,0.1,0.2,1.5,0,0,0\n6,-7.125,8.0,39.75,1,0,-1,0,0,0,0,0,0\n")
for harness in ["FuzzHits", "FuzzTruth", "FuzzJINREvents"]:
    put(harness, "bmn-event.csv", bmn)
spd = ("0\t-269.44\t-15.04\t130.84\t1\t0\t-322.1\t69.6\t-33.4\t12.9\t14.5\t158.2\n"
       "0\t-286.8\t-10.5\t129.1\t2\t0\t-321.2\t73.5\t-33.4\t12.9\t14.5\t158.2\n"
       "0\t5\t287\t1000\t1\t-1\t0\t0\t0\t0\t0\t0\n"
       "1\t1\t270\t3\t1\t0\t4\t5\t6\t-1\t2\t-30\n")
put("FuzzJINREvents", "spdsim.tsv", spd)
put("FuzzJINREvents", "spdsim-pandas3.tsv", "\n".join(line.split("\t", 1)[1] for line in spd.strip().split("\n")) + "\n")
put("FuzzSubmission", "submission.csv", "event_id,hit_id,track_id\n1,1,1\n1,2,1\n1,3,0\n1,4,2\n1,5,2\n1,6,0\n")
put("FuzzSubmission", "submission-reordered.csv", "hit_id,track_id\n6,0\n5,2\n4,2\n3,0\n2,1\n1,1\n")


# --- Hopfield pattern files ----------------------------------------------------------------------

put("FuzzPatternCSV", "bipolar.csv", "1,-1,1,-1\n-1,-1,1,1\n1,1,1,-1\n")
put("FuzzPatternCSV", "binary.csv", "1,0,1,0\n0,0,1,1\n")
put("FuzzPatternCSV", "spaces-crlf.csv", " 1, -1,+1\r\n-1 ,1, 1\r\n")

with open(os.path.join(DATA, "patterns", "letters.txt")) as f:
    letters = f.read().split("\n\n")
two_letters = "\n\n".join(letters[:2]).rstrip("\n") + "\n"
grid = "#.#\n.#.\n#.#\n\n...\n###\n...\n"
put("FuzzPatternGrid", "letters-2.txt", two_letters)
put("FuzzPatternGrid", "grid-3x3.txt", grid)
put("FuzzPatternGrid", "plus-minus.txt", "+-+\n-+-\n\nX_1\n0X_\n")
put("FuzzPatternGrid", "pbm-magic.txt", "P1\n3 2\n1 0 1\n0 1 0\n")
# Issue #13: grid files with CRLF line ends and with a UTF-8 byte-order mark.
put("FuzzPatternGrid", "finding-crlf.txt", grid.replace("\n", "\r\n"))
put("FuzzPatternGrid", "finding-bom.txt", "\ufeff" + grid)

put("FuzzPatternPBM", "p1-3x2.pbm", "P1\n# two rows\n3 2\n1 0 1\n0 1 0\n")
put("FuzzPatternPBM", "p1-two-images.pbm", "P1 3 2 101 010\nP1 3 2 111 000\n")
put("FuzzPatternPBM", "p4-10x2.pbm", b"P4\n10 2\n" + bytes([0b10101010, 0b11000000, 0b01010101, 0b00000000]))
put("FuzzPatternPBM", "p4-two-images.pbm", b"P4 3 2\n" + bytes([0xA0, 0x40]) + b"P4 3 2\n" + bytes([0xE0, 0x00]))
# Issue #13: sizes whose product overflows, and a 100,000 × 100,000 image in 19 bytes.
put("FuzzPatternPBM", "finding-p1-3037000500-squared.pbm", "P1\n3037000500 3037000500\n1")
put("FuzzPatternPBM", "finding-p4-3037000500-squared.pbm", b"P4\n3037000500 3037000500\n\x80")
put("FuzzPatternPBM", "finding-p1-100000-squared.pbm", "P1\n100000 100000\n1")


# --- Model files (members as text, see ArchiveInput.swift) ----------------------------------------

def members(entries):
    parts = []
    for name, value in entries:
        body = value.encode() if isinstance(value, str) else npy_bytes(value)
        assert b"\n--- " not in body, name
        parts.append(b"--- " + name.encode() + b"\n" + body)
    return b"\n".join(parts)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32) * 0.1


patterns = np.where(rng.random((3, 12)) > 0.5, 1, -1).astype(np.float32)
hopfield = lambda rule: json.dumps({"format": "energymodels.hopfield", "neurons": 12, "patterns": 3,
                                    "rule": rule, "shape": [3, 4], "version": 1}, separators=(",", ":"))
weights = (patterns.T @ patterns / 12).astype(np.float32)
np.fill_diagonal(weights, 0)
put("FuzzHopfieldModel", "hebb.txt", members([("metadata", hopfield("hebb")), ("weights", weights),
                                               ("patterns", patterns), ("thresholds", np.zeros(12, np.float32))]))
put("FuzzHopfieldModel", "dense.txt", members([("metadata", hopfield("dense-poly3")), ("patterns", patterns),
                                                ("thresholds", np.zeros(12, np.float32))]))
put("FuzzHopfieldModel", "projection.txt", members([
    ("metadata", json.dumps({"format": "energymodels.hopfield", "neurons": 12, "patterns": 3, "rank": 3,
                             "rule": "pseudoinverse", "version": 1}, separators=(",", ":"))),
    ("weights", weights), ("patterns", patterns), ("thresholds", np.zeros(12, np.float32))]))

# Found while fuzzing (a targeted variant of the seed): a pattern shape whose product overflows.
put("FuzzHopfieldModel", "finding-shape-2^32x2^32.txt", members([
    ("metadata", hopfield("hebb").replace('"shape":[3,4]', '"shape":[4294967296,4294967296]')), ("weights", weights),
    ("patterns", patterns), ("thresholds", np.zeros(12, np.float32))]))

rbm_metadata = ('{"epochs":1,"format":"energymodels.rbm","hidden":3,"training":{"batchSize":10,"decay":"linear",'
                '"epochs":1,"finalMomentum":0.5,"initialMomentum":0.5,"initialWeightScale":0.01,"learningRate":0.05,'
                '"momentumRampEpochs":5,"sampling":{"persistent":{"chains":10,"steps":1}},"seed":1,"sparsityCost":0,'
                '"weightDecay":0.0002},"version":1,"visible":6,"visible_units":"bernoulli"}')
rbm = [("W", f32(6, 3)), ("visible_bias", f32(6)), ("hidden_bias", f32(3))]
put("FuzzRBMModel", "rbm.txt", members([("metadata", rbm_metadata)] + rbm))
put("FuzzRBMModel", "rbm-gaussian.txt", members([("metadata", rbm_metadata.replace('"bernoulli"', '"gaussian"'))] + rbm))
put("FuzzRBMModel", "rbm-numpy-only.txt", members(rbm))

fine_tuning = ('"fineTuning":{"averaging":0.999,"batchSize":5,"decay":"linear","epochs":1,"hiddenDropout":0.5,'
               '"inputDropout":0.2,"learningRate":0.5,"momentum":0.9,"optimizer":"sgd","seed":1,"weightDecay":0}')
rbm_training = ('{"batchSize":100,"decay":"none","epochs":1,"finalMomentum":0.9,"initialMomentum":0.5,'
                '"initialWeightScale":0.01,"learningRate":0.1,"momentumRampEpochs":5,'
                '"sampling":{"contrastiveDivergence":{"steps":1}},"seed":1,"sparsityCost":0,"weightDecay":0.0002}')
dbn_pretrained = ('{"classes":10,"epochs":1,' + fine_tuning + ',"format":"energymodels.dbn","labelUnits":10,'
                  '"pretrained":true,"pretraining":{"generativeTop":true,"layers":[4,3],"training":['
                  + rbm_training + ',' + rbm_training + '],"visibleUnits":"bernoulli"},"sizes":[6,4,3,10],'
                  '"validationError":0.8,"version":1}')
put("FuzzDBNModel", "dbn-pretrained.txt", members([
    ("metadata", dbn_pretrained),
    ("rbm0_W", f32(6, 4)), ("rbm0_visible_bias", f32(6)), ("rbm0_hidden_bias", f32(4)),
    ("rbm1_W", f32(14, 3)), ("rbm1_visible_bias", f32(14)), ("rbm1_hidden_bias", f32(3)),
    ("layer0_W", f32(6, 4)), ("layer0_b", f32(4)), ("layer1_W", f32(4, 3)), ("layer1_b", f32(3)),
    ("layer2_W", f32(3, 10)), ("layer2_b", f32(10))]))
# Found while fuzzing (a targeted variant of the seed): label units that overflow the top layer's size.
put("FuzzDBNModel", "finding-label-units-2^63-1.txt",
    open(os.path.join(CORPUS, "FuzzDBNModel", "dbn-pretrained.txt"), "rb").read()
    .replace(b'"labelUnits":10', b'"labelUnits":9223372036854775807'))
put("FuzzDBNModel", "dbn-plain.txt", members([
    ("metadata", '{"classes":10,"epochs":1,' + fine_tuning + ',"format":"energymodels.dbn","labelUnits":0,'
                 '"pretrained":false,"sizes":[6,4,10],"validationError":1,"version":1}'),
    ("layer0_W", f32(6, 4)), ("layer0_b", f32(4)), ("layer1_W", f32(4, 10)), ("layer1_b", f32(10))]))

total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(CORPUS) for f in fs)
print(f"make-corpus: {sum(len(fs) for _, _, fs in os.walk(CORPUS))} files, {total} bytes in {CORPUS}")

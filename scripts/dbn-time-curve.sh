#!/usr/bin/env bash
# Test accuracy of the default DBN against wall-clock time, up to about 2 hours (docs/dbn.md,
# "What more time buys"). Takes about 2 h 5 min on the 2-core machine; run it on an idle machine.
#
# One run of the defaults with a longer schedule (--finetune-epochs, 1,650 by default: at 4.2 s an
# epoch the linear decay then ends near 2 hours). While it trains, its fine-tuning checkpoint is copied every minute
# for the first 30 minutes and every 5 minutes after; each copy is named by the seconds since the
# command started. Afterwards every copy's kept network (the weight average, which is what the run
# saves at the end) is evaluated on the test set by `ebm dbn eval --kept`, and the saved model by
# `ebm dbn eval`, each at its file's mtime; the run itself reads the test set only at its end.
# The points are therefore the accuracy at time t of a 2-hour schedule; runs whose whole schedule
# is shorter (the defaults' 140 epochs) end higher than this curve at their time, and the plot
# takes them as separate points (--point).
#
#   bash scripts/dbn-time-curve.sh            # EPOCHS=1650 SEED=1 MNIST=Data/mnist OUT=out/bench/dbn-curve
#   python3 scripts/dbn-time-curve-plot.py out/bench/dbn-curve/results.csv --svg docs/img/dbn-time-curve.svg \
#       --point "defaults, 140 epochs, seed 1:MINUTES:ACCURACY" ...
set -euo pipefail
cd "$(dirname "$0")/.."
EBM=${EBM:-.build/release/ebm}
OUT=${OUT:-out/bench/dbn-curve}
EPOCHS=${EPOCHS:-1650}
SEED=${SEED:-1}
MNIST=${MNIST:-Data/mnist}
mkdir -p "$OUT/snapshots"
rm -f "$OUT"/dbn.checkpoint.npz "$OUT"/dbn.pretrain.npz "$OUT"/snapshots/*.npz

start=$(date +%s.%N)
/usr/bin/time -f "whole run took %e s" "$EBM" dbn train --data "$MNIST/train-images-idx3-ubyte.gz" --labels "$MNIST/train-labels-idx1-ubyte.gz" \
    --test "$MNIST/t10k-images-idx3-ubyte.gz" --test-labels "$MNIST/t10k-labels-idx1-ubyte.gz" \
    --finetune-epochs "$EPOCHS" --seed "$SEED" --out "$OUT/dbn.npz" > "$OUT/train.log" 2> "$OUT/progress.log" &
pid=$!
last=-1000000
seen=0
while kill -0 "$pid" 2> /dev/null; do
    sleep 2
    [ -f "$OUT/dbn.checkpoint.npz" ] || continue
    stamp=$(date -r "$OUT/dbn.checkpoint.npz" +%s.%N)
    [ "$stamp" != "$seen" ] || continue
    seen=$stamp
    elapsed=$(awk -v s="$stamp" -v t="$start" 'BEGIN { printf "%.1f", s - t }')
    if awk -v e="$elapsed" -v l="$last" 'BEGIN { exit !(e - l >= (e < 1800 ? 60 : 300)) }'; then
        # The checkpoint is replaced atomically (rename), so a copy is always a whole file; the time
        # is the copy's own (cp -p), in case a newer checkpoint replaced the one stamped above.
        cp -p "$OUT/dbn.checkpoint.npz" "$OUT/snapshots/copy.tmp"
        elapsed=$(awk -v s="$(date -r "$OUT/snapshots/copy.tmp" +%s.%N)" -v t="$start" 'BEGIN { printf "%.1f", s - t }')
        mv "$OUT/snapshots/copy.tmp" "$OUT/snapshots/$(printf '%08.1f' "$elapsed").npz"
        last=$elapsed
    fi
done
wait "$pid"
shopt -s nullglob

# Each copy's kept network (with no validation split, the weight average after its last epoch) is
# scored by `ebm dbn eval --kept`; the finished run's model file is the last row, timed, like the
# copies, by its own mtime. Prints "ACCURACY,EPOCHS" from eval's first line.
score() {
    "$EBM" dbn eval "$@" --data "$MNIST/t10k-images-idx3-ubyte.gz" --labels "$MNIST/t10k-labels-idx1-ubyte.gz" |
        sed -n '1s/^accuracy \([0-9.]*\) .*; fine-tuned for \([0-9]*\) epochs$/\1,\2/p'
}
row() {  # FILE ACCURACY,EPOCHS
    [[ $2 == [0-9]*,[0-9]* ]] || { echo "$1: expected ebm dbn eval's accuracy and epochs, got '$2'" >&2; exit 1; }
    elapsed=$(awk -v s="$(date -r "$1" +%s.%N)" -v t="$start" 'BEGIN { printf "%.1f", s - t }')
    echo "$elapsed,${2#*,},${2%,*}" >> "$OUT/results.csv"
}
echo "elapsed_s,epoch,test_accuracy" > "$OUT/results.csv"
for snap in "$OUT"/snapshots/*.npz; do
    row "$snap" "$(score --kept --model "$snap")"
    rm "$snap"  # 40 MB each; results.csv keeps what was read from it
done
row "$OUT/dbn.npz" "$(score --model "$OUT/dbn.npz")"
cat "$OUT/results.csv"

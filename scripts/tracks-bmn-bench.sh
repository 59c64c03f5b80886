#!/usr/bin/env bash
# BM@N (issue #16): the BM@N-like preset on generated events with strip-crossing ghosts, and JINR's
# simulated BM@N event 6 with the peer beside it, in one run:
#   scripts/tracks-bmn-bench.sh
# 1. For each track count in TRACKS, EVENTS events of `ebm tracks generate --detector bmn --tracks N
#    --noise 0.1` (seed SEED; the generator's ghosts are every crossing of two strip views on a
#    station), found with `ebm tracks find --detector bmn` (FIND_OPTIONS) and scored with
#    `ebm tracks score`; the mean TrackML score and the mean time per event. The track counts in
#    PLAIN_TRACKS are also generated with --no-ghosts (uniform noise only).
# 2. JINR's event 6 (EVENT6, data/bman/event6.csv of fizmat/hopfield-tracking, read as it is by
#    ebm's BM@N reader): ebm with the same options, and the peer (scripts/tracks-peer-bmn.py), both
#    scored by `ebm tracks score --truth EVENT6` (weights on particles with >= 4 hits). Event 6 takes
#    no part in choosing the preset's options. The peer is skipped when PEER or PEER_PYTHON is missing.
# Prints a Markdown table (also OUT/table.md). Environment: EBM, OUT, TRACKS, EVENTS, SEED,
# FIND_OPTIONS, PEER, PEER_PYTHON, EVENT6.
set -euo pipefail
cd "$(dirname "$0")/.."
EBM=${EBM:-.build/release/ebm}
OUT=${OUT:-out/bench/tracks-bmn}
TRACKS=${TRACKS:-"20 50 100"}
PLAIN_TRACKS=${PLAIN_TRACKS:-"100"}
EVENTS=${EVENTS:-10}
SEED=${SEED:-1000}
FIND_OPTIONS=${FIND_OPTIONS:---detector bmn}
PEER=${PEER:-/work/peer/hopfield-tracking}
PEER_PYTHON=${PEER_PYTHON:-/work/peer/venv/bin/python}
EVENT6=${EVENT6:-$PEER/data/bman/event6.csv}

rm -rf "$OUT"; mkdir -p "$OUT"
score() { "$EBM" tracks score --truth "$1" --submission "$2" | awk '{gsub(";", "", $3); print $3}'; }
{
echo "| Events | Hits per event (ghosts and noise) | ebm score | ebm s/event | peer score | peer s/event |"
echo "|---|---|---|---|---|---|"
for entry in $TRACKS $(for n in $PLAIN_TRACKS; do echo "$n:plain"; done); do
    n=${entry%:plain}
    ghosts=--ghosts; label="with ghosts"
    if [ "$entry" != "$n" ]; then ghosts=--no-ghosts; label="no ghosts"; fi
    dir="$OUT/gen${entry/:/-}"
    mkdir -p "$dir"
    "$EBM" tracks generate --detector bmn --tracks "$n" --noise 0.1 $ghosts --events "$EVENTS" --seed "$SEED" --out "$dir/event" > "$dir.log"
    hits=$(awk '{h += $2; z += $(NF - 2)} END {printf "%.0f (%.0f)", h / NR, z / NR}' "$dir.log")
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$EBM" tracks find $FIND_OPTIONS --events "$dir" --output-dir "$dir/sub" --jobs 1 --quiet > "$dir/find.log"
    end=$(date +%s.%N)
    total=0
    for t in "$dir"/event*-truth.csv; do
        s=$(score "$t" "$dir/sub/$(basename "${t%-truth.csv}")-submission.csv")
        total=$(echo "$total + $s" | bc -l)
    done
    printf "| %d × BM@N-like, %d tracks, %s | %s | %.3f | %.3f | — | — |\n" "$EVENTS" "$n" "$label" "$hits" \
        "$(echo "$total / $EVENTS" | bc -l)" "$(echo "($end - $start) / $EVENTS" | bc -l)"
done
if [ -f "$EVENT6" ]; then
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$EBM" tracks find $FIND_OPTIONS --hits "$EVENT6" --output "$OUT/event6-ebm.csv" > "$OUT/event6-ebm.log"
    end=$(date +%s.%N)
    ours=$(score "$EVENT6" "$OUT/event6-ebm.csv")
    ours_s=$(echo "$end - $start" | bc -l)
    peer="not installed"; peer_s="—"
    if [ -d "$PEER" ] && [ -x "$PEER_PYTHON" ]; then
        start=$(date +%s.%N)
        "$PEER_PYTHON" scripts/tracks-peer-bmn.py --peer "$PEER" --hits "$EVENT6" --output "$OUT/event6-peer.csv" --event-id 6 > "$OUT/event6-peer.log"
        end=$(date +%s.%N)
        peer=$(score "$EVENT6" "$OUT/event6-peer.csv")
        peer_s=$(printf "%.2f" "$(echo "$end - $start" | bc -l)")
    fi
    printf "| JINR BM@N event 6 | %d | %s | %.3f | %s | %s |\n" "$(($(wc -l < "$EVENT6") - 1))" "$ours" "$ours_s" "$peer" "$peer_s"
fi
} | tee "$OUT/table.md"

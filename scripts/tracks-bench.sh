#!/usr/bin/env bash
# Track-finding quality and speed over 10 generated events per configuration (used by scripts/bench.sh).
#   scripts/tracks-bench.sh NAME DETECTOR TRACKS [extra generate options...]
# Generates the events (seed 1), reconstructs them on one core (taskset -c 0, --jobs 1), scores
# each against its truth, and prints the mean TrackML score and the mean end-to-end time per event.
set -euo pipefail
EBM=${EBM:-.build/release/ebm}
NAME=$1; DETECTOR=$2; TRACKS=$3; shift 3
DIR=out/bench/tracks/$NAME
rm -rf "$DIR"; mkdir -p "$DIR"
"$EBM" tracks generate --detector "$DETECTOR" --tracks "$TRACKS" --noise 0.1 --events 10 --seed 1 --out "$DIR/events/event" "$@" > /dev/null
taskset -c 0 "$EBM" tracks find --events "$DIR/events" --output-dir "$DIR/sub" --jobs 1 ${FIND_OPTIONS:-} > "$DIR/find.txt"
for t in "$DIR"/events/event*-truth.csv; do
    n=$(basename "$t" -truth.csv)
    "$EBM" tracks score --truth "$t" --submission "$DIR/sub/$n-submission.csv"
done > "$DIR/score.txt"
awk '{gsub(";","",$3); gsub(";","",$5); gsub(",","",$12); s+=$3; e+=$5; f+=$12} END {printf "%s: mean TrackML score %.4f, efficiency %.4f, fake rate %.4f over %d events\n", "'"$NAME"'", s/NR, e/NR, f/NR, NR}' "$DIR/score.txt"
grep -o "neurons with a chain partner" "$DIR/find.txt" > /dev/null
awk -F'total ' '/total/ {split($2,a," "); t+=a[1]; n++} END {printf "  end to end (read, segments, network, extraction, write) on one core: mean %.3f s per event\n", t/n}' "$DIR/find.txt"
awk '/neurons/ {for (i=1;i<=NF;i++) {if ($(i+1)=="segments") s+=$i; if ($(i+1)=="neurons") n+=$i}; k++} END {printf "  mean %.0f segments pass the cuts, %.0f neurons with a chain partner\n", s/k, n/k}' "$DIR/find.txt"

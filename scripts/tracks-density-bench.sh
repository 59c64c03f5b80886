#!/usr/bin/env bash
# Track finding at collider density (issue #12), used by scripts/bench.sh:
#   scripts/tracks-density-bench.sh
# For each pile-up μ in MUS (one event each; EVENTS_200 events at μ = 200) it generates a full-detector
# event (`--detector full --pileup μ --noise 0.1 --focus-pt 1`, fixed seeds), runs `ebm tracks find` on
# it end to end (reading hits to writing the submission) under /usr/bin/time -v (wall time, peak RSS),
# and scores it twice with `ebm tracks score`: with the event's truth (weights on particles with
# p_T >= 1 GeV and >= 4 hits) and with the truth of the same event generated without --focus-pt
# (weights on every particle with >= 4 hits; same seed, so the same hits, checked with cmp).
# The peer, fizmat/hopfield-tracking (scripts/tracks-peer-hopfield.py), runs on the events of PEER_MUS
# in the same run, under `timeout PEER_TIMEOUT` and `ulimit -v PEER_MEMORY_KB`; a run that ends by
# either is recorded as "timed out" or "out of memory". PEER_EXTRA_MUS are small events made only so
# that the peer has events it can finish; our finder runs on them too.
# Prints a Markdown table (also OUT/table.md), writes OUT/results.csv and the plot OUT/tracks-density.svg.
# Environment: EBM, OUT, MUS, EVENTS_200, FIND_OPTIONS (options for `ebm tracks find`; default
# `--detector trackml-full`, the preset with the layer map and the dense-event options), PEER (checkout of
# fizmat/hopfield-tracking, branch temp), PEER_PYTHON, PEER_MUS, PEER_EXTRA_MUS, PEER_MODE, PEER_TIMEOUT,
# PEER_MEMORY_KB. The peer is skipped (recorded as "not installed") when PEER or PEER_PYTHON is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
EBM=${EBM:-.build/release/ebm}
OUT=${OUT:-out/bench/tracks-density}
MUS=${MUS:-"20 50 100 200 300"}
EVENTS_200=${EVENTS_200:-5}
FIND_OPTIONS=${FIND_OPTIONS:---detector trackml-full}
PEER=${PEER:-/work/peer/hopfield-tracking}
PEER_PYTHON=${PEER_PYTHON:-/work/peer/venv/bin/python}
PEER_MUS=${PEER_MUS:-"2 5 20 50"}
PEER_EXTRA_MUS=${PEER_EXTRA_MUS:-"2 5"}
PEER_MODE=${PEER_MODE:-volume}
PEER_TIMEOUT=${PEER_TIMEOUT:-600}
PEER_MEMORY_KB=${PEER_MEMORY_KB:-16000000}

rm -rf "$OUT"; mkdir -p "$OUT/events" "$OUT/all-weights" "$OUT/sub" "$OUT/log"
echo "mu,event,particles,hits,ours_score_pt1,ours_score_all,ours_wall_s,ours_rss_mb,peer_score_pt1,peer_score_all,peer_wall_s,peer_rss_mb,peer_status" > "$OUT/results.csv"

# /usr/bin/time -v's wall time (h:mm:ss or m:ss) in seconds, and peak RSS in MB.
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s}' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
score() { "$EBM" tracks score --truth "$1" --submission "$2" | awk '{gsub(";", "", $3); print $3}'; }

in_list() { local x=$1; shift; for y in $*; do [ "$x" = "$y" ] && return 0; done; return 1; }

ALL_MUS=$(echo $PEER_EXTRA_MUS $MUS | tr ' ' '\n' | sort -n | uniq | tr '\n' ' ')
for MU in $ALL_MUS; do
    N=1; [ "$MU" = 200 ] && N=$EVENTS_200
    for K in $(seq 1 "$N"); do
        SEED=$((1000 * MU + K)); NAME=mu$MU-$K
        EV=$OUT/events/$NAME
        "$EBM" tracks generate --detector full --pileup "$MU" --noise 0.1 --focus-pt 1 --seed "$SEED" --out "$EV" > /dev/null
        "$EBM" tracks generate --detector full --pileup "$MU" --noise 0.1 --seed "$SEED" --out "$OUT/all-weights/$NAME" > /dev/null
        cmp -s "$EV-hits.csv" "$OUT/all-weights/$NAME-hits.csv" || { echo "the two generations of $NAME differ" >&2; exit 1; }
        PARTICLES=$(($(wc -l < "$EV-particles.csv") - 1)); HITS=$(($(wc -l < "$EV-hits.csv") - 1))
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$OUT/log/$NAME-time.txt" "$EBM" tracks find --hits "$EV-hits.csv" --output "$OUT/sub/$NAME.csv" $FIND_OPTIONS > "$OUT/log/$NAME-find.txt"
        OURS="$(score "$EV-truth.csv" "$OUT/sub/$NAME.csv"),$(score "$OUT/all-weights/$NAME-truth.csv" "$OUT/sub/$NAME.csv"),$(wall "$OUT/log/$NAME-time.txt"),$(rss "$OUT/log/$NAME-time.txt")"
        PEER_RESULT=",,,,not run"
        if [ "$K" = 1 ] && in_list "$MU" $PEER_MUS; then
            if [ ! -d "$PEER" ] || [ ! -x "$PEER_PYTHON" ]; then
                PEER_RESULT=",,,,not installed"
            else
                set +e
                ( ulimit -v "$PEER_MEMORY_KB"; timeout "$PEER_TIMEOUT" /usr/bin/time -v -o "$OUT/log/$NAME-peer-time.txt" \
                    "$PEER_PYTHON" scripts/tracks-peer-hopfield.py --peer "$PEER" --mode "$PEER_MODE" --hits "$EV-hits.csv" \
                    --output "$OUT/sub/$NAME-peer.csv" ) > "$OUT/log/$NAME-peer.txt" 2>&1
                STATUS=$?
                set -e
                case $STATUS in
                    0) PEER_RESULT="$(score "$EV-truth.csv" "$OUT/sub/$NAME-peer.csv"),$(score "$OUT/all-weights/$NAME-truth.csv" "$OUT/sub/$NAME-peer.csv"),$(wall "$OUT/log/$NAME-peer-time.txt"),$(rss "$OUT/log/$NAME-peer-time.txt"),ok" ;;
                    124) PEER_RESULT=",,>$PEER_TIMEOUT,,timed out" ;;
                    3) PEER_RESULT=",,$(wall "$OUT/log/$NAME-peer-time.txt"),,out of memory" ;;
                    *) if grep -qiE "MemoryError|Unable to allocate|Cannot allocate|std::bad_alloc" "$OUT/log/$NAME-peer.txt"; then
                           PEER_RESULT=",,,,out of memory"
                       else
                           PEER_RESULT=",,,,failed (exit $STATUS; see $OUT/log/$NAME-peer.txt)"
                       fi ;;
                esac
            fi
        fi
        echo "$MU,$K,$PARTICLES,$HITS,$OURS,$PEER_RESULT" >> "$OUT/results.csv"
    done
done

python3 scripts/tracks-density-plot.py "$OUT/results.csv" --table "$OUT/table.md" --svg "$OUT/tracks-density.svg"
cat "$OUT/table.md"

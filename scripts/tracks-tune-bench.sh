#!/usr/bin/env bash
# ebm tracks tune on the presets: for each, training events and held-out events of other seeds are
# generated, the preset is tuned on the training events, and the held-out score of the preset and of
# the tuned configuration is printed (issue #16: tuning must improve the held-out score on every preset).
#   scripts/tracks-tune-bench.sh [PRESET...]     (default: excharm-planar trackml-barrel trackml-full bmn spd-like)
# BUDGET (seconds per preset, default 300) and JOBS (default 2) may be set in the environment; spd-like
# needs the peer's generator (PEER, default /work/peer/hopfield-tracking; PYTHON, default
# /work/peer/venv/bin/python) and is skipped without it.
# Outputs in out/bench/tune/PRESET: the events, tune.txt (the tune command's output) and tuned.json.
set -euo pipefail
EBM=${EBM:-.build/release/ebm}
BUDGET=${BUDGET:-300}
JOBS=${JOBS:-2}
PRESETS=${*:-excharm-planar trackml-barrel trackml-full bmn spd-like}
PEER=${PEER:-/work/peer/hopfield-tracking}
PYTHON=${PYTHON:-/work/peer/venv/bin/python}
ROOT=out/bench/tune

# The TrackML-like barrel alone, as a detector description (the layers of DetectorDescription.trackMLBarrel).
barrel_json() {
    local layers="" sep="" r
    for spec in 8:2:32 8:4:72 8:6:116 8:8:172 13:2:260 13:4:360 13:6:500 13:8:660 17:2:820 17:4:1020; do
        IFS=: read -r vol lay r <<< "$spec"
        if [ "$vol" = 8 ]; then z=455; s=0.05; else z=1030; s=0.5; fi
        if [ "$vol" = 8 ]; then srphi=0.05; else srphi=0.1; fi
        layers+="$sep{\"id\": {\"volume\": $vol, \"layer\": $lay}, \"shape\": \"cylinder\", \"position\": $r, \"lower\": -$z, \"upper\": $z, "
        layers+="\"sigmaRPhi\": $srphi, \"sigmaAlong\": $s, \"radiationLength\": 0.02}"
        sep=", "
    done
    echo "{\"format\": \"energymodels.detector\", \"name\": \"trackml-barrel\", \"magneticField\": 2, \"layers\": [$layers]}"
}

# generate KIND DIR SEED... : one event per seed into DIR (eventSEED-hits.csv …).
generate() {
    local kind=$1 dir=$2; shift 2
    mkdir -p "$dir"
    for seed in "$@"; do
        local out; out=$(printf "%s/event%09d" "$dir" "$seed")
        case $kind in
            planar) "$EBM" tracks generate --detector planar --tracks 200 --noise 0.1 --seed "$seed" --out "$out" > /dev/null ;;
            barrel) "$EBM" tracks generate --detector full --detector-file "$ROOT/barrel.json" --pileup 20 --noise 0.1 --focus-pt 1 --seed "$seed" --out "$out" > /dev/null ;;
            full) "$EBM" tracks generate --detector full --pileup 20 --noise 0.1 --focus-pt 1 --seed "$seed" --out "$out" > /dev/null ;;
            # BM@N-like, with strip-crossing ghosts: 40 tracks, about the particle hits per station of JINR's event 6.
            bmn) "$EBM" tracks generate --detector bmn --tracks 40 --noise 0.1 --seed "$seed" --out "$out" > /dev/null ;;
            # JINR's spdsim.py (the peer's generator): 10 events of 10 tracks and 100 noise hits per seed.
            spdsim)
                "$PYTHON" scripts/benchmarks/spdsim-peer.py generate --peer "$PEER" --file "$dir/s$seed.tsv" --events 10 --noise 100 --seed "$seed" > /dev/null
                "$EBM" tracks import --spdsim "$dir/s$seed.tsv" --out "$dir/event" > /dev/null ;;
        esac
    done
}

mkdir -p "$ROOT"
barrel_json > "$ROOT/barrel.json"
for preset in $PRESETS; do
    dir=$ROOT/$preset
    rm -rf "$dir"; mkdir -p "$dir"
    tune=""
    case $preset in
        excharm-planar) kind=planar; train="101 102 103 104"; held="1 2 3 4 5 6 7 8 9 10" ;;
        trackml-barrel) kind=barrel; train="101 102 103 104"; held="1 2 3 4 5" ;;
        trackml-full) kind=full; train="101 102 103"; held="1 2 3 4 5" ;;
        bmn) kind=bmn; train="101 102 103 104"; held="1 2 3 4 5 6 7 8 9 10"
             tune="--tune cuts.maxSlope,cuts.targetRadius,energy.maxAngle,energy.angleExponent,energy.alpha,energy.rzResolution,extraction.threshold --bounds energy.angleExponent=10:30000" ;;
        spd-like)
            if [ ! -d "$PEER" ] || [ ! -x "$PYTHON" ]; then echo "== spd-like skipped: no peer generator ($PEER, $PYTHON)"; continue; fi
            kind=spdsim; train="3"; held="4" ;;
        *) echo "unknown preset $preset" >&2; exit 2 ;;
    esac
    generate $kind "$dir/train" $train
    generate $kind "$dir/held" $held
    # shellcheck disable=SC2086
    "$EBM" tracks tune --detector "$preset" $tune --events "$dir/train" --held-out "$dir/held" --budget "$BUDGET" --jobs "$JOBS" \
        --seed 1 --output "$dir/tuned.json" --quiet > "$dir/tune.txt"
    echo "== $preset ($kind events; training seeds $train; held-out seeds $held; budget $BUDGET s)"
    cat "$dir/tune.txt"
done

#!/usr/bin/env python3
"""Runs the peer, JINR's Python Hopfield track finder (github.com/fizmat/hopfield-tracking, branch
`temp`), on one of our TrackML hit files and writes a TrackML submission, for
scripts/tracks-density-bench.sh. Benchmark glue only: the peer is checked out outside the project
(--peer) and imported from there; none of its code is copied here.

The peer's pipeline, called as its own notebooks and optimize.py call it, is in
scripts/benchmarks/peer_pipeline.py (segments between consecutive layers, alpha * (cross + kink) -
gamma * curvature, bulk mean-field annealing, connected components above the threshold).
Layers follow the peer's own TrackML reading (datasets/trackml.py: layer = layer_id // 2). With
--mode volume (the default) each volume is processed as a separate event, as the peer's
`trackml_volume` dataset does; --mode whole takes the event at once, as its `trackml` dataset does.
Whole events need far more memory (every hit pair on consecutive layer numbers across all volumes):
on our events it ran out of 6 GB at μ = 2, where the volume mode took 0.4 GB; on a μ = 1 event it
scored 0.20 against the volume mode's 0.11 (weights on all particles with >= 4 hits).
The parameters are the peer's tuned `classic_new` configuration from report.ipynb, tuned on its SPD
simulation (a barrel in a solenoid, the closest of its detectors to ours, coordinates in units of
spdsim.LAYER_DIST = 35 mm); the peer ships no configuration tuned on TrackML.

Exit status: 0 written; 3 out of memory (MemoryError, e.g. under `ulimit -v`); 1 other errors.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / 'benchmarks'))
import peer_pipeline  # noqa: E402

CLASSIC_NEW = peer_pipeline.CLASSIC_NEW


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--peer', required=True, help='checkout of fizmat/hopfield-tracking (branch temp)')
    parser.add_argument('--hits', required=True)
    parser.add_argument('--output', required=True)
    parser.add_argument('--event-id', type=int, default=0)
    parser.add_argument('--mode', choices=['volume', 'whole'], default='volume')
    args = parser.parse_args()
    peer_pipeline.import_peer(args.peer)

    import pandas as pd
    from datasets import spdsim

    conf = CLASSIC_NEW
    start = time.perf_counter()
    hits = pd.read_csv(args.hits)
    hits['layer'] = hits['layer_id'] // 2
    groups = [g for _, g in hits.groupby('volume_id')] if args.mode == 'volume' else [hits]
    track_of_hit = {}
    next_track = 1
    segments_total = 0
    for group in groups:
        event = group.reset_index(drop=True)
        pos = event[['x', 'y', 'z']].to_numpy() / spdsim.LAYER_DIST
        segments, rows, tracks = peer_pipeline.find_tracks(event, pos, conf)
        segments_total += segments
        if len(tracks) == 0:
            continue
        hit_ids = event['hit_id'].to_numpy()
        for index, track in zip(rows, tracks):
            track_of_hit[int(hit_ids[index])] = next_track + int(track)
        next_track += int(tracks.max()) + 1
    with open(args.output, 'w') as out:
        out.write('event_id,hit_id,track_id\n')
        for hit_id in hits['hit_id'].to_numpy():
            out.write(f'{args.event_id},{int(hit_id)},{track_of_hit.get(int(hit_id), 0)}\n')
    print(f'{args.hits}: {len(hits)} hits, {segments_total} segments, {next_track - 1} tracks, '
          f'{time.perf_counter() - start:.2f} s (mode {args.mode})')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except MemoryError as error:
        print(f'out of memory: {error}', file=sys.stderr)
        sys.exit(3)

#!/usr/bin/env python3
"""Runs the peer, JINR's Python Hopfield track finder (github.com/fizmat/hopfield-tracking, branch
`temp`), on a BM@N event CSV (the format of its data/bman/event6.csv) and writes a TrackML
submission that `ebm tracks score --truth EVENT.csv` scores, for scripts/tracks-bmn-bench.sh.
Benchmark glue only: the peer is checked out outside the project (--peer) and imported from there;
none of its code is copied here.

The event is read as the peer's own loader reads it (datasets/bman.py: its SCHEMA, layer =
detector * 3 + station, coordinates divided by bman.LAYER_DIST = 20 as its optimize.py and
notebooks do), and the peer's pipeline runs as in scripts/tracks-peer-hopfield.py (layered segments,
alpha * (cross + kink) - gamma * curvature, bulk mean-field updates, connected components). The
peer ships no tuned BM@N configuration (its compare_update_act_bman notebook tunes one with SMAC
but stores none), so this uses its tuned `classic_new` configuration (report.ipynb), the one
scripts/tracks-peer-hopfield.py uses (scripts/benchmarks/peer_pipeline.py). Hit ids are the row numbers from 1, as ebm's BM@N reader
numbers them.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / 'benchmarks'))
import peer_pipeline  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--peer', required=True, help='checkout of fizmat/hopfield-tracking (branch temp)')
    parser.add_argument('--hits', required=True, help='a BM@N event CSV')
    parser.add_argument('--output', required=True)
    parser.add_argument('--event-id', type=int, default=0)
    args = parser.parse_args()
    peer_pipeline.import_peer(args.peer)
    conf = peer_pipeline.CLASSIC_NEW

    import numpy as np
    import pandas as pd
    from datasets import bman

    start = time.perf_counter()
    event = pd.read_csv(args.hits, dtype=bman.SCHEMA)
    event['layer'] = event.detector * 3 + event.station
    event = event.reset_index(drop=True)
    pos = event[['x', 'y', 'z']].to_numpy() / bman.LAYER_DIST
    segments, rows, tracks = peer_pipeline.find_tracks(event, pos, conf)
    track_of_hit = np.zeros(len(event), dtype=int)
    track_of_hit[rows] = tracks + 1
    tracks_found = len(np.unique(tracks))
    with open(args.output, 'w') as out:
        out.write('event_id,hit_id,track_id\n')
        for k in range(len(event)):
            out.write(f'{args.event_id},{k + 1},{track_of_hit[k]}\n')
    print(f'{args.hits}: {len(event)} hits, {segments} segments, {tracks_found} tracks, '
          f'{time.perf_counter() - start:.2f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())

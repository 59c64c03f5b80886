#!/usr/bin/env python3
"""JINR's SPD simulation events and the peer's own tracking of them, for scripts/tracks-spdsim-bench.sh.
Benchmark glue only: the peer (github.com/fizmat/hopfield-tracking, branch `temp`) is checked out
outside the project (--peer) and imported from there; none of its code is copied here.

  generate  writes --events events of datasets/spdsim.gen_spdsim (10 tracks each, --noise noise hits,
            --seed) as its main() writes them: to_csv(sep='\\t', index=False, header=False).
  run       reads the events of such a file as `ebm tracks import --spdsim` wrote them (eventNNN-hits.csv
            in --hits-dir: the same hits, ids and stations) and runs the peer on each with its own tuned
            configuration from report.ipynb (`best_100` for 100 noise hits, `best_1750` for 1750 =
            50 x 35), as its current pipeline (optimize.py, compare_update_act_spdsim.ipynb) runs it:
            coordinates in units of spdsim.LAYER_DIST, segments between consecutive stations
            (gen_seg_layered), E = alpha (crossing + kink) - gamma curvature, annealing with
            update_act_bulk, tracks = connected components of segments with act > threshold.
            Writes PREFIXnnnnnnnnn-submission.csv per event.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_pipeline  # noqa: E402

CONFIGS = {  # report.ipynb
    'classic_new': peer_pipeline.CLASSIC_NEW,
    'best_100': {
        'alpha': 2.313248669852765, 'bias': -0.5833976482357226, 'cooling_steps': 13,
        'cosine_min_allowed': -0.8348332423930371, 'cosine_min_rewarded': 0.9300711368775867,
        'cosine_power': 9.020788468234999, 'distance_op': 'sum', 'distance_power': 0.2992217942026829,
        'gamma': 4.059941352554715, 'initial_act': 0.304196720384346, 'learning_rate': 0.37628188952981495,
        'rest_steps': 46, 't_max': 34.1374817068502, 't_min': 1.0, 'threshold': 0.5},
    'best_1750': {
        'alpha': 19.09901923115346, 'bias': -1.0906811347093495, 'cooling_steps': 13,
        'cosine_min_allowed': -0.9298669981529613, 'cosine_min_rewarded': 0.36829022919032317,
        'cosine_power': 19.64344231963059, 'distance_op': 'sum', 'distance_power': 0.34337893261060864,
        'gamma': 13.284025964856202, 'initial_act': 0.20663350438473277, 'learning_rate': 0.6557311607364646,
        'rest_steps': 40, 't_max': 61.02067209436298, 't_min': 1.0, 'threshold': 0.5},
}
COLUMNS = ['evt', 'x', 'y', 'z', 'station', 'trk', 'px', 'py', 'pz', 'vtxx', 'vtxy', 'vtxz']


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('mode', choices=['generate', 'run'])
    parser.add_argument('--peer', required=True)
    parser.add_argument('--file', help='generate: the spdsim file to write')
    parser.add_argument('--hits-dir', help='run: the events written by ebm tracks import --spdsim')
    parser.add_argument('--events', type=int, default=10)
    parser.add_argument('--noise', type=int, default=100)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--config', choices=sorted(CONFIGS))
    parser.add_argument('--scale', type=float, default=None, help='coordinate unit, mm (default spdsim.LAYER_DIST)')
    parser.add_argument('--submissions', help='run: output prefix')
    args = parser.parse_args()
    peer_pipeline.import_peer(args.peer)
    import numpy as np
    import pandas as pd
    from datasets import spdsim

    if args.mode == 'generate':
        hits = spdsim.gen_spdsim(args.events, 10, 1., args.noise, args.seed)
        hits.to_csv(args.file, sep='\t', index=False, header=False)
        print(f'{args.file}: {args.events} events, {len(hits)} hits')
        return 0

    conf = CONFIGS[args.config]
    scale = args.scale or spdsim.LAYER_DIST
    import glob
    import os
    os.makedirs(os.path.dirname(args.submissions) or '.', exist_ok=True)
    for path in sorted(glob.glob(os.path.join(args.hits_dir, 'event*-hits.csv'))):
        evt = int(os.path.basename(path)[5:14])
        start = time.perf_counter()
        event = pd.read_csv(path).rename(columns={'layer_id': 'layer'})
        pos = event[['x', 'y', 'z']].to_numpy() / scale
        segments, rows, tracks = peer_pipeline.find_tracks(event, pos, conf)
        track_of_hit = np.zeros(len(event), dtype=int)
        track_of_hit[rows] = tracks + 1
        with open(f'{args.submissions}{int(evt):09d}-submission.csv', 'w') as out:
            out.write('event_id,hit_id,track_id\n')
            for hit_id, t in zip(event['hit_id'].to_numpy(), track_of_hit):
                out.write(f'{evt},{int(hit_id)},{int(t)}\n')
        print(f'event {evt}: {len(event)} hits, {segments} segments, {track_of_hit.max()} tracks, '
              f'{time.perf_counter() - start:.2f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())

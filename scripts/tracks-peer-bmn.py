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
scripts/tracks-peer-hopfield.py uses. Hit ids are the row numbers from 1, as ebm's BM@N reader
numbers them.
"""
import argparse
import importlib.util
import sys
import time
import types
from functools import partial
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--peer', required=True, help='checkout of fizmat/hopfield-tracking (branch temp)')
    parser.add_argument('--hits', required=True, help='a BM@N event CSV')
    parser.add_argument('--output', required=True)
    parser.add_argument('--event-id', type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, args.peer)
    trackml, score = types.ModuleType('trackml'), types.ModuleType('trackml.score')
    score._analyze_tracks = None
    trackml.score = score
    sys.modules.setdefault('trackml', trackml)
    sys.modules.setdefault('trackml.score', score)
    spec = importlib.util.spec_from_file_location('peer_glue', Path(__file__).with_name('tracks-peer-hopfield.py'))
    glue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(glue)
    conf = glue.CLASSIC_NEW

    import numpy as np
    import pandas as pd
    from datasets import bman
    from hopfield.energy.cross import cross_energy_matrix
    from hopfield.energy.curvature import curvature_energy_matrix, kink_energy_matrix, prep_curvature
    from hopfield.iterate import anneal, annealing_curve, update_act_bulk
    from metrics.tracks import reconstruct_tracks
    from segment.candidate import gen_seg_layered

    start = time.perf_counter()
    event = pd.read_csv(args.hits, dtype=bman.SCHEMA)
    event['layer'] = event.detector * 3 + event.station
    event = event.reset_index(drop=True)
    pos = event[['x', 'y', 'z']].to_numpy() / bman.LAYER_DIST
    seg = gen_seg_layered(event).astype(int)
    track_of_hit = np.zeros(len(event), dtype=int)
    tracks_found = 0
    if len(seg) > 0:
        pairs, cosines, r1, r2 = prep_curvature(pos, seg)
        curvature = curvature_energy_matrix(len(seg), pairs, cosines, r1, r2, cosine_power=conf['cosine_power'],
                                            cosine_threshold=conf['cosine_min_rewarded'],
                                            distance_power=conf['distance_power'],
                                            do_sum_distances=conf['distance_op'] == 'sum')
        kink = kink_energy_matrix(len(seg), pairs, cosines, conf['cosine_min_allowed'])
        energy = conf['alpha'] * (cross_energy_matrix(seg) + kink) - conf['gamma'] * curvature
        act = np.full(len(seg), conf['initial_act'])
        temperatures = annealing_curve(conf['t_min'], conf['t_max'], conf['cooling_steps'], conf['rest_steps'])
        for _ in anneal(energy, temperatures, act, partial(update_act_bulk, learning_rate=conf['learning_rate']),
                        bias=conf['bias']):
            pass
        tracks = reconstruct_tracks(seg, act > conf['threshold'])
        if len(tracks) > 0:
            for index, track in zip(tracks['hit_id'].to_numpy(), tracks['track_id'].to_numpy()):
                track_of_hit[int(index)] = int(track) + 1
            tracks_found = int(tracks['track_id'].nunique())
    with open(args.output, 'w') as out:
        out.write('event_id,hit_id,track_id\n')
        for k in range(len(event)):
            out.write(f'{args.event_id},{k + 1},{track_of_hit[k]}\n')
    print(f'{args.hits}: {len(event)} hits, {len(seg)} segments, {tracks_found} tracks, '
          f'{time.perf_counter() - start:.2f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())

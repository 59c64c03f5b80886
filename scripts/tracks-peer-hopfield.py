#!/usr/bin/env python3
"""Runs the peer, JINR's Python Hopfield track finder (github.com/fizmat/hopfield-tracking, branch
`temp`), on one of our TrackML hit files and writes a TrackML submission, for
scripts/tracks-density-bench.sh. Benchmark glue only: the peer is checked out outside the project
(--peer) and imported from there; none of its code is copied here.

The peer's pipeline, called as its own notebooks and optimize.py call it:
  segments   segment.candidate.gen_seg_layered (every hit pair on consecutive `layer` values)
  energy     alpha * (cross + kink) - gamma * curvature (hopfield.energy.*)
  dynamics   hopfield.iterate.anneal with update_act_bulk at the configuration's learning rate
  tracks     metrics.tracks.reconstruct_tracks (connected components of segments with act > threshold)
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
import types
from functools import partial

CLASSIC_NEW = {  # report.ipynb, `classic_new`
    'alpha': 80.76808284189507,
    'bias': -0.6077381995640749,
    'cooling_steps': 31,
    'cosine_min_allowed': -1.,
    'cosine_min_rewarded': 0.06572872924629858,
    'distance_op': 'sum',
    'distance_power': 1,
    'cosine_power': 45.76373199637885,
    'gamma': 956.8178117894967,
    'initial_act': 0.24560822086079115,
    'learning_rate': 0.7222814388130993,
    'rest_steps': 9,
    't_max': 378.00802529054414,
    't_min': 1.0,
    'threshold': 0.5,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--peer', required=True, help='checkout of fizmat/hopfield-tracking (branch temp)')
    parser.add_argument('--hits', required=True)
    parser.add_argument('--output', required=True)
    parser.add_argument('--event-id', type=int, default=0)
    parser.add_argument('--mode', choices=['volume', 'whole'], default='volume')
    args = parser.parse_args()
    sys.path.insert(0, args.peer)
    # metrics.tracks imports the TrackML library's scorer at module level (installed from GitHub, not
    # PyPI); we score with `ebm tracks score`, so a placeholder module stands in for it.
    trackml, score = types.ModuleType('trackml'), types.ModuleType('trackml.score')
    score._analyze_tracks = None
    trackml.score = score
    sys.modules.setdefault('trackml', trackml)
    sys.modules.setdefault('trackml.score', score)

    import numpy as np
    import pandas as pd
    from datasets import spdsim
    from hopfield.energy.cross import cross_energy_matrix
    from hopfield.energy.curvature import curvature_energy_matrix, kink_energy_matrix, prep_curvature
    from hopfield.iterate import anneal, annealing_curve, update_act_bulk
    from metrics.tracks import reconstruct_tracks
    from segment.candidate import gen_seg_layered

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
        seg = gen_seg_layered(event).astype(int)
        segments_total += len(seg)
        if len(seg) == 0:
            continue
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
        if len(tracks) == 0:
            continue
        hit_ids = event['hit_id'].to_numpy()
        for index, track in zip(tracks['hit_id'].to_numpy(), tracks['track_id'].to_numpy()):
            track_of_hit[int(hit_ids[index])] = next_track + int(track)
        next_track += int(tracks['track_id'].max()) + 1
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

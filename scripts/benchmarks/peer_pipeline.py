"""The peer's track-finding pipeline, called once for the benchmark glue scripts
(scripts/tracks-peer-hopfield.py, scripts/tracks-peer-bmn.py, scripts/benchmarks/spdsim-peer.py).
Benchmark glue only: the peer, JINR's Python Hopfield track finder (github.com/fizmat/hopfield-tracking,
branch `temp`), is checked out outside the project and imported from there; none of its code is
copied here.

The pipeline, as the peer's own notebooks and optimize.py call it:
  segments   segment.candidate.gen_seg_layered (every hit pair on consecutive `layer` values)
  energy     alpha * (cross + kink) - gamma * curvature (hopfield.energy.*)
  dynamics   hopfield.iterate.anneal with update_act_bulk at the configuration's learning rate
  tracks     metrics.tracks.reconstruct_tracks (connected components of segments with act > threshold)
"""
import sys
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


def import_peer(peer: str) -> None:
    """Puts the peer's checkout on the import path. metrics.tracks imports the TrackML library's
    scorer at module level (installed from GitHub, not PyPI); we score with `ebm tracks score`, so a
    placeholder module stands in for it."""
    sys.path.insert(0, peer)
    trackml, score = types.ModuleType('trackml'), types.ModuleType('trackml.score')
    score._analyze_tracks = None
    trackml.score = score
    sys.modules.setdefault('trackml', trackml)
    sys.modules.setdefault('trackml.score', score)


def find_tracks(event, pos, conf):
    """Runs the pipeline on one event (a DataFrame with a `layer` column, rows indexed from 0) with
    hit positions `pos` (rows of x, y, z in the peer's units) and configuration `conf`. Returns
    (number of segments, hit row indices, their track ids from 0); the two arrays are empty when
    no segment or no track is found."""
    import numpy as np
    from hopfield.energy.cross import cross_energy_matrix
    from hopfield.energy.curvature import curvature_energy_matrix, kink_energy_matrix, prep_curvature
    from hopfield.iterate import anneal, annealing_curve, update_act_bulk
    from metrics.tracks import reconstruct_tracks
    from segment.candidate import gen_seg_layered

    seg = gen_seg_layered(event).astype(int)
    empty = np.zeros(0, dtype=int)
    if len(seg) == 0:
        return 0, empty, empty
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
        return len(seg), empty, empty
    return len(seg), tracks['hit_id'].to_numpy().astype(int), tracks['track_id'].to_numpy().astype(int)

#!/usr/bin/env python3
"""The table and the plot of scripts/tracks-density-bench.sh: reads its results.csv and writes a
Markdown table and an SVG with two panels, TrackML score and end-to-end time against the number of
particles, for ebm and the peer (events it finished). Standard library only.

The plot is drawn here rather than with ebm's LinePlot because its data (wall times and peak memory
from /usr/bin/time, several commands per point) exist only in the benchmark script, and an ebm
subcommand only for plotting is not wanted; the layout follows LinePlot's (axes, ticks, legend below).
"""
import argparse
import csv
from collections import defaultdict

import svgplot
from svgplot import PALETTE, panel


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('results')
    parser.add_argument('--table', required=True)
    parser.add_argument('--svg', required=True)
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.results)))

    # Mean per μ over its events.
    by_mu = defaultdict(list)
    for r in rows:
        by_mu[int(r['mu'])].append(r)

    def mean(rs, key):
        values = [number(r[key]) for r in rs]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def cell(v, fmt):
        return fmt.format(v) if v is not None else '—'

    lines = ['| μ | events | particles | hits | ebm score, p_T ≥ 1 GeV | ebm score, all ≥ 4 hits | ebm time (s) | ebm peak RSS (MB) '
             '| peer score, p_T ≥ 1 GeV | peer score, all ≥ 4 hits | peer time (s) | peer peak RSS (MB) | peer |',
             '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    points = defaultdict(list)
    for mu in sorted(by_mu):
        rs = by_mu[mu]
        peer = rs[0]
        particles = mean(rs, 'particles')
        lines.append('| ' + ' | '.join([
            str(mu), str(len(rs)), cell(particles, '{:.0f}'), cell(mean(rs, 'hits'), '{:.0f}'),
            cell(mean(rs, 'ours_score_pt1'), '{:.4f}'), cell(mean(rs, 'ours_score_all'), '{:.4f}'),
            cell(mean(rs, 'ours_wall_s'), '{:.2f}'), cell(mean(rs, 'ours_rss_mb'), '{:.0f}'),
            cell(number(peer['peer_score_pt1']), '{:.4f}'), cell(number(peer['peer_score_all']), '{:.4f}'),
            peer['peer_wall_s'] or '—', peer['peer_rss_mb'] or '—', peer['peer_status']]) + ' |')
        for key in ('ours_score_pt1', 'ours_score_all', 'ours_wall_s'):
            v = mean(rs, key)
            if v is not None:
                points[key].append((particles, v))
        if peer['peer_status'] == 'ok':
            points['peer_score_pt1'].append((number(peer['particles']), number(peer['peer_score_pt1'])))
            points['peer_score_all'].append((number(peer['particles']), number(peer['peer_score_all'])))
            points['peer_wall_s'].append((number(peer['particles']), number(peer['peer_wall_s'])))
    with open(args.table, 'w') as f:
        f.write('\n'.join(lines) + '\n')

    xmax = max((x for pts in points.values() for x, _ in pts), default=1) * 1.05
    tmax = max((y for k in ('ours_wall_s', 'peer_wall_s') for _, y in points[k]), default=1)
    width, height = 1000, 440
    svg = panel(0, 0, 500, 390, 'TrackML score, full detector, 10% noise', 'TrackML score', [
        ('ebm, p_T ≥ 1 GeV', PALETTE[0], points['ours_score_pt1'], False),
        ('ebm, all ≥ 4 hits', PALETTE[0], points['ours_score_all'], True),
        ('peer, p_T ≥ 1 GeV', PALETTE[1], points['peer_score_pt1'], False),
        ('peer, all ≥ 4 hits', PALETTE[1], points['peer_score_all'], True)], xmax, 1.0)
    svg += panel(500, 0, 500, 390, 'Time per event, end to end', 'seconds (log scale)', [
        ('ebm', PALETTE[0], points['ours_wall_s'], False),
        ('peer', PALETTE[1], points['peer_wall_s'], False)], xmax, tmax, log_y=True)
    names = [('ebm (p_T ≥ 1 GeV solid, all ≥ 4 hits dashed)', PALETTE[0]),
              ('peer: fizmat/hopfield-tracking (events it finished)', PALETTE[1])]
    svg += [svgplot.legend(70 + k * 430, height - 18, name, color) for k, (name, color) in enumerate(names)]
    svgplot.write(args.svg, width, height, svg)


if __name__ == '__main__':
    main()

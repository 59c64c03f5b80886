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
import math
from collections import defaultdict

PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e']


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def ticks(lo, hi, count=5):
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * step:
            step *= m
            break
    first = math.ceil(lo / step) * step
    out, t = [], first
    while t <= hi + 1e-9 * step:
        out.append(round(t, 10))
        t += step
    return out


def label(v):
    return f'{v:g}'


def panel(x0, y0, w, h, title, ylabel, series, xmax, ymax, log_y=False):
    """One chart at (x0, y0) of size w × h: series is [(label, color, [(x, y)], dashed)]."""
    if log_y:  # a time of 0.00 s cannot be drawn on a log scale; /usr/bin/time's resolution is 0.01 s
        series = [(n, c, [(x, max(y, 0.01)) for x, y in pts], d) for n, c, pts, d in series]
    s = []
    left, top, right, bottom = 60, 30, 10, 50
    pw, ph = w - left - right, h - top - bottom
    ymin = min((y for _, _, pts, _ in series for _, y in pts), default=0.01) if log_y else 0
    if log_y:
        ymin = 10 ** math.floor(math.log10(max(ymin, 1e-3)))
        ymax = 10 ** math.ceil(math.log10(max(ymax, ymin * 10)))

    def fy(y):
        if log_y:
            return y0 + top + ph - (math.log10(y) - math.log10(ymin)) / (math.log10(ymax) - math.log10(ymin)) * ph
        return y0 + top + ph - y / ymax * ph

    def fx(x):
        return x0 + left + x / xmax * pw

    s.append(f'<text x="{x0 + w / 2:.1f}" y="{y0 + 18:.1f}" text-anchor="middle" font-size="14">{title}</text>')
    for t in ticks(0, xmax):
        s.append(f'<line x1="{fx(t):.1f}" y1="{y0 + top:.1f}" x2="{fx(t):.1f}" y2="{y0 + top + ph:.1f}" stroke="#eee"/>'
                 f'<text x="{fx(t):.1f}" y="{y0 + top + ph + 16:.1f}" text-anchor="middle">{label(t)}</text>')
    yt = [10 ** e for e in range(int(math.log10(ymin)), int(math.log10(ymax)) + 1)] if log_y else ticks(0, ymax)
    for t in yt:
        s.append(f'<line x1="{x0 + left:.1f}" y1="{fy(t):.1f}" x2="{x0 + left + pw:.1f}" y2="{fy(t):.1f}" stroke="#eee"/>'
                 f'<text x="{x0 + left - 6:.1f}" y="{fy(t) + 4:.1f}" text-anchor="end">{label(t)}</text>')
    s.append(f'<rect x="{x0 + left:.1f}" y="{y0 + top:.1f}" width="{pw:.1f}" height="{ph:.1f}" fill="none" stroke="#333"/>')
    s.append(f'<text x="{x0 + left + pw / 2:.1f}" y="{y0 + top + ph + 36:.1f}" text-anchor="middle">particles per event</text>')
    s.append(f'<text transform="translate({x0 + 16:.1f},{y0 + top + ph / 2:.1f}) rotate(-90)" text-anchor="middle">{ylabel}</text>')
    for name, color, pts, dashed in series:
        if not pts:
            continue
        dash = ' stroke-dasharray="6,4"' if dashed else ''
        path = ' '.join(f'{fx(x):.1f},{fy(y):.1f}' for x, y in pts)
        s.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{path}"/>')
        s.extend(f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="3" fill="{color}"/>' for x, y in pts)
    return s


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
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif" font-size="12">', '<rect width="100%" height="100%" fill="white"/>']
    svg += panel(0, 0, 500, 390, 'TrackML score, full detector, 10% noise', 'TrackML score', [
        ('ebm, p_T ≥ 1 GeV', PALETTE[0], points['ours_score_pt1'], False),
        ('ebm, all ≥ 4 hits', PALETTE[0], points['ours_score_all'], True),
        ('peer, p_T ≥ 1 GeV', PALETTE[1], points['peer_score_pt1'], False),
        ('peer, all ≥ 4 hits', PALETTE[1], points['peer_score_all'], True)], xmax, 1.0)
    svg += panel(500, 0, 500, 390, 'Time per event, end to end', 'seconds (log scale)', [
        ('ebm', PALETTE[0], points['ours_wall_s'], False),
        ('peer', PALETTE[1], points['peer_wall_s'], False)], xmax, tmax, log_y=True)
    legend = [('ebm (p_T ≥ 1 GeV solid, all ≥ 4 hits dashed)', PALETTE[0]),
              ('peer: fizmat/hopfield-tracking (events it finished)', PALETTE[1])]
    for k, (name, color) in enumerate(legend):
        lx = 70 + k * 430
        svg.append(f'<line x1="{lx}" y1="{height - 22}" x2="{lx + 20}" y2="{height - 22}" stroke="{color}" stroke-width="2"/>'
                   f'<text x="{lx + 26}" y="{height - 18}">{name}</text>')
    svg.append('</svg>')
    with open(args.svg, 'w') as f:
        f.write('\n'.join(svg) + '\n')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""The plot and table of scripts/dbn-time-curve.sh: reads its results.csv (seconds since the start,
fine-tuning epochs done, test accuracy; the last row is the finished run) and writes an SVG of the
test error against wall-clock minutes and a Markdown table. Standard library only.

--point-log "label=FILE" adds a run of its own (a shorter schedule that finished at its time) as a
separate marker, read from the output of `/usr/bin/time -f "whole run took %e s" ebm dbn train --test …`
(--point "label:minutes:accuracy" gives one by hand). The lines at 1.00% and 0.92% error are issue
#15's target and the dropout DBN of Srivastava et al. (2014) on MNIST.

    python3 scripts/dbn-time-curve-plot.py out/bench/dbn-curve/results.csv --svg curve.svg --table curve.md \\
        --point-log "the defaults (140 epochs), seed 1=out/bench/dbn.log"
"""
import argparse
import csv
import re
import sys

import svgplot
from svgplot import PALETTE, panel


def logged_point(text):
    """(label, minutes, accuracy) from "label=FILE", FILE holding a run's "whole run took S s" and
    "test accuracy A" lines."""
    name, path = text.rsplit('=', 1)
    log = open(path).read()
    took = re.findall(r'^whole run took ([0-9.]+) s', log, re.M)
    accuracy = re.findall(r'^test accuracy ([0-9.]+)', log, re.M)
    if not took or not accuracy:
        sys.exit(f'{path}: expected a "whole run took S s" line and a "test accuracy A" line')
    return name, float(took[-1]) / 60, float(accuracy[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('results')
    parser.add_argument('--svg', required=True)
    parser.add_argument('--table', required=True)
    parser.add_argument('--point', action='append', default=[], help='label:minutes:accuracy')
    parser.add_argument('--point-log', action='append', default=[], help='label=FILE')
    parser.add_argument('--title', default='DBN 784-500-500-2000-10 on MNIST: test error against wall-clock time, 2 cores')
    args = parser.parse_args()
    rows = [(float(r['elapsed_s']) / 60, int(r['epoch']), float(r['test_accuracy'])) for r in csv.DictReader(open(args.results))]
    points = []
    for text in args.point:
        name, minutes, accuracy = text.rsplit(':', 2)
        points.append((name, float(minutes), float(accuracy)))
    points += [logged_point(text) for text in args.point_log]

    lines = ['| Minutes since the start | Fine-tuning epochs done | Test accuracy (error) |', '|---|---|---|']
    lines += [f'| {m:.1f} | {e} | {100 * a:.2f}% ({100 * (1 - a):.2f}%) |' for m, e, a in rows]
    with open(args.table, 'w') as f:
        f.write('\n'.join(lines) + '\n')

    errors = [100 * (1 - a) for _, _, a in rows] + [100 * (1 - a) for _, _, a in points] + [0.92]
    xmax = max(m for m, _, _ in rows + [(p[1], 0, 0) for p in points]) * 1.03
    ymin = max(0.0, int(min(errors) * 10 - 1) / 10)
    ymax = int(max(errors) * 10 + 2) / 10
    curve = [(m, 100 * (1 - a)) for m, _, a in rows]
    series = [(f'{rows[-1][1]}-epoch schedule, kept network at time t', PALETTE[0], curve, False),
              ('1.00% (the ≥ 99.0% target)', '#999', [(0, 1.0), (xmax, 1.0)], True),
              ('0.92% (Srivastava et al. 2014)', PALETTE[2], [(0, 0.92), (xmax, 0.92)], True)]
    marker_colors = [PALETTE[1], PALETTE[3], '#9467bd', '#8c564b']
    series += [(name, marker_colors[k % len(marker_colors)], [(m, 100 * (1 - a))], False) for k, (name, m, a) in enumerate(points)]
    width, height = 760, 470 + 18 * len(series)
    svg = panel(0, 0, width, 450, args.title,
                 'test error (%)', series, xmax, ymax, xlabel='minutes since the start (pretraining included)', ymin=ymin)
    svg += [svgplot.legend(70, 470 + 18 * k, name, color, dashed) for k, (name, color, _, dashed) in enumerate(series)]
    svgplot.write(args.svg, width, height, svg)


if __name__ == '__main__':
    main()

"""Small SVG line charts for the benchmark scripts (standard library only), laid out like ebm's
LinePlot: axes with ticks, a title, one polyline with dots per series.

Used by scripts/tracks-density-plot.py and scripts/dbn-time-curve-plot.py, whose data exist only
in their benchmark scripts' results.
"""
import math

PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e']


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


def panel(x0, y0, w, h, title, ylabel, series, xmax, ymax, log_y=False, xlabel='particles per event', ymin=0):
    """One chart at (x0, y0) of size w × h: series is [(label, color, [(x, y)], dashed)]; the y axis
    runs from ymin (linear) or the decade below the smallest y (log_y) to ymax."""
    if log_y:  # a time of 0.00 s cannot be drawn on a log scale; /usr/bin/time's resolution is 0.01 s
        series = [(n, c, [(x, max(y, 0.01)) for x, y in pts], d) for n, c, pts, d in series]
    s = []
    left, top, right, bottom = 60, 30, 10, 50
    pw, ph = w - left - right, h - top - bottom
    if log_y:
        ymin = min((y for _, _, pts, _ in series for _, y in pts), default=0.01)
        ymin = 10 ** math.floor(math.log10(max(ymin, 1e-3)))
        ymax = 10 ** math.ceil(math.log10(max(ymax, ymin * 10)))

    def fy(y):
        if log_y:
            return y0 + top + ph - (math.log10(y) - math.log10(ymin)) / (math.log10(ymax) - math.log10(ymin)) * ph
        return y0 + top + ph - (y - ymin) / (ymax - ymin) * ph

    def fx(x):
        return x0 + left + x / xmax * pw

    s.append(f'<text x="{x0 + w / 2:.1f}" y="{y0 + 18:.1f}" text-anchor="middle" font-size="14">{title}</text>')
    for t in ticks(0, xmax):
        s.append(f'<line x1="{fx(t):.1f}" y1="{y0 + top:.1f}" x2="{fx(t):.1f}" y2="{y0 + top + ph:.1f}" stroke="#eee"/>'
                 f'<text x="{fx(t):.1f}" y="{y0 + top + ph + 16:.1f}" text-anchor="middle">{label(t)}</text>')
    yt = [10 ** e for e in range(int(math.log10(ymin)), int(math.log10(ymax)) + 1)] if log_y else ticks(ymin, ymax)
    for t in yt:
        s.append(f'<line x1="{x0 + left:.1f}" y1="{fy(t):.1f}" x2="{x0 + left + pw:.1f}" y2="{fy(t):.1f}" stroke="#eee"/>'
                 f'<text x="{x0 + left - 6:.1f}" y="{fy(t) + 4:.1f}" text-anchor="end">{label(t)}</text>')
    s.append(f'<rect x="{x0 + left:.1f}" y="{y0 + top:.1f}" width="{pw:.1f}" height="{ph:.1f}" fill="none" stroke="#333"/>')
    s.append(f'<text x="{x0 + left + pw / 2:.1f}" y="{y0 + top + ph + 36:.1f}" text-anchor="middle">{xlabel}</text>')
    s.append(f'<text transform="translate({x0 + 16:.1f},{y0 + top + ph / 2:.1f}) rotate(-90)" text-anchor="middle">{ylabel}</text>')
    for name, color, pts, dashed in series:
        if not pts:
            continue
        dash = ' stroke-dasharray="6,4"' if dashed else ''
        path = ' '.join(f'{fx(x):.1f},{fy(y):.1f}' for x, y in pts)
        s.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{path}"/>')
        s.extend(f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="3" fill="{color}"/>' for x, y in pts)
    return s


def legend(x, y, name, color, dashed=False):
    """A legend entry: a short line of the series' colour and dash, its name to the right, baseline y."""
    dash = ' stroke-dasharray="6,4"' if dashed else ''
    return (f'<line x1="{x}" y1="{y - 4}" x2="{x + 20}" y2="{y - 4}" stroke="{color}" stroke-width="2"{dash}/>'
            f'<text x="{x + 26}" y="{y}">{name}</text>')


def write(path, width, height, parts):
    """An SVG file of width × height on a white ground holding the elements `parts`."""
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif" font-size="12">', '<rect width="100%" height="100%" fill="white"/>']
    with open(path, 'w') as f:
        f.write('\n'.join(svg + parts + ['</svg>']) + '\n')

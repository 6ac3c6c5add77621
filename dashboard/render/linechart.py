"""Line charts as SVG for `st.html`: a gemeente's series over the years, the group's mean and
range, 95% intervals, a series break as a gap, and notes as diamonds.

Drawn here, not by a chart library in the browser: a chart is a few kB of SVG that the page
shows at once, where a library's bundle took seconds to load on every page that used it. Nice
axis steps come from matplotlib's tick locator; numbers are Dutch. Every text from data passes
`safe.escape`; a chart links and loads nothing. Each point's tooltip (`<title>`) names the
series, the year and the value; the chart's text for a screen reader is its `alt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.ticker import MaxNLocator

from dashboard.domain.fmt import fmt_number
from dashboard.render.safe import escape

BLUE, GREY, BAND, NOTE = "#0072B2", "#6E6E6E", "#E2E2E2", "#D55E00"  # Okabe-Ito
MAX_SCALE = 1.25  # a chart fills its column up to this much larger than its frame: text stays calm


@dataclass(frozen=True)
class Series:
    """One line: y per x (None: no value, a gap), optional 95% interval per point, and the
    tooltip text of each point's value."""

    name: str
    xs: list[float]
    ys: list[float | None]
    colour: str = BLUE
    dash: bool = False
    width: float = 3.5
    square: bool = False
    lower: list[float | None] | None = None
    upper: list[float | None] | None = None
    tips: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Band:
    """The group's range (lowest to highest) per x."""

    name: str
    xs: list[float]
    low: list[float | None]
    high: list[float | None]


@dataclass(frozen=True)
class Mark:
    """A note on the chart: a dotted line at x (a shaded range from x to last), a diamond at
    the top with the note's text as tooltip."""

    x: float
    last: float
    text: str


@dataclass(frozen=True)
class Frame:
    """Size (viewBox units; text is FONT units of the same) and the plot area inside it."""

    width: float = 640
    height: float = 300
    left: float = 64
    right: float = 14
    top: float = 26
    bottom: float = 34
    font: float = 15


def ticks(low: float, high: float) -> list[float]:
    """Round axis steps from low to high (both included or passed)."""
    if high <= low:
        high = low + 1
    return [float(t) for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)]


def _digits(step: float) -> int:
    for digits in range(4):
        if abs(step * 10**digits - round(step * 10**digits)) < 1e-9:
            return digits
    return 4


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _segments(xs, ys, cut: float | None) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points with a value; a run also ends at the series break."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None or (cut is not None and runs[-1] and runs[-1][-1][0] < cut < x):
            runs.append([])
        if y is not None:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def chart(
    series: list[Series],
    x_labels: dict[float, str],
    unit: str,
    alt: str,
    *,
    band: Band | None = None,
    cut: float | None = None,
    cut_label: str = "",
    marks: tuple[Mark, ...] = (),
    frame: Frame = Frame(),
    legend: bool = True,
) -> str:
    """One chart: y from 0 (or below, for negative values) to a round step over the highest
    value; the x labels at their x (every n-th when they would crowd); a dotted line at
    `cut` (the series break) with `cut_label`; the legend under the plot."""
    f = frame
    values = [v for s in series for v in [*s.ys, *(s.upper or [])] if v is not None]
    if band:
        values += [v for v in band.high if v is not None]
    low = min([0.0, *values])
    steps = ticks(low, max(values, default=1.0))
    y0, y1 = steps[0], steps[-1]
    xs = sorted(x_labels)
    x0, x1 = (xs[0] - 0.5, xs[-1] + 0.5) if xs else (0.0, 1.0)
    rows = _legend_rows(_legend_items(series, band, marks), f) if legend else []
    legend_h = f.font * 1.5 * len(rows) + (f.font * 0.3 if rows else 0)
    plot_w = f.width - f.left - f.right
    plot_h = f.height - f.top - f.bottom - legend_h

    def px(x: float) -> float:
        return f.left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return f.top + (y1 - y) / (y1 - y0) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {f.width:g} {f.height:g}" '
        f'width="100%" role="img" aria-label="{escape(alt)}" '
        f'style="font-family:inherit;font-size:{f.font:g}px;display:block;'
        f'max-width:{f.width * MAX_SCALE:g}px">'
    ]
    digits = _digits(steps[1] - steps[0]) if len(steps) > 1 else 0
    for t in steps:  # grid and y labels
        y = _num(py(t))
        out.append(
            f'<line x1="{f.left:g}" x2="{f.width - f.right:g}" y1="{y}" y2="{y}" '
            f'stroke="#DDDDDD"/><text x="{f.left - 6:g}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#333">{fmt_number(t, digits)}</text>'
        )
    out.append(
        f'<text transform="translate({f.font:g} {_num(f.top + plot_h / 2)}) rotate(-90)" '
        f'text-anchor="middle" dominant-baseline="middle" fill="#333" '
        f'font-size="{f.font * 0.85:g}px">{escape(unit)}</text>'
    )
    # Labels ~2,6 fonts wide: every n-th step of x when they would crowd (x one apart per year
    # or period, so a step of 2 labels every second year, also across a gap).
    span = round(xs[-1] - xs[0]) + 1 if xs else 1
    every = max(1, int(-(-span * f.font * 2.6 // plot_w)))
    base = _num(f.top + plot_h + f.font * 1.2)
    for x in xs:
        if round(x - xs[0]) % every == 0:
            out.append(
                f'<text x="{_num(px(x))}" y="{base}" text-anchor="middle" fill="#333">'
                f"{escape(x_labels[x])}</text>"
            )
    for m in marks:  # notes below the lines
        if m.last > m.x:
            out.append(
                f'<rect x="{_num(px(m.x - 0.3))}" y="{f.top:g}" '
                f'width="{_num(px(m.last + 0.3) - px(m.x - 0.3))}" height="{_num(plot_h)}" '
                f'fill="{NOTE}" fill-opacity="0.10"/>'
            )
        else:
            out.append(_vline(px(m.x), f.top, f.top + plot_h, NOTE, "2 4"))
    if band:
        for run in _band_runs(band, cut):
            upper = " ".join(f"{_num(px(x))},{_num(py(hi))}" for x, _, hi in run)
            lower = " ".join(f"{_num(px(x))},{_num(py(lo))}" for x, lo, _ in reversed(run))
            out.append(f'<polygon points="{upper} {lower}" fill="{BAND}"/>')
    if cut is not None:
        out.append(_vline(px(cut), f.top, f.top + plot_h, "#333333", "2 3"))
        out.append(
            f'<text x="{_num(px(cut))}" y="{_num(f.top - 6)}" text-anchor="middle" '
            f'fill="#333" font-size="{f.font * 0.9:g}px">{escape(cut_label)}</text>'
        )
    for s in series:
        out.extend(_series(s, px, py, cut))
    for m in marks:
        x, y = px(m.x), f.top + 2
        out.append(
            f'<path class="notitie" d="M{_num(x)} {_num(y)}l7 8-7 8-7-8z" fill="{NOTE}" '
            f'stroke="#fff"><title>{escape(m.text)}</title></path>'
        )
    if rows:
        out.append(_legend(rows, f))
    out.append("</svg>")
    return "".join(out)


def _vline(x: float, top: float, bottom: float, colour: str, dash: str) -> str:
    return (
        f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(top)}" y2="{_num(bottom)}" '
        f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
    )


def _band_runs(band: Band, cut: float | None) -> list[list[tuple[float, float, float]]]:
    runs: list[list[tuple[float, float, float]]] = [[]]
    for x, lo, hi in zip(band.xs, band.low, band.high, strict=True):
        if lo is None or hi is None or (cut is not None and runs[-1] and runs[-1][-1][0] < cut < x):
            runs.append([])
        if lo is not None and hi is not None:
            runs[-1].append((x, lo, hi))
    return [r for r in runs if r]


def _series(s: Series, px, py, cut) -> list[str]:
    out = []
    dash = ' stroke-dasharray="9 6"' if s.dash else ""
    for run in _segments(s.xs, s.ys, cut):
        points = " ".join(f"{_num(px(x))},{_num(py(y))}" for x, y in run)
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
            f'stroke-width="{s.width:g}"{dash} stroke-linejoin="round"/>'
        )
    for i, (x, y) in enumerate(zip(s.xs, s.ys, strict=True)):
        if y is None:
            continue
        if s.lower and s.upper and s.lower[i] is not None and s.upper[i] is not None:
            lo, hi, cx = py(s.lower[i]), py(s.upper[i]), px(x)
            out.append(
                f'<path d="M{_num(cx)} {_num(lo)}V{_num(hi)}M{_num(cx - 3)} {_num(lo)}h6'
                f'M{_num(cx - 3)} {_num(hi)}h6" stroke="{s.colour}" stroke-width="1.5"/>'
            )
        tip = escape(s.tips[i] if i < len(s.tips) else "")
        if s.square:
            tag, at = (
                "rect",
                f'x="{_num(px(x) - 4.5)}" y="{_num(py(y) - 4.5)}" width="9" height="9"',
            )
        else:
            tag, at = "circle", f'cx="{_num(px(x))}" cy="{_num(py(y))}" r="5.5"'
        title = f"<title>{tip}</title></{tag}>" if tip else ""
        out.append(f'<{tag} {at} fill="{s.colour}"' + (f">{title}" if tip else "/>"))
    return out


def _legend_items(series: list[Series], band: Band | None, marks) -> list[tuple]:
    items = [(s.name, s.colour, s.dash) for s in reversed(series)]
    if band:
        items.append((band.name, BAND, None))
    if marks:
        items.append(("notitie (wijs de ruit aan)", NOTE, "note"))
    return items


def _legend_rows(items: list[tuple], f: Frame) -> list[list[tuple[float, tuple]]]:
    """The legend's items with their x, in rows that fit the width (text ~0,5 font per
    character)."""
    rows: list[list[tuple[float, tuple]]] = [[]]
    x = f.left
    for item in items:
        w = 30 + len(item[0]) * f.font * 0.5
        if rows[-1] and x + w > f.width - f.right:
            rows.append([])
            x = f.left
        rows[-1].append((x, item))
        x += w + 18
    return rows


def _legend(rows: list[list[tuple[float, tuple]]], f: Frame) -> str:
    out = []
    for r, row in enumerate(rows):
        y = f.height - f.font * 0.7 - (len(rows) - 1 - r) * f.font * 1.5
        for x, (name, colour, kind) in row:
            if kind is None:
                out.append(
                    f'<rect x="{x:g}" y="{_num(y - 8)}" width="24" height="10" fill="{colour}"/>'
                )
            elif kind == "note":
                out.append(f'<path d="M{x + 12:g} {_num(y - 10)}l6 7-6 7-6-7z" fill="{colour}"/>')
            else:
                dash = ' stroke-dasharray="6 4"' if kind else ""
                out.append(
                    f'<line x1="{x:g}" x2="{x + 24:g}" y1="{_num(y - 3)}" y2="{_num(y - 3)}" '
                    f'stroke="{colour}" stroke-width="3"{dash}/>'
                )
            out.append(f'<text x="{x + 30:g}" y="{_num(y + 2)}" fill="#111">{escape(name)}</text>')
    return f'<g class="legenda">{"".join(out)}</g>'

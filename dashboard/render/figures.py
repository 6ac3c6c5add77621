"""Charts from the domain's data: a trend against the group and the four sides of safety,
drawn as SVG by `render.linechart`. The progress of the veiligheidsbeleid and the G32 ranking
are HTML (`render.progress_html`, `render.ranking_html`). Colours are colour-blind safe
(Okabe-Ito); every chart also has a table or a sentence with the same numbers
(`dashboard.explain`). Numbers in tooltips are Dutch, with as many decimals as the values need
(`explain.decimals`)."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.explain import decimals
from dashboard.domain.fmt import fmt_number
from dashboard.render import linechart
from dashboard.render.linechart import BLUE, GREY, Band, Frame, Mark, Series
from dashboard.render.safe import escape

WIDE = Frame()  # half the page (G32 trend)
FULL = Frame(width=1100, height=340, left=70)  # the page's width (the Wijkprofiel's trend)
SMALL = Frame(width=440, height=280, left=58, font=15)  # a third of the page (Thema's)


def positions(periods, series_break: int | None) -> tuple[dict[str, float], float | None]:
    """x of each period (in order, one apart) and of the series break: an empty step between
    the last period before it and the first from it, so no line crosses incomparable years."""
    periods = sorted(set(periods))
    cut = None
    if series_break:
        before = [p for p in periods if int(str(p)[:4]) < series_break]
        if before and len(before) < len(periods):
            cut = len(before)  # the empty step
    xs = {p: float(i + (1 if cut is not None and i >= cut else 0)) for i, p in enumerate(periods)}
    return xs, cut


def trend(
    own: pd.DataFrame,
    own_label: str,
    peers: pd.DataFrame | None,
    peer_label: str,
    unit: str,
    series_break: int | None = None,
    *,
    alt: str = "",
    marks: list | None = None,
    frame: Frame = WIDE,
) -> str:
    """The gemeente's line against the peer mean (dashed), with the peer range as a band; a
    series break is a gap with a dotted line and the words "reeksbreuk <year>". `marks`:
    notes (`domain.notes.Marker`) as diamonds with their text as tooltip."""
    has_peers = peers is not None and not peers.empty
    digits = decimals([*own["value"], *(peers["mean"] if has_peers else [])], unit)
    periods = [*own["period"], *(peers["period"] if has_peers else [])]
    xs, cut = positions(periods, series_break)
    series, band = [], None

    def line(frame: pd.DataFrame, column: str) -> tuple[list, list[float], list[float | None]]:
        """Periods in order, their x and the column's values (None where missing)."""
        frame = frame.sort_values("period")
        ys = [None if pd.isna(v) else float(v) for v in frame[column]]
        return list(frame["period"]), [xs[p] for p in frame["period"]], ys

    if has_peers:
        _, px, lows = line(peers, "min")
        band = Band(f"{peer_label}: laagste tot hoogste", px, lows, line(peers, "max")[2])
        names, px, means = line(peers, "mean")
        tips = [
            f"{peer_label}-gemiddelde, {p}: {fmt_number(v, digits)}"
            for p, v in zip(names, means, strict=True)
        ]
        series.append(
            Series(f"{peer_label}: gemiddelde", px, means, GREY, True, 3, True, tips=tips)
        )
    names, ox, oy = line(own, "value")
    tips = [f"{own_label}, {p}: {fmt_number(v, digits)}" for p, v in zip(names, oy, strict=True)]
    series.append(Series(own_label, ox, oy, BLUE, tips=tips))
    grouped: dict[str, list] = {}  # notes that start in the same year share a diamond
    for m in marks or []:
        if m.first in xs and m.last in xs:
            grouped.setdefault(m.first, []).append(m)
    shown = [
        Mark(xs[first], max(xs[m.last] for m in ms), "\n\n".join("\n".join(m.lines) for m in ms))
        for first, ms in grouped.items()
    ]
    return linechart.chart(
        series,
        {x: str(p) for p, x in xs.items()},
        unit,
        alt,
        band=band,
        cut=cut,
        cut_label=f"reeksbreuk {series_break}" if cut is not None else "",
        marks=tuple(shown),
        frame=frame,
    )


# ---------------------------------------------------------------- the four sides of safety
def sides_text(p) -> str:
    """A point with its interval for a tooltip, in Dutch numbers (escaped where it is drawn)."""
    text = fmt_number(p.value, 1)
    if p.has_interval:
        text += f" ({fmt_number(p.lower, 1)}–{fmt_number(p.upper, 1)})"
    return text


def group_line(side) -> str:
    """Which group a panel's dashed line is: 'G32 (t/m 2017), G40 (vanaf 2019)',
    'G32-gemiddelde' (the mean of the other gemeenten)."""
    label = side.series_label() or "de groep"
    return f"{label}-gemiddelde" if any(p.n for p in side.peer.values()) else label


PANEL = Frame(width=340, height=290, left=54, right=10, font=15)
FOUR_STYLE = """<style>
.vb-vier{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:1.2rem}
.vb-vier figure{margin:0}
.vb-vier figcaption{font-size:1.05rem;line-height:1.25;min-height:2.6em}
.vb-vier figcaption span{display:block;font-size:.9rem;color:#333}
.vb-vier-legend{display:flex;gap:1.5rem;list-style:none;padding:0;margin:.3rem 0 0 0}
.vb-vier-legend li{margin:0;display:flex;align-items:center;gap:.4rem}
.vb-vier-legend i{display:inline-block;width:1.8rem;border-top:3px solid #0072B2}
.vb-vier-legend i.vb-groep{border-top:3px dashed #6E6E6E}
</style>"""


def _side_series(points: dict, periods: list[str], name: str, label: str, own: bool) -> Series:
    """One line of a panel: per period its value, 95% interval and tooltip."""
    xs, ys, lower, upper, tips = [], [], [], [], []
    for period in periods:
        p = points.get(period)
        ok = p is not None and p.ok
        xs.append(float(period[:4]))
        ys.append(p.value if ok else None)
        lower.append(p.lower if ok and p.has_interval else None)
        upper.append(p.upper if ok and p.has_interval else None)
        tips.append(f"{label}, {period[:4]}: {sides_text(p)}" if ok else "")
    colour, dash, width = (BLUE, False, 3.5) if own else (GREY, True, 2.5)
    return Series(name, xs, ys, colour, dash, width, not own, lower, upper, tips)


def four_sides(items: list, city: str, alt: str) -> str:
    """Four small panels side by side (`domain.sides.Side`), each on its own scale: the
    gemeente as a line with its 95% intervals, the group dashed; a series break is a gap with
    a dotted line and the words "reeksbreuk <year>"; one legend under the four."""
    panels = []
    for side in items:
        periods = sorted(set(side.own) | set(side.peer))
        group = group_line(side)
        series = [
            _side_series(side.peer, periods, "groep", group, False),
            _side_series(side.own, periods, city, city, True),
        ]
        years = [int(p[:4]) for p in periods if side.own[p].ok or side.peer[p].ok]
        before = [y for y in years if side.series_break and y < side.series_break]
        after = [y for y in years if side.series_break and y >= side.series_break]
        cut = (before[-1] + after[0]) / 2 if before and after else None
        label = f"{side.spec.title}: {city} tegen {group}"
        svg = linechart.chart(
            series,
            {float(y): str(y) for y in years},
            side.unit,
            label,
            cut=cut,
            cut_label=f"reeksbreuk {side.series_break}" if cut is not None else "",
            frame=PANEL,
            legend=False,
        )
        panels.append(
            f"<figure><figcaption>{escape(side.spec.title)}<span>tegen {escape(group)}</span>"
            f"</figcaption>{svg}</figure>"
        )
    legend = (
        f'<ul class="vb-vier-legend" aria-hidden="true"><li><i></i>{escape(city)}</li>'
        '<li><i class="vb-groep"></i>vergelijkingsgroep (boven elke grafiek genoemd)</li></ul>'
    )
    return (
        f'{FOUR_STYLE}<div role="group" aria-label="{escape(alt)}">'
        f'<div class="vb-vier">{"".join(panels)}</div>{legend}</div>'
    )

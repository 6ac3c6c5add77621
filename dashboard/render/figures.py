"""Plotly figures: trends and the four sides of safety. The progress of the veiligheidsbeleid
and the G32 ranking are HTML (`render.progress_html`, `render.ranking_html`). Colours are
colour-blind safe (Okabe-Ito); every chart also has a table or a sentence with the same numbers
(`dashboard.explain`). Numbers in hovers are Dutch, with as many decimals as the values need
(`explain.decimals`)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.domain.explain import decimals
from dashboard.domain.fmt import fmt_number

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "grey": "#6E6E6E",
    "black": "#000000",
}
FONT = dict(family="Source Sans Pro, sans-serif", size=18, color="#111111")


GAP = "\u2009"  # the category that stands for a series break: no tick label, no line across


def _gap(periods, values, series_break: int | None) -> tuple[list, list]:
    """x and y of a line with a gap at a series break (no line through incomparable years)."""
    xs, ys = list(periods), list(values)
    if not series_break:
        return xs, ys
    cut = next((i for i, p in enumerate(xs) if int(str(p)[:4]) >= series_break), None)
    if cut is None or cut == 0:
        return xs, ys
    return [*xs[:cut], GAP, *xs[cut:]], [*ys[:cut], None, *ys[cut:]]


def trend(
    own: pd.DataFrame,
    own_label: str,
    peers: pd.DataFrame | None,
    peer_label: str,
    unit: str,
    series_break: int | None = None,
) -> go.Figure:
    """Line chart of the gemeente against the peer mean, with the peer range as a band; a
    series break is a gap with a dashed line and the words "reeksbreuk <year>"."""
    own_label, peer_label = html.escape(own_label), html.escape(peer_label)  # plotly reads HTML
    has_peers = peers is not None and not peers.empty
    digits = decimals([*own["value"], *(peers["mean"] if has_peers else [])], unit)
    periods = sorted({*own["period"], *(peers["period"] if has_peers else [])})
    if series_break and not (
        periods and int(periods[0][:4]) < series_break <= int(periods[-1][:4])
    ):
        series_break = None
    if has_peers:
        peers = peers.sort_values("period")
        px, _ = _gap(peers["period"], peers["mean"], series_break)
        peers = {
            "period": px,
            **{k: _gap(peers["period"], peers[k], series_break)[1] for k in ("min", "max", "mean")},
        }
    own = own.sort_values("period")
    ox, oy = _gap(own["period"], own["value"], series_break)
    own = {"period": ox, "value": oy}
    fig = go.Figure()
    if has_peers:
        fig.add_trace(
            go.Scatter(
                x=peers["period"],
                y=peers["max"],
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=peers["period"],
                y=peers["min"],
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor="rgba(110,110,110,0.18)",
                hoverinfo="skip",
                name=f"{peer_label}: laagste tot hoogste",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=peers["period"],
                y=peers["mean"],
                mode="lines+markers",
                name=f"{peer_label}: gemiddelde",
                line=dict(color=OKABE_ITO["grey"], width=3, dash="dash"),
                marker=dict(symbol="square", size=9),
                customdata=[fmt_number(v, digits) for v in peers["mean"]],
                hovertemplate="%{x}: %{customdata}<extra>" + peer_label + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=own["period"],
            y=own["value"],
            mode="lines+markers",
            name=own_label,
            line=dict(color=OKABE_ITO["blue"], width=4),
            marker=dict(size=11),
            customdata=[fmt_number(v, digits) for v in own["value"]],
            hovertemplate="%{x}: %{customdata}<extra>" + own_label + "</extra>",
        )
    )
    fig.update_layout(
        font=FONT,
        margin=dict(l=10, r=10, t=10, b=10),
        height=360,
        separators=",.",
        legend=dict(orientation="h", y=-0.2),
        plot_bgcolor="white",
        yaxis=dict(title=html.escape(unit), gridcolor="#DDDDDD", rangemode="tozero"),
        xaxis=dict(type="category", title=None),
    )
    if series_break:
        order = sorted({*own["period"], *(peers["period"] if has_peers else [])} - {GAP})
        order = _gap(order, order, series_break)[0]
        fig.update_xaxes(categoryorder="array", categoryarray=order)
        fig.update_layout(margin=dict(t=36))
        fig.add_vline(x=order.index(GAP), line=dict(color="#333333", width=2, dash="dot"))
        fig.add_annotation(
            x=order.index(GAP),
            y=1,
            yref="paper",
            text=f"reeksbreuk {series_break}",
            showarrow=False,
            yanchor="bottom",
            font=dict(size=FONT.get("size", 16) - 2, color="#333333"),
        )
    return fig


# ---------------------------------------------------------------- the four sides of safety
def _side_xy(side, points: dict, periods: list[str]) -> tuple[list, list, list, list, list]:
    """Years, values, the interval above and below, and hover texts of one line; a None
    between the years on either side of a series break, so the line has a gap there."""
    xs, ys, up, down, text = [], [], [], [], []
    for period in periods:
        year = int(period[:4])
        if side.series_break and xs and xs[-1] is not None and xs[-1] < side.series_break <= year:
            xs.append(None)
            for column in (ys, up, down, text):
                column.append(None)
        p = points.get(period)
        ok = p is not None and p.ok
        xs.append(year)
        ys.append(p.value if ok else None)
        up.append((p.upper - p.value) if ok and p.has_interval else 0)
        down.append((p.value - p.lower) if ok and p.has_interval else 0)
        text.append(sides_text(p) if ok else "")
    return xs, ys, up, down, text


def sides_text(p) -> str:
    """A point with its interval for a hover, in Dutch numbers."""
    text = fmt_number(p.value, 1)
    if p.has_interval:
        text += f" ({fmt_number(p.lower, 1)}–{fmt_number(p.upper, 1)})"
    return html.escape(text)


def group_line(side) -> str:
    """Which group a panel's dashed line is: 'G32 (t/m 2017), G40 (vanaf 2019)',
    'G32-gemiddelde' (the mean of the other gemeenten)."""
    label = side.series_label() or "de groep"
    return f"{label}-gemiddelde" if any(p.n for p in side.peer.values()) else label


def four_sides(items: list, city: str, height: int = 400) -> go.Figure:
    """Four small panels side by side (`domain.sides.Side`), each on its own scale: the
    gemeente as a line with its 95% intervals, the group dashed; a series break is a gap with
    the words "reeksbreuk <year>". Every label is escaped (plotly reads HTML)."""
    titles = [
        f"{html.escape(s.spec.title)}<br><span style='font-size:14px'>tegen "
        f"{html.escape(group_line(s))}</span>"
        for s in items
    ]
    fig = make_subplots(rows=1, cols=len(items), subplot_titles=titles, horizontal_spacing=0.06)
    city_label = html.escape(city)
    shown: set[str] = set()
    for col, side in enumerate(items, start=1):
        periods = sorted(set(side.own) | set(side.peer))
        group = "vergelijkingsgroep (boven elke grafiek genoemd)"
        for points, name, colour, dash, width, rank in (
            (side.peer, group, OKABE_ITO["grey"], "dash", 2.5, 2),
            (side.own, city_label, OKABE_ITO["blue"], "solid", 3.5, 1),
        ):
            xs, ys, up, down, text = _side_xy(side, points, periods)
            if not any(v is not None for v in ys):
                continue
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=name not in shown,
                    legendrank=rank,
                    connectgaps=False,
                    line=dict(color=colour, width=width, dash=dash),
                    marker=dict(size=8 if dash == "solid" else 7),
                    error_y=dict(
                        type="data",
                        symmetric=False,
                        array=up,
                        arrayminus=down,
                        color=colour,
                        thickness=1.5,
                        width=3,
                    ),
                    customdata=text,
                    hovertemplate="%{x}: %{customdata}<extra>"
                    + (city_label if rank == 1 else html.escape(group_line(side)))
                    + "</extra>",
                ),
                row=1,
                col=col,
            )
            shown.add(name)
        years = [int(p[:4]) for p in periods if side.own[p].ok or side.peer[p].ok]
        fig.update_yaxes(
            title=html.escape(side.unit),
            rangemode="tozero",
            gridcolor="#DDDDDD",
            title_font=dict(size=14),
            row=1,
            col=col,
        )
        fig.update_xaxes(tickformat="d", dtick=2 if len(years) > 5 else 1, row=1, col=col)
        before = [y for y in years if side.series_break and y < side.series_break]
        after = [y for y in years if side.series_break and y >= side.series_break]
        if before and after:
            x = (before[-1] + after[0]) / 2
            fig.add_vline(x=x, line=dict(color="#333333", width=1.5, dash="dot"), row=1, col=col)
            fig.add_annotation(
                x=x,
                y=0.02,
                xref=f"x{col if col > 1 else ''}",
                yref=f"y{col if col > 1 else ''} domain",
                text=f"reeksbreuk {side.series_break}",
                showarrow=False,
                xanchor="right",
                font=dict(size=13, color="#333333"),
            )
    fig.update_layout(
        font=FONT,
        height=height,
        separators=",.",
        plot_bgcolor="white",
        margin=dict(l=10, r=10, t=70, b=10),
        legend=dict(orientation="h", y=-0.14),
    )
    for annotation in fig.layout.annotations:
        if annotation.text in titles:
            annotation.font = dict(size=17)
            annotation.yshift = 8
    return fig

"""Plotly figures. Colours are colour-blind safe (Okabe-Ito); every chart also has a table or
a sentence with the same numbers (`dashboard.explain`). Numbers in hovers are Dutch, with as
many decimals as the values need (`explain.decimals`)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .explain import decimals
from .ui_format import fmt_number

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


def trend(
    own: pd.DataFrame, own_label: str, peers: pd.DataFrame | None, peer_label: str, unit: str
) -> go.Figure:
    """Line chart of the gemeente against the peer mean, with the peer range as a band."""
    own_label, peer_label = html.escape(own_label), html.escape(peer_label)  # plotly reads HTML
    has_peers = peers is not None and not peers.empty
    digits = decimals([*own["value"], *(peers["mean"] if has_peers else [])], unit)
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
        yaxis=dict(title=unit, gridcolor="#DDDDDD", rangemode="tozero"),
        xaxis=dict(type="category", title=None),
    )
    return fig


def ranking(
    values: pd.DataFrame,
    names: dict[str, str],
    highlight: str,
    better: str,
    unit: str,
    peer_value: float | None,
    peer_label: str,
) -> go.Figure:
    """Horizontal bars of the peer group, best on top, the gemeente highlighted."""
    df = values.dropna(subset=["value"]).copy()
    df["name"] = [html.escape(names.get(c, c)) for c in df["area_code"]]
    df = df.sort_values("value", ascending=(better != "lager"))
    colours = [OKABE_ITO["blue"] if c == highlight else "#BBBBBB" for c in df["area_code"]]
    digits = decimals([*df["value"], peer_value], unit)
    fig = go.Figure(
        go.Bar(
            x=df["value"],
            y=df["name"],
            orientation="h",
            marker_color=colours,
            customdata=[fmt_number(v, digits) for v in df["value"]],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    if peer_value is not None:
        fig.add_vline(
            x=peer_value,
            line=dict(color=OKABE_ITO["black"], dash="dash", width=2),
            annotation_text=html.escape(f"{peer_label}: {fmt_number(peer_value, digits)}"),
            annotation_position="top",
        )
    fig.update_layout(
        font=FONT,
        margin=dict(l=10, r=10, t=30, b=10),
        height=max(320, 22 * len(df) + 60),
        separators=",.",
        plot_bgcolor="white",
        xaxis=dict(title=unit, gridcolor="#DDDDDD"),
        yaxis=dict(title=None, tickfont=dict(size=14)),
    )
    return fig

"""Notes on a trend chart: a dotted line at a note's year (a band over a range of years) and
a marker above it whose hover shows the note. Note text is untrusted: every line is
html-escaped before plotly sees it (plotly reads HTML in hovers)."""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from dashboard.domain.notes import Marker

COLOUR = "#D55E00"  # Okabe-Ito vermillion: apart from the blue line and the grey group
LABEL = "Notitie (wijs de ruit aan)"


def hover_text(marker: Marker, width: int = 60) -> str:
    """The note's first line in bold, its text wrapped; every line escaped."""
    head, *rest = marker.lines
    body = [
        html.escape(line)
        for part in rest
        for line in (textwrap.wrap(" ".join(part.split()), width) or [""])
    ]
    return "<br>".join([f"<b>{html.escape(head)}</b>", *body])


def _categories(fig: go.Figure) -> list[str]:
    """The x categories in the order plotly draws them."""
    if fig.layout.xaxis.categoryarray:
        return [str(c) for c in fig.layout.xaxis.categoryarray]
    seen: dict[str, None] = {}
    for trace in fig.data:
        for x in trace.x or ():
            seen.setdefault(str(x), None)
    return list(seen)


def add_markers(fig: go.Figure, markers: list[Marker]) -> go.Figure:
    """Draw the notes on a trend with a category x axis (`figures.trend`)."""
    order = _categories(fig)
    shown = [m for m in markers if m.first in order and m.last in order]
    if not shown:
        return fig
    ys = [y for t in fig.data for y in (t.y or ()) if isinstance(y, int | float)]
    top = max(ys, default=1.0) * 1.08 or 1.0
    grouped: dict[str, list[str]] = {}
    for m in shown:
        first, last = order.index(m.first), order.index(m.last)
        line = dict(color=COLOUR, width=2, dash="dot")
        if first == last:
            fig.add_vline(x=first, line=line, layer="below")
        else:
            fig.add_vrect(
                x0=first - 0.3, x1=last + 0.3, fillcolor=COLOUR, opacity=0.10, line_width=0
            )
        grouped.setdefault(m.first, []).append(hover_text(m))
    fig.add_trace(
        go.Scatter(
            x=list(grouped),
            y=[top] * len(grouped),
            mode="markers",
            name=LABEL,
            marker=dict(symbol="diamond", size=16, color=COLOUR, line=dict(color="white", width=1)),
            customdata=["<br><br>".join(texts) for texts in grouped.values()],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    return fig

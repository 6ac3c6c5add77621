"""The ranking of a peer group as HTML bars for `st.html`: best on top, the gemeente in blue,
every value printed at the end of its bar, the group's mean as a dashed line.

HTML rather than a chart library: the names and numbers are real text (sharp on a projector,
found with Ctrl+F) and the page loads no chart bundle. Names pass `safe.escape`.
"""

from __future__ import annotations

import pandas as pd

from dashboard.domain.explain import decimals
from dashboard.domain.fmt import fmt_number
from dashboard.render.safe import escape

OWN, OTHER = "#0072B2", "#BBBBBB"  # Okabe-Ito blue (`linechart.BLUE`); light grey

STYLE = """<style>
.vb-rang{font-size:.95rem;margin:0 0 .5rem 0}
.vb-rang .vb-mean{margin:0 0 .2rem calc(11rem + .6rem);font-size:.9rem}
.vb-rang .vb-dash{display:inline-block;width:1.6rem;border-top:2px dashed #000;
 vertical-align:middle}
.vb-rang .vb-rows{position:relative}
.vb-rang .vb-r{display:flex;align-items:center;gap:.6rem;height:1.45rem}
.vb-rang .vb-name{flex:0 0 11rem;text-align:right;white-space:nowrap;overflow:hidden;
 text-overflow:ellipsis}
.vb-rang .vb-track{flex:1;position:relative;height:100%;display:flex;align-items:center}
.vb-rang .vb-bar{height:1.05rem}
.vb-rang .vb-v{margin-left:.2rem;padding:0 .15rem;white-space:nowrap;position:relative;z-index:1;
 background:#fff}
.vb-rang .vb-own{font-weight:700}
.vb-rang .vb-line{position:absolute;top:0;bottom:0;border-left:2px dashed #000}
.vb-rang .vb-unit{margin:.2rem 0 0 calc(11rem + .6rem);color:#333;font-size:.9rem}
</style>"""


def ranking(
    values: pd.DataFrame,
    names: dict[str, str],
    highlight: str,
    better: str,
    unit: str,
    peer_value: float | None,
    peer_label: str,
    alt: str,
) -> str:
    """Horizontal bars of the peer group (`values`: area_code, value), best on top ('lager' is
    better: lowest first); `alt` (the ranking in words) is the image's text for a screen
    reader, and every bar's name and value its tooltip."""
    df = values.dropna(subset=["value"]).copy()
    df = df.sort_values(["value", "area_code"], ascending=[better == "lager", True])
    digits = decimals([*df["value"], peer_value], unit)
    top = max([*df["value"], peer_value or 0, 0]) or 1
    # The bars take at most 80% of the track: the value is printed after the longest one.
    scale = 80 / top
    rows = []
    for code, value in zip(df["area_code"], df["value"], strict=True):
        name = escape(names.get(code, code))
        own = code == highlight
        width = max(value, 0) * scale
        rows.append(
            f'<div class="vb-r{" vb-own" if own else ""}" title="{name}: '
            f'{escape(fmt_number(value, digits))}"><span class="vb-name">{name}</span>'
            f'<span class="vb-track"><span class="vb-bar" style="width:{width:.2f}%;'
            f'background:{OWN if own else OTHER}"></span>'
            f'<span class="vb-v">{escape(fmt_number(value, digits))}</span></span></div>'
        )
    mean = line = ""
    if peer_value is not None:
        text = escape(f"{peer_label}: {fmt_number(peer_value, digits)}")
        mean = f'<p class="vb-mean"><i class="vb-dash"></i> {text}</p>'
        # The line sits over the tracks, which start after the names.
        left = f"calc(11rem + .6rem + (100% - 11rem - .6rem) * {peer_value * scale / 100:.4f})"
        line = f'<span class="vb-line" style="left:{left}"></span>'
    return (
        f'{STYLE}<div class="vb-rang" role="img" aria-label="{escape(alt)}">{mean}'
        f'<div class="vb-rows">{"".join(rows)}{line}</div>'
        f'<p class="vb-unit">{escape(unit)}</p></div>'
    )

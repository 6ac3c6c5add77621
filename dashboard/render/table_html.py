"""Tables as HTML for `st.html`: a table that wraps (every column in view at 1920 px), each
cell plain text.

Not `st.table`: it renders every cell and header through the markdown renderer, which on a
page with the footprint (some 200 cells) or the Thema's page (two dozen tables) was the largest
part of the browser's work. Not `st.dataframe` either: a grid scrolls, and a briefing table must
show its columns at once. Every header and cell passes `safe.escape`; nothing here links or
loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from dashboard.render.safe import escape

STYLE = """<style>
.vb-tabel-w{overflow-x:auto;margin:0 0 .75rem 0}
.vb-tabel{border-collapse:collapse;font-size:.9rem;line-height:1.3;width:auto;max-width:100%}
.vb-tabel th,.vb-tabel td{border:1px solid rgba(49,51,63,.2);padding:.2rem .45rem;
 text-align:left;vertical-align:top}
.vb-tabel th{font-weight:600;background:#F0F2F6}
.vb-tabel .vb-heel{white-space:nowrap}
</style>"""


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def table(
    frame: pd.DataFrame,
    *,
    style: Callable[[str], str] | None = None,
    styled: Iterable[str] = (),
    whole: Iterable[str] = (),
    label: str = "",
) -> str:
    """`frame` as a table with its column names as headers (no index). `style(text)` gives the
    CSS of a cell in the `styled` columns (the footprint's verdicts); the cells of the `whole`
    columns do not break ("57,2 ± 4,4"). `label` names the table for a screen reader."""
    styled, whole = set(styled), set(whole)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(frame.columns, values, strict=True):
            text = _text(value)
            attrs = ' class="vb-heel"' if col in whole else ""
            if col in styled and style is not None:
                attrs += f' style="{escape(style(text))}"'
            cells.append(f"<td{attrs}>{escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    aria = f' aria-label="{escape(label)}"' if label else ""
    return (
        f'{STYLE}<div class="vb-tabel-w"><table class="vb-tabel"{aria}><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )

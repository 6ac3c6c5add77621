"""Tables as HTML for `st.html`: a table that wraps (every column in view at 1920 px), each
cell plain text.

Not `st.table`: it renders every cell and header through the markdown renderer, which on a
page with the footprint (some 200 cells) or the Thema's page (two dozen tables) was the largest
part of the browser's work. Not `st.dataframe` either: a grid scrolls, and a briefing table must
show its columns at once. Every header and cell passes `safe.escape`; nothing here links or
loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import pandas as pd

from dashboard.render.safe import escape

STYLE = """<style>
.vb-tabel-w{overflow-x:auto;margin:0 0 .75rem 0}
.vb-tabel{border-collapse:collapse;font-size:.9rem;line-height:1.3;width:auto;max-width:100%}
.vb-tabel th,.vb-tabel td{border:1px solid rgba(49,51,63,.2);padding:.2rem .45rem;
 text-align:left;vertical-align:top}
.vb-tabel th{font-weight:600;background:#F0F2F6}
.vb-tabel .vb-heel{white-space:nowrap}
.vb-tabel .vb-breek{overflow-wrap:anywhere}
.vb-tabel-w.vb-rol{max-height:34rem;overflow-y:auto;border-bottom:1px solid rgba(49,51,63,.2)}
.vb-rol .vb-tabel thead th{position:sticky;top:0;z-index:1}
</style>"""

WEB = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


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
    links: Iterable[str] = (),
    loose: Iterable[str] = (),
    label: str = "",
    scroll: bool = False,
) -> str:
    """`frame` as a table with its column names as headers (no index). `style(text)` gives the
    CSS of a cell in the `styled` columns (the footprint's verdicts); the cells of the `whole`
    columns do not break ("57,2 ± 4,4"), those of the `loose` columns may break inside a word
    (a long web address), so that a wide table still fits its frame. A cell of the `links`
    columns that is a web address (http or https, nothing else) is a link that opens in a new
    tab; the browser fetches nothing until it is followed. `label` names the table for a
    screen reader. `scroll`: a long table scrolls in a frame of about 30 rows with its header
    in view (the frame takes the keyboard's focus, so it scrolls by keyboard too)."""
    styled, whole, links, loose = set(styled), set(whole), set(links), set(loose)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(frame.columns, values, strict=True):
            text = _text(value)
            attrs = (
                ' class="vb-heel"' if col in whole else ' class="vb-breek"' if col in loose else ""
            )
            if col in styled and style is not None:
                attrs += f' style="{escape(style(text))}"'
            shown = escape(text)
            if col in links and WEB.fullmatch(text):  # named by its host, whole on hover
                host = escape(urlsplit(text).netloc)
                shown = (
                    f'<a href="{shown}" title="{shown}" target="_blank" '
                    f'rel="noopener noreferrer">{host}</a>'
                )
            cells.append(f"<td{attrs}>{shown}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    aria = f' aria-label="{escape(label)}"' if label else ""
    frame_attrs = ' class="vb-tabel-w"'
    if scroll:  # a region to scroll by keyboard, named like its table
        named = aria or ' aria-label="Tabel"'
        frame_attrs = f' class="vb-tabel-w vb-rol" tabindex="0" role="region"{named}'
    return (
        f'{STYLE}<div{frame_attrs}><table class="vb-tabel"{aria}><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )

"""Widgets shared by the pages: source lines, tables with Dutch headers, the map legend, the
upload form and the compact layout. Untrusted text goes through `render.safe` first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.domain.classify import MIN_POPULATION, NO_DATA, NOT_APPLICABLE
from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_upload
from dashboard.render.safe import escape, md, neutral_cells


def source_line(owner: str, table: str, period: str, extra: str = "") -> None:
    """Every figure names its source and period."""
    text = f"Bron: {md(owner)}, {md(table)}; periode {md(period)}."
    if extra:
        text += f" {md(extra)}"
    st.caption(text)


def dataframe(df: pd.DataFrame, columns: dict[str, str], **kwargs) -> None:
    """Show selected columns with Dutch headers; data are passed as data, never as HTML."""
    # The table's download button exports these cells: text from data files must not run as
    # a spreadsheet formula.
    view = neutral_cells(df[list(columns)].rename(columns=columns))
    kwargs.setdefault("height", grid_height(len(view)))
    st.dataframe(view, hide_index=True, **kwargs)


def grid_height(rows: int) -> str | int:
    """Every row of a short table in view ("content" follows the row height of the theme's
    font size, where a pixel count cut the last row off); a long one scrolls in a 640px frame."""
    return "content" if rows <= 15 else 640


def legend(meta: dict, legend: dict, period: str) -> None:
    """Colour legend with class bounds in Dutch number format. All text is escaped."""
    items = list(zip(legend["colours"], legend["labels"], strict=True))
    if legend["has_nvt"]:
        items.append((NOT_APPLICABLE, legend_nvt_text()))
    if legend["has_no_data"]:
        items.append((NO_DATA, "geen gegevens"))
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:10px;margin:4px 0">'
        f'<span style="width:28px;height:20px;background:{escape(colour)};'
        f'border:1px solid #555;display:inline-block"></span>'
        f"<span>{escape(label)}</span></div>"
        for colour, label in items
    )
    st.markdown(
        f'<div role="img" aria-label="Legenda" style="font-size:1rem">'
        f"<b>{escape(meta['name'])}</b><br/><span>{escape(meta['unit'])}, {escape(period)}"
        f" ({escape(legend['direction'])})</span>{rows}</div>",
        unsafe_allow_html=True,
    )


def legend_nvt_text() -> str:
    return f"n.v.t.: minder dan {MIN_POPULATION} inwoners"


def upload_form(eng) -> None:
    """The beheerder's upload form: the same importer and messages as the command line."""
    st.markdown(
        "Lees een CBS- of politie-download, het sjabloon met eigen cijfers "
        "(`data/sjabloon_indicatoren.csv`), een beleidsplan of gebiedsgrenzen in. Bij "
        "een fout wordt niets opgeslagen."
    )
    with st.form("upload", clear_on_submit=False):
        upload = st.file_uploader("Bestand", type=["csv", "geojson", "json", "gpkg", "zip"])
        dry_run = st.checkbox("Alleen controleren (proefimport)")
        submitted = st.form_submit_button("Inlezen")
    if not (submitted and upload is not None):
        return
    bar = st.progress(0.0, text="Bezig…")
    try:
        result = import_upload(
            eng,
            upload.name,
            upload.getvalue(),
            dry_run=dry_run,
            progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
        )
    except ValidationError as exc:
        bar.empty()
        st.error(
            f"Import geweigerd: {len(exc.problems)} probleem/problemen. Er is niets veranderd."
        )
        st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown
    else:
        bar.empty()
        st.success(f"Klaar: {result.status}.")
        st.code(result.summary(), language=None, wrap_lines=True)


def compact_layout() -> None:
    """Less white space at the top of the page, so an overview fits a 1920x1080 screen.
    Static CSS only; no data goes into this HTML."""
    st.markdown(
        "<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem;"
        "padding-bottom:0.5rem} h1{padding-top:0;padding-bottom:0.3rem}</style>",
        unsafe_allow_html=True,
    )

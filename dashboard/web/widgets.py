"""Widgets shared by the pages: source lines, tables with Dutch headers, the map legend, the
upload form and the compact layout. Untrusted text goes through `render.safe` first."""

from __future__ import annotations

import base64

import pandas as pd
import streamlit as st

from dashboard.domain import benchmark, explain, progress
from dashboard.domain.classify import MIN_POPULATION, NO_DATA, NOT_APPLICABLE
from dashboard.domain.fmt import neutralise
from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_upload
from dashboard.render import table_html, xlsx
from dashboard.render.safe import csv_bytes, escape, md, md_delta, neutral_cells
from dashboard.store import plans
from dashboard.web import figure as chart
from dashboard.web import lazy, login, mapkey


def source_line(owner: str, table: str, period: str, extra: str = "") -> None:
    """Every figure names its source and period."""
    text = f"Bron: {md(owner)}, {md(table)}; periode {md(period)}."
    if extra:
        text += f" {md(extra)}"
    st.caption(text)


def sources(parts: list[str], extra: str = "") -> None:
    """The source line of a view: every source with its period, in one caption."""
    text = f"Bron: {md('; '.join(parts))}."
    st.caption(f"{text} {md(extra)}" if extra else text)


def captions(notes: list[str]) -> None:
    """Notes under a table or chart (e.g. which areas a boundary change left out)."""
    for note in notes:
        st.caption(md(note))


def metrics(items, deltas: bool = True) -> None:
    """A view's headline figures side by side (`views.agenda.Metric`); `deltas`: show each
    figure's change (its note) under it."""
    for col, m in zip(st.columns(len(items)), items, strict=True):
        col.metric(
            m.label,  # built from fixed words and a checked period, never from file text
            m.value,
            delta=md_delta(m.note) if deltas and m.note else None,
            delta_color=m.delta_color,
            help=md(m.help) if m.help else None,
        )


def table(
    frame: pd.DataFrame,
    *,
    verdicts: bool = False,
    keep_together: bool = False,
    whole: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
    loose: tuple[str, ...] = (),
    scroll: bool = False,
    label: str = "",
) -> None:
    """A table that wraps (not a grid): every column in view at 1920 px, whatever the city's
    name; every cell plain text (`render.table_html`). `verdicts`: the footprint's verdict
    columns coloured; `keep_together`: its figures and verdicts do not break ("57,2 ± 4,4");
    `whole`: other columns whose cells do not break, `loose` those that may break inside a
    word; `links`: columns whose web addresses are links; `scroll`: a long table scrolls in its
    frame; `label`: its name for a screen reader."""
    inner = [c for c in frame.columns if c not in ("Indicator", "Eenheid", "Toelichting")]
    st.html(
        table_html.table(
            frame,
            style=benchmark.verdict_style if verdicts else None,
            styled=benchmark.verdict_columns(frame.columns) if verdicts else (),
            whole=(*inner, *whole) if keep_together else whole,
            links=links,
            loose=loose,
            label=label,
            scroll=scroll,
        )
    )


def doelen(doelen) -> None:
    """A thema's doelen in the plan's wording, each with its indicators' notes and its acties."""
    for doel in doelen:
        st.markdown(f"**{md(doel.prefix)}** {md(doel.text)}")
        for ind_code, ind_text in doel.indicators:
            st.markdown(f"*Indicator ({md(ind_code)}), toelichting:* {md(ind_text)}")
        st.caption(doel.sentence)
        table(doel.table)


def verdict_table(frame: pd.DataFrame, keep_together: bool = False) -> None:
    """A footprint table with its verdicts coloured (`table`)."""
    table(frame, verdicts=True, keep_together=keep_together)


def dataframe(
    df: pd.DataFrame, columns: dict[str, str] | None = None, *, download: str, **kwargs
) -> None:
    """Show selected columns with Dutch headers (None: every column as it is); data are
    passed as data, never as HTML."""
    view = df if columns is None else df[list(columns)].rename(columns=columns)
    kwargs.setdefault("height", grid_height(len(view)))
    grid(view, hide_index=True, download=download, **kwargs)


def grid(df: pd.DataFrame, verdicts: bool = False, *, download: str | None, **kwargs) -> None:
    """Every `st.dataframe` of the dashboard. Its toolbar's "Download as CSV" exports these
    cells, headers and row labels: text from data files must not run as a spreadsheet formula.
    Under it the same table as .xlsx (`download`: the file's name without .xlsx; None where
    the caller places `xlsx_button` itself). `verdicts`: colour the footprint's verdict
    columns."""
    _grid(df, verdicts, **kwargs)
    if download:
        xlsx_button(df, download)


def xlsx_button(df: pd.DataFrame, name: str, where=None) -> None:
    """A table as .xlsx, built when the button is pressed (Streamlit's deferred download)."""
    (where or st).download_button(
        "Tabel als Excel",
        lambda: xlsx.table_xlsx(xlsx.grid_cells(df)),
        file_name=f"{name}.xlsx",
        mime=xlsx.MIME,
        icon=":material/download:",
        help="Dezelfde tabel als Excel-bestand (.xlsx).",
    )


def _grid(df: pd.DataFrame, verdicts: bool, **kwargs) -> None:
    view = neutral_cells(df)
    view.columns = [neutralise(str(c)) for c in view.columns]
    if not pd.api.types.is_numeric_dtype(view.index):
        view.index = view.index.map(neutralise)
    if verdicts:
        view = view.style.map(benchmark.verdict_style, subset=benchmark.verdict_columns(view))
    st.dataframe(view, **kwargs)


def grid_height(rows: int) -> str | int:
    """Every row of a short table in view ("content" follows the row height of the theme's
    font size, where a pixel count cut the last row off); a long one scrolls in a 640px frame."""
    return "content" if rows <= 15 else 640


def legend(meta: dict, legend: dict, period: str) -> None:
    """Colour legend with class bounds in Dutch number format. All text is escaped."""
    items = list(zip(legend["colours"], legend["labels"], strict=True))
    if legend["has_nvt"] and "marks" not in legend:  # marked: the hatched swatch says it
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
        f" ({escape(legend['direction'])})</span>{rows}{mapkey.rows(legend)}</div>",
        unsafe_allow_html=True,
    )


def legend_nvt_text() -> str:
    return f"n.v.t.: minder dan {MIN_POPULATION} inwoners"


def upload_form(eng) -> None:
    """The beheerder's upload form: the same importer and messages as the command line."""
    st.markdown(
        "Lees een CBS- of politie-download, het sjabloon met eigen cijfers "
        "(`data/sjabloon_indicatoren.csv`, ook als Excel-bestand), een beleidsplan of "
        "gebiedsgrenzen in. Bij een fout wordt niets opgeslagen."
    )
    with st.form("upload", clear_on_submit=False):
        upload = st.file_uploader("Bestand", type=["csv", "xlsx", "geojson", "json", "gpkg", "zip"])
        sheet = st.text_input("Blad (alleen Excel; leeg: het eerste blad)", max_chars=31)
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
            progress=lambda f, m: bar.progress(min(f, 1.0), text=md(m)),
            sheet=sheet.strip() or None,
            user=st.session_state.get("user") or "",
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


def page_icon(path: str = "assets/icon.png") -> str:
    """The favicon as a data URL: Streamlit passes a URL on as it is, where it would read and
    re-encode an image file on every run of every page."""
    with open(path, "rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode("ascii")


def dutch_document() -> None:
    """Declare the page Dutch (`<html lang="nl">`), so screen readers read it with a Dutch voice.
    Streamlit's index.html says "en" and has no setting for it. Static script, no data."""
    # Its element is hidden (display:none still runs the script), so it takes no row of white
    # space; not in the sidebar, which presentation mode does not have.
    st.html(
        "<style>[data-testid='stElementContainer']:has(#lang-nl){display:none}</style>"
        "<span id='lang-nl'></span><script>document.documentElement.lang = 'nl';</script>",
        unsafe_allow_javascript=True,
    )


def compact_layout() -> None:
    """Less white space at the top of the page, so an overview fits a 1920x1080 screen.
    Static CSS only; no data goes into this HTML."""
    st.html(  # style only: Streamlit puts it out of the flow, no row of white space
        "<style>[data-testid='stMainBlockContainer']{padding-top:1.5rem;"
        "padding-bottom:0.5rem} h1{padding-top:0;padding-bottom:0.3rem}</style>"
    )


def progress_form(eng, plan_id: str, view, acts, titles: dict, wijk_names: dict, gemeente: str):
    """The redacteur's form to register progress of one actie (validated in `store.plans`)."""
    if flash := st.session_state.pop("policy_flash", None):
        st.success(flash)
    if not login.may(progress.ROLE):
        st.caption("Voortgang registreren kan alleen een redacteur (log in via de zijbalk).")
        return
    action = st.selectbox("Actie", view["code"].tolist(), format_func=lambda c: f"{c} {titles[c]}")
    cur = progress.current(acts, action)
    st.caption(f"Nu: {cur['status']}. {md(progress.short(cur['text'], 300))}")
    form = {"plan_id": plan_id, "action_code": action, "user": st.session_state.get("user")}
    form.update(role=login.role(), gemeente=gemeente)
    with st.form("voortgang"):
        form |= {
            "status": st.selectbox(
                "Status",
                progress.STATUSES,
                progress.status_index(cur),
                placeholder="Kies een status",
            ),
            "owner": st.text_input("Eigenaar of partner", value=cur["owner"] or ""),
            "wijken": st.multiselect(
                "Wijk(en), optioneel", list(wijk_names), cur["wijken"], format_func=wijk_names.get
            ),
        }
        left, right = st.columns(2)
        form["update_date"] = left.date_input("Datum van de update", format="DD-MM-YYYY")
        form["due_date"] = right.date_input(
            "Gepland gereed (optioneel)", value=cur["due_date"], format="DD-MM-YYYY"
        )
        form["note"] = st.text_area("Toelichting en bewijs (wat is er gebeurd, waar staat het?)")
        submitted = st.form_submit_button("Update opslaan", type="primary")
    if submitted:
        try:
            plans.register_update(eng, **form)
        except ValidationError as exc:
            st.error("Update niet opgeslagen; er is niets veranderd. Wat ontbreekt:")
            st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown
        else:
            st.session_state["policy_flash"] = f"Update voor {action} opgeslagen: {form['status']}."
            st.rerun()


def footprint_notices(comps, group: str, label: str, base: str, latest: str, periods) -> None:
    """What the reader must know before reading a footprint: two years across the
    Veiligheidsmonitor's break (with the comparable pairs to open), or a G32 after 2017."""
    brk = next(
        (c.series_break for c in comps if benchmark.crosses_break(c.series_break, base, latest)),
        None,
    )
    offers = []
    if brk:
        pairs = benchmark.comparable_pairs(brk, base, latest, periods)
        st.info(explain.break_notice(brk, base, latest, pairs))
        offers = [(f"Bekijk {a}–{b}", {"basisjaar": a, "jaar": b}) for a, b in pairs]
    if group == "g32" and int(latest[:4]) > 2017:
        st.info(explain.group_notice(label, latest))
        offers.append(("Vergelijk met de G40", {"vergelijking": "g40"}))
    for (text, params), col in zip(offers, st.columns(max(len(offers), 1)), strict=False):
        if col.button(text):
            st.query_params.update(params)
            st.rerun()


def four_sides(view, figure) -> None:
    """The section "Vier kanten van veiligheid" (`views.four_sides.FourSides`): the four
    panels, the sentence on the gap, the latest figures with their verdicts, the method and
    the sources."""
    st.subheader("Vier kanten van veiligheid")
    st.caption(md(view.caption))
    chart.show(figure)  # the four panels (SVG), `view.alt` their words
    st.markdown(f"**{md(view.sentence)}**")
    verdict_table(view.latest_frame(), keep_together=True)
    left, right = st.columns(2)
    with left, lazy.expander("Hoe komen de vier kanten tot stand?", "vier-kanten-uitleg") as open_:
        if open_:  # our own text; the city's name passes md() in the view
            st.markdown(view.method)
    with right, lazy.expander(explain.TABLE_LABEL, "vier-kanten-tabel") as shown:
        if shown:  # built only when opened
            table = view.series_frame()
            dataframe(table, download=f"vier_kanten_{view.group}_{view.upto}")
    sources(view.sources, "Elke kant op zijn eigen schaal, met foutmarges (95%).")


def csv_download(label: str, frame: pd.DataFrame, name: str) -> None:
    """A table as a formula-safe CSV download, and beside it the same table as .xlsx."""
    row = st.container(horizontal=True)
    row.download_button(
        label,
        lambda: csv_bytes(frame),  # built on click, like the .xlsx
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    row.download_button(
        label.replace("CSV", "Excel") if "CSV" in label else f"{label} (Excel)",
        lambda: xlsx.table_xlsx(frame),  # built on click, not on every run
        file_name=f"{name}.xlsx",
        mime=xlsx.MIME,
        icon=":material/download:",
    )

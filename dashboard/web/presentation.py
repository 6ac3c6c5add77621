"""Presentation mode (`?modus=presentatie`): the dashboard on a projector.

No sidebar, no controls, large type, high contrast. Each page shows one calm view (the same
content as the briefing export, see `agenda`), with its title, source and period. The agenda
Veiligheidsbeeld → wijk → G32 → thema's is stepped with the keyboard or a presenter's clicker
(Right, Page Down or Space: next; Left or Page Up: back; Home/End: first/last; Esc: leave).
The keys are Streamlit button shortcuts on buttons that are hidden: nothing to see or click,
no script of our own, nothing fetched from outside.
"""

from __future__ import annotations

import streamlit as st

from dashboard.domain import explain, missing, overview, progress
from dashboard.render import progress_html, safe
from dashboard.store import plans
from dashboard.views import agenda, urls
from dashboard.web import cache, context, mapkey, widgets

CARRIED = ("gebied", "basisjaar", "jaar", urls.GEMEENTE)  # travels with the agenda
NEXT_KEYS, PREV_KEYS = ("Right", "PageDown", "Space"), ("Left", "PageUp")
ROWS = 10  # table rows on one slide; the briefing and the detailed pages have them all

# Static CSS only: no data in this HTML. rem-based sizes all grow with the root font size.
CSS = """<style>
html { font-size: 22px; }
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],
[data-testid='stHeader'], [data-testid='stToolbar'], [data-testid='stDecoration'],
[data-testid='stElementToolbar'],
.st-key-presentatie-knoppen { display: none !important; }
[data-testid='stMainBlockContainer'] { padding: 0.6rem 2rem 0.2rem; max-width: 100%; }
[data-testid='stMetricDelta'] { font-size: 0.85rem; }
[data-testid='stApp'], [data-testid='stMain'] { background: #ffffff; color: #000000; }
h1 { font-size: 2.2rem !important; padding: 0 0 0.2rem !important; color: #000000; }
[data-testid='stMetricValue'] { font-size: 2.6rem; font-weight: 700; color: #000000; }
[data-testid='stMetricLabel'] p { font-size: 1rem; color: #000000; }
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * {
  color: #222222 !important; font-size: 0.85rem; }
[data-testid='stCaptionContainer'] { opacity: 1 !important; }
table td, table th { font-size: 0.9rem; color: #000000; padding: 0.2rem 0.45rem !important; }
table td:not(:first-child) { white-space: nowrap; }
</style>"""


def presenting() -> bool:
    return urls.presenting(st.query_params)


def link_params(params: dict[str, str], on: bool) -> dict[str, str]:
    """The current selection with presentation mode switched on or off."""
    out = {k: v for k, v in params.items() if k != "modus"}
    return {**out, "modus": urls.PRESENTATION} if on else out


def step_target(here: str, move: str) -> str:
    """The agenda step to go to from a page (`here` is its url path) for a key press."""
    steps = [agenda.STEP_PAGES[s] for s in agenda.STEPS]
    index = steps.index(here) if here in steps else -1
    return {
        "next": steps[min(index + 1, len(steps) - 1)],
        "prev": steps[max(index - 1, 0)],
        "first": steps[0],
        "last": steps[-1],
    }[move]


def _controls(pages: dict[str, st.Page], here: str) -> None:
    """Hidden buttons whose keyboard shortcuts step through the agenda."""
    params = st.query_params.to_dict()
    carried = {k: params[k] for k in CARRIED if k in params}
    moves = [(k, "next") for k in NEXT_KEYS] + [(k, "prev") for k in PREV_KEYS]
    moves += [("Home", "first"), ("End", "last")]
    with st.container(key="presentatie-knoppen"):
        for key, move in moves:
            if st.button(f"{move} ({key})", key=f"presentatie-{key}", shortcut=key):
                target = step_target(here, move)
                st.switch_page(pages[target], query_params=link_params(carried, True))
        if st.button("Presentatie stoppen (Esc)", key="presentatie-Esc", shortcut="Esc"):
            st.switch_page(pages[here], query_params=link_params(params, False))


def _footer(view_sources: list[str], here: str, release: str) -> None:
    steps = [agenda.STEP_PAGES[s] for s in agenda.STEPS]
    where = (
        f"Stap {steps.index(here) + 1} van {len(steps)}" if here in steps else "Buiten de agenda"
    )
    st.caption(
        f"Bron: {safe.md('; '.join(view_sources))}. {safe.md(release)}  \n"
        f"{where} · → of PgDn: volgende · ← of PgUp: vorige · Esc: presentatie stoppen"
    )


def _metrics(view: agenda.View) -> None:
    if not view.metrics:
        return
    for col, m in zip(st.columns(len(view.metrics)), view.metrics, strict=True):
        col.metric(
            safe.md(m.label),
            m.value,
            delta=safe.md_delta(m.note) or None,
            delta_color="off",
            delta_arrow="off",
        )


def _table(table: agenda.Table, rows: int = ROWS, verdicts: bool = False) -> None:
    frame = table.frame.head(rows).reset_index(drop=True)
    st.markdown(f"**{safe.md(table.caption)}**")
    widgets.table(frame, verdicts=verdicts)
    if len(table.frame) > rows:
        st.caption(
            f"De eerste {rows} van {len(table.frame)} rijen; alle rijen in de briefing en op "
            "de pagina zelf (Esc)."
        )


def _map(eng, version, gemeente: str, spec: agenda.MapSpec, height: int) -> dict:
    """The map of a view; returns its marks and key for the legend."""
    legend: dict = {}
    st.markdown(f"**{safe.md(spec.caption)}**")
    if spec.highlight and spec.indicator is None:
        deck = cache.locator_deck(eng, version, gemeente, spec.level, spec.highlight)
    else:
        # Fitted inside the slide's map column at 1920x1080 (534 pixels), where the
        # labels are placed.
        data = cache.kaart_view(
            eng, version, gemeente, spec.level, spec.indicator, spec.period, (520, height - 10)
        )
        deck = data["deck"]
        legend = data["legend"]
    st.pydeck_chart(deck, height=height, alt=spec.caption)
    return legend


def _beeld(eng, version, gemeente: str, view: agenda.View) -> None:
    _metrics(view)
    # As on the page: the sentences go under the tables, beside the map, so that the slide
    # keeps to one screen.
    left, rest = st.columns([4, 9], gap="medium")
    middle, right = rest.columns([5, 4], gap="medium")
    if view.map is not None:
        with left:
            legend = _map(eng, version, gemeente, view.map, 440)
            mapkey.compact(view.map.legend, legend)
    tables = {t.key: t for t in view.tables}
    footprint, themes = tables.get("footprint"), tables.get("themas")
    with middle:
        if footprint is not None:
            _table(footprint, rows=9, verdicts=True)
    with right:
        if themes is not None:
            # The plan's own level names the first column ("Thema", or "Doel" in a begroting).
            wanted = [themes.frame.columns[0], "Acties", "afgerond", "loopt", "nog geen update"]
            frame = themes.frame[[c for c in wanted if c in themes.frame.columns]]
            frame = progress.without_empty_statuses(frame)
            _table(agenda.Table(themes.caption, frame))
    with rest if view.map is not None else st.container():
        for sentence in view.sentences:
            st.markdown(safe.md(sentence))


def _wijk(eng, version, gemeente: str, view: agenda.View) -> None:
    _metrics(view)
    left, right = st.columns([2, 3], gap="medium")
    with left:
        code = view.params.get("gebied")
        deck = cache.locator_deck(eng, version, gemeente, "wijk", code)
        if deck is not None:
            st.markdown(f"**Ligging van {safe.md(view.title)}**")
            st.pydeck_chart(deck, height=400, alt=f"Ligging van {view.title}")
        for sentence in [*view.sentences, *view.notes]:
            st.markdown(safe.md(sentence))
    with right:
        if view.tables:
            _table(view.tables[0], rows=8)


def _g32(view: agenda.View) -> None:
    footprint = view.table("footprint")
    if footprint is None:
        st.info("Nog geen vergelijking met de G32 mogelijk.")
        return
    frame = footprint.frame
    tested = frame[~frame.iloc[:, 2].str.contains("geen", na=False)]
    _table(agenda.Table(footprint.caption, tested), rows=12, verdicts=True)


def _themas(view: agenda.View) -> None:
    for sentence in view.sentences:
        st.markdown(f"### {safe.md(sentence)}")
    acts = view.actions  # the gemeente's own plan (None or empty without one)
    if acts is not None and (acts["status"] != progress.NOT_REGISTERED).any():
        labels = progress.group_labels(view.themes, acts["theme_code"], 40)
        alt = explain.progress_alt(view.levels[0], progress.status_sentence(acts))
        bars = progress_html.bars(progress.shares(acts, "theme_code"), labels, alt)
        st.html(f'<div style="font-size:1.35rem">{bars}</div>')
    for table in view.tables:
        _table(table)


def _kaart(eng, version, gemeente: str) -> list[str]:
    options = {lv: cache.level_options(eng, version, lv, gemeente) for lv in urls.LEVELS}
    choices = {lv: dict(zip(df["id"], df["periods"], strict=True)) for lv, df in options.items()}
    view, _notices = urls.parse_view(st.query_params, choices, {}, list(overview.MAP_INDICATORS))
    city = cache.area_name(eng, version, gemeente) or gemeente
    if not view.indicator:
        st.title(f"Kaart van {safe.md(city)}")
        st.info(safe.md(missing.no_area_figures(city)))
        return []
    data = cache.kaart_view(eng, version, gemeente, view.niveau, view.indicator, view.jaar)
    st.title(f"{safe.md(data['meta']['name'])}, {view.jaar}")
    left, right = st.columns([4, 1])
    with left:
        if data["deck"] is None:
            st.info(safe.md(missing.no_shapes(city, view.niveau)))
        else:
            st.pydeck_chart(data["deck"], height=780, alt=f"Kaart {data['meta']['name']}")
    with right:
        widgets.legend(data["meta"], data["legend"], view.jaar)
    return [f"{data['source']['owner']}, {data['source']['table']}; periode {view.jaar}"]


def _data(eng, version) -> list[str]:
    st.title("Bronnen van dit dashboard")
    src = cache.sources(eng, version)
    frame = src[["owner", "title"]].rename(columns={"owner": "Eigenaar", "title": "Bron"})
    _table(agenda.Table("Ingelezen bronnen", frame), rows=20)
    return ["zie de tabel"]


def run(pages: dict[str, st.Page], here: str) -> None:
    """Draw the current page as a presentation slide."""
    st.html(CSS)
    _controls(pages, here)
    eng = context.engine()
    version = context.data_version(eng)
    gemeente = context.gemeente()
    key = (version, plans.progress_version(eng))
    release = cache.release_text(eng, version)
    if here == "kaart":
        _footer(_kaart(eng, version, gemeente), here, release)
        return
    if here == "data":
        _footer(_data(eng, version), here, release)
        return
    step = agenda.PAGE_STEPS[here]
    spec = urls.parse_agenda(
        st.query_params,
        cache.areas(eng, version, "wijk", gemeente),
        cache.gemeente_periods(eng, version, gemeente),
        cache.footprint_years(eng, version, gemeente),
    )
    focus, base, latest = spec.gebied, spec.basisjaar, spec.jaar
    built = cache.view_for(eng, key, gemeente, step, focus, base, latest)
    if built is None:
        city = cache.area_name(eng, version, gemeente) or gemeente
        st.title("Nog geen gegevens")
        lacks = missing.no_areas(city) if step == "wijk" else missing.no_gemeente_figures(city)
        st.info(safe.md(lacks))
        _footer(["nog geen gegevens"], here, release)
        return
    st.title(safe.md(built.title))
    if step == "beeld":
        _beeld(eng, version, gemeente, built)
    elif step == "wijk":
        _wijk(eng, version, gemeente, built)
    elif step == "g32":
        _g32(built)
    else:
        _themas(built)
    _footer(built.sources, here, release)

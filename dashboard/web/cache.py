"""Typed cache wrappers: one cached function per read, keyed by the data version.

`version` (from `context.data_version`) changes with every import and differs per database,
so a new import shows at once and tests on copies never share entries. The engine is passed
as `_eng` (not hashed). Progress of a plan changes without an import: the views that show it
are keyed by `(data version, plans.progress_version)`.

Every cache is bounded, so memory stays flat however many gemeenten, selections and imports
a server sees: at most `MAX_ENTRIES` entries and `MAX_SIZE` pickled bytes per data function,
and entries older than `TTL` are dropped (an import makes a new version key; the old entries
would otherwise stay until the process ends). `memory()` reports what the caches hold.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard.domain import benchmark, explain, progress
from dashboard.render import figures as fig
from dashboard.render import progress_html, ranking_html, svgmap
from dashboard.store import plans as plan_store
from dashboard.store import queries
from dashboard.views import agenda, four_sides, maps
from dashboard.views import briefing as pdf
from dashboard.views import notes as notes_view
from dashboard.views import theme_sections as sections_view

MAX_ENTRIES = 256  # per data function: selections x gemeenten x versions
MAX_SIZE = "64MB"  # pickled bytes per data function
TTL = "6h"
SHARED_ENTRIES = 128  # figures and decks per function

_data = st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, max_size=MAX_SIZE, ttl=TTL)
# Shared objects that pages only read (figures, decks): never changed in place.
_shared = st.cache_resource(show_spinner=False, max_entries=SHARED_ENTRIES, ttl=TTL)


# ---------------------------------------------------------------- queries
@_data
def sources(_eng, version: tuple) -> pd.DataFrame:
    return queries.sources(_eng)


@_data
def sources_by_key(_eng, version: tuple) -> dict[str, dict]:
    return queries.sources_by_key(_eng)


@_data
def indicators(_eng, version: tuple, include_auto: bool = True) -> pd.DataFrame:
    return queries.indicators(_eng, include_auto)


@_data
def coverage(_eng, version: tuple) -> pd.DataFrame:
    return queries.coverage(_eng)


@_data
def conflicts(_eng, version: tuple, gemeente: str) -> pd.DataFrame:
    return queries.conflicts(_eng, gemeente)


@_data
def releases(_eng, version: tuple) -> pd.DataFrame:
    return queries.releases(_eng)


@_data
def area_name(_eng, version: tuple, code: str) -> str | None:
    return queries.area_name(_eng, code)


@_data
def areas(_eng, version: tuple, level: str, gemeente: str) -> pd.DataFrame:
    return queries.areas(_eng, level, gemeente)


@_data
def level_options(_eng, version: tuple, level: str, gemeente: str) -> pd.DataFrame:
    return queries.level_options(_eng, level, gemeente)


@_data
def series(_eng, version: tuple, indicator_id: str, area_codes: list[str]) -> pd.DataFrame:
    return queries.series(_eng, indicator_id, area_codes)


@_data
def gemeente_names(_eng, version: tuple) -> dict[str, str]:
    return queries.gemeente_names(_eng)


@_data
def gemeenten_with_data(_eng, version: tuple) -> dict[str, str]:
    return queries.gemeenten_with_data(_eng)


@_data
def gemeente_periods(_eng, version: tuple, gemeente: str) -> list[str]:
    return queries.gemeente_periods(_eng, gemeente)


# ---------------------------------------------------------------- plans
@_data
def plan_for(_eng, version: tuple, gemeente: str) -> dict | None:
    """The gemeente's own plan (its most recently imported), or None."""
    return plan_store.plan_for(_eng, gemeente)


@_data
def indicator_panels(_eng, version: tuple, plan_id: str, area_code: str) -> dict[str, list]:
    return plan_store.indicator_panels(_eng, plan_id, area_code)


# ---------------------------------------------------------------- views
@_data
def plan_progress(_eng, key: tuple, plan_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(updates, acties with their current state) of a plan; `key` is (data version, progress
    version): a registered update shows at once."""
    upd = plan_store.updates(_eng, plan_id)
    return upd, progress.actions(plan_store.elements(_eng, plan_id), upd)


@_shared
def theme_outline(_eng, version: tuple, plan_id: str) -> sections_view.Outline:
    """The plan's levels, thema's, titles and budgets (shared: pages only read it)."""
    return sections_view.outline(plan_store.elements(_eng, plan_id))


@_shared
def theme_progress(
    _eng, key: tuple, plan_id: str, shown: tuple[str, ...], one: bool
) -> sections_view.Progress:
    """'Voortgang per thema' of the thema's shown (per doel when `one`); `key` as above."""
    acts = plan_progress(_eng, key, plan_id)[1]
    plan = theme_outline(_eng, key[0], plan_id)
    return sections_view.progress_part(acts, plan, list(shown), one)


@_shared
def theme_sections(_eng, key: tuple, plan_id: str, gemeente: str, city: str) -> dict:
    """The Thema's page's sections per thema (`views.theme_sections`); `key` as above.
    Shared, not copied: the page only reads them."""
    els = plan_store.elements(_eng, plan_id)
    acts = plan_progress(_eng, key, plan_id)[1]
    wijken = queries.areas(_eng, "wijk", gemeente)
    names = dict(zip(wijken["code"], wijken["name"], strict=True))
    panels = plan_store.indicator_panels(_eng, plan_id, gemeente)
    return sections_view.sections(els, acts, names, panels, city)


@_data
def footprint_years(_eng, version: tuple, gemeente: str) -> tuple[str, str] | None:
    return agenda.footprint_years(_eng, gemeente)


@_data
def release_text(_eng, version: tuple) -> str:
    return agenda.release_text(_eng)


@_data
def view_for(_eng, key: tuple, gemeente: str, step: str, focus, base: str, latest: str):
    """One agenda view; `key` is (data version, progress version[, notes version])."""
    return agenda.view_for(_eng, gemeente, step, focus, base, latest)


@_data
def footprint(_eng, version: tuple, gemeente: str, group: str, base: str, latest: str):
    """All comparisons for the footprint, computed once per data version and selection."""
    return agenda.footprint(_eng, gemeente, group, base, latest)


@_data
def footprint_page(
    _eng, version: tuple, gemeente: str, group: str, base: str, latest: str, city: str, label: str
) -> tuple[pd.DataFrame, list[str]]:
    """The footprint as the G32 page shows it (every row, in words) and its sentences for a
    briefing, once per data version and selection."""
    comps, _ = footprint(_eng, version, gemeente, group, base, latest)
    frame = benchmark.footprint_frame(comps, city, label)
    return frame, [benchmark.sentence(c, city, label) for c in comps if c.own[latest].ok]


@_data
def trend_vs_group(_eng, version: tuple, indicator_id: str, gemeente: str, group: str) -> dict:
    """The gemeente's series and the group's mean (CBS aggregate where published) and range."""
    return agenda.trend_vs_group(_eng, indicator_id, gemeente, group)


@_shared
def four_sides_figure(_eng, version: tuple, gemeente: str, group: str, upto: str):
    """The four sides of safety against the group (each up to `upto`) and their figure."""
    view = four_sides.four_sides(_eng, gemeente, group, upto)
    return view, fig.four_sides(view.sides, view.city, view.alt)


@_data
def base_layers(_eng, version: tuple, gemeente: str, level: str) -> dict:
    """Simplified shapes of a level with its context, once per data version."""
    return maps.base_layers(_eng, gemeente, level)


@_shared
def kaart_view(
    _eng, version: tuple, gemeente: str, niveau: str, indicator: str, jaar: str, size=None
) -> dict:
    """Everything a map of one selection draws (its deck JSON serialised only once)."""
    base = base_layers(_eng, version, gemeente, niveau)
    return maps.kaart_view(_eng, base, gemeente, niveau, indicator, jaar, size)


@_shared
def kaart_svg(
    _eng, version: tuple, gemeente: str, niveau: str, indicator: str, jaar: str, size: tuple
) -> str | None:
    """The map of `kaart_view` as SVG of `size` pixels (None without borders), drawn once."""
    deck = kaart_view(_eng, version, gemeente, niveau, indicator, jaar, size)["deck"]
    return None if deck is None else svgmap.svg(deck, *size, f"Kaart van de {niveau}en")


@_shared
def group_svg(
    _eng, version: tuple, indicator_id: str, period: str, gemeente: str, group: str, label: str
) -> str | None:
    """The national map of the group's gemeenten, the gemeente outlined, as one SVG image with
    `label` as its text (None without shapes): no deck.gl bundle on the G32 page. Its deck is
    not kept: only the SVG is drawn from it."""
    deck = maps.group_map(_eng, indicator_id, period, gemeente, group)
    return None if deck is None else svgmap.svg(deck, 640, 400, label, choose=False, per_px=2)


@_shared
def locator_deck(_eng, version: tuple, gemeente: str, level: str, code: str):
    """A small map that shows where one wijk or buurt lies in the gemeente."""
    return maps.locator_deck(base_layers(_eng, version, gemeente, level), code)


# Figures are built once per distinct argument values (data frames are hashed by content, so
# new progress or a new import makes a new one) and shared: `st.html` only reads them.
_figure = st.cache_resource(show_spinner=False, max_entries=256, ttl=TTL)


@_figure
def progress_bars(long: pd.DataFrame, labels: dict[str, str], alt: str) -> str:
    return progress_html.bars(long, labels, alt)


@_shared
def area_notes(_eng, key: tuple, gemeente: str, code: str) -> notes_view.AreaNotes:
    """The Wijkprofiel's notes of one area; `key` is (data version, notes version): a stored
    note shows at once."""
    return notes_view.area_notes(_eng, gemeente, code)


@_shared
def notes_trend(_eng, key: tuple, gemeente: str, code: str, indicator_id: str) -> notes_view.Trend:
    """One indicator of the area over the years with its notes marked; `key` as above."""
    part = area_notes(_eng, key, gemeente, code)
    return notes_view.trend(_eng, part.values, code, indicator_id, part.found)


@_figure
def theme_progress_bars(_eng, key: tuple, plan_id: str, shown: tuple[str, ...], one: bool):
    part = theme_progress(_eng, key, plan_id, shown, one)
    alt = explain.progress_alt(part.head, part.sentence)
    return progress_html.bars(part.shares, part.labels, alt)


@_figure
def theme_tree(_eng, key: tuple, plan_id: str, shown: tuple[str, ...], alt: str) -> str:
    """The Thema's page's doelenboom of the thema's shown (HTML), keyed by cheap values
    (hashing the plan's elements on every rerun cost more than drawing)."""
    els = plan_store.elements(_eng, plan_id)
    acts = plan_progress(_eng, key, plan_id)[1]
    view = acts[acts["theme_code"].isin(shown)]
    return progress_html.tree(els, view[["code", "status"]], list(shown), alt)


@_figure
def panel_figures(_eng, key: tuple, plan_id: str, gemeente: str, city: str) -> dict:
    """The trend of every indicator panel of the Thema's page, by (thema, position)."""
    return {
        (code, i): fig.trend(p.values, city, None, "", p.unit, alt=p.words, frame=fig.SMALL)
        for code, sec in theme_sections(_eng, key, plan_id, gemeente, city).items()
        for i, p in enumerate(sec.panels)
        if p.rows is not None
    }


@_shared
def trend_figure(
    _eng,
    version: tuple,
    indicator_id: str,
    gemeente: str,
    group: str,
    own_label: str,
    group_label: str,
    unit: str,
    series_break: int | None,
    alt: str,
) -> tuple[dict, str]:
    """The gemeente against its group over all years: data and chart (SVG, `alt` its words),
    built once per version."""
    data = trend_vs_group(_eng, version, indicator_id, gemeente, group)
    own, peers = data["own"], data["peers"]
    return data, fig.trend(own, own_label, peers, group_label, unit, series_break, alt=alt)


@_shared
def indicator_words(
    _eng,
    version: tuple,
    gemeente: str,
    group: str,
    base: str,
    latest: str,
    indicator_id: str,
    city: str,
    group_label: str,
) -> dict:
    """The G32 page's 'Per indicator' in words: the group's ranking rows and its sentence,
    and the sentence on the trend; once per version and selection (the page only reads it)."""
    comps, data = footprint(_eng, version, gemeente, group, base, latest)
    comp = next(c for c in comps if c.indicator_id == indicator_id)
    names = gemeente_names(_eng, version)
    rows = explain.ranking_rows(
        data["values"], data["members"], gemeente, indicator_id, latest, names, comp.better
    )
    unit = comp.unit
    peer = comp.peer[latest].value
    trend = trend_vs_group(_eng, version, indicator_id, gemeente, group)
    return {
        "rows": rows,
        "ranking": explain.ranking_sentence(rows, gemeente, city, group_label, latest, unit, peer),
        "trend": explain.trend_sentence(trend["own"], trend["peers"], city, group_label, unit),
    }


@_shared
def ranking_bars(
    _eng,
    version: tuple,
    gemeente: str,
    group: str,
    base: str,
    latest: str,
    indicator_id: str,
    group_label: str,
    alt: str,
) -> str:
    """Ranking of the group in the latest year, the gemeente highlighted (HTML)."""
    comps, data = footprint(_eng, version, gemeente, group, base, latest)
    comp = next(c for c in comps if c.indicator_id == indicator_id)
    values = data["values"]
    in_year = values[(values["indicator_id"] == indicator_id) & (values["period"] == latest)]
    in_year = in_year[in_year["area_code"].isin(set(data["members"]) | {gemeente})]
    names = gemeente_names(_eng, version)
    peer = comp.peer[latest].value
    return ranking_html.ranking(
        in_year, names, gemeente, comp.better, comp.unit, peer, group_label, alt
    )


@st.cache_data(show_spinner=False, max_entries=16, ttl=TTL)
def briefing(_eng, key: tuple, gemeente: str, parts: tuple[str, ...], focus, day: str):
    """The briefing PDF and a PNG per page, made once per data version, choice and day."""
    made = pdf.briefing_pdf(_eng, gemeente, parts, focus, datetime.fromisoformat(day))
    return made, pdf.page_pngs(made)


def memory() -> dict[str, dict[str, int]]:
    """What this process's caches hold: per cached function its entries and bytes (pickled
    size for data caches, an estimate of the objects for shared ones). Reads Streamlit's own
    cache statistics (the ones its /_stcore/metrics endpoint serves); for benchmarks."""
    from streamlit.runtime.caching.cache_data_api import _data_caches
    from streamlit.runtime.caching.cache_resource_api import _resource_caches
    from streamlit.runtime.stats import safe_sizeof

    out: dict[str, dict[str, int]] = {}
    for kind, caches in (("data", _data_caches), ("resource", _resource_caches)):
        with caches._caches_lock:
            functions = [c for per in caches._function_caches.values() for c in per.values()]
        for cache in functions:
            name = f"{kind}:{getattr(cache, 'display_name', '?')}"
            row = out.setdefault(name, {"entries": 0, "bytes": 0})
            if kind == "data":
                stats = [s for fam in cache.get_stats().values() for s in fam]
                row["entries"] += len(stats)
                row["bytes"] += sum(s.byte_length for s in stats)
            else:
                with cache._mem_cache_lock:
                    entries = list(cache._mem_cache.values())
                row["entries"] += len(entries)
                row["bytes"] += sum(safe_sizeof(e) for e in entries)
    return out

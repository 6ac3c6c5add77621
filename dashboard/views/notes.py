"""Notes on the figures as the screens show them: the list of an area's notes (the
Wijkprofiel, its slide and its page of the briefing) and the trend of one indicator for the
area with the notes marked on it. Plain data and figures; no Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from dashboard.domain import explain
from dashboard.domain import notes as rules
from dashboard.domain.fmt import fmt_date
from dashboard.domain.progress import LOCAL_TZ
from dashboard.render import figures
from dashboard.store import notes as store
from dashboard.store import plans, queries
from dashboard.views.model import Table

MAX_IN_BRIEFING = 15
SOURCE = "notities van ingelogde professionals in dit dashboard, met auteur en datum"
COLUMNS = ["Gebied", "Indicator", "Periode", "Notitie", "Door", "Datum"]


def related_areas(engine: Engine, gemeente: str, code: str) -> list[str]:
    """The area, and the buurten of a wijk or the wijk of a buurt: notes a reader of this
    area's profile needs."""
    if code.startswith("WK"):
        kids = queries.areas(engine, "buurt", gemeente)
        return [code, *kids.loc[kids["parent_code"] == code, "code"]]
    buurten = queries.areas(engine, "buurt", gemeente).set_index("code")
    parent = buurten.at[code, "parent_code"] if code in buurten.index else None
    return [code, parent] if parent else [code]


def _local(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp  # SQLite drops the zone
    return fmt_date(stamp.tz_convert(LOCAL_TZ).to_pydatetime())


def display(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Notes (`store.notes.notes`) as the table readers see: area, indicator, period, text,
    who and when (a changed note says so). Text unescaped: each screen escapes its own way."""
    rows = []
    for n in frame.itertuples():
        when = _local(n.changed_at)
        if n.version > 1:
            when += f" (versie {n.version}; eerst door {n.created_by}, {_local(n.created_at)})"
        rows.append(
            [
                f"{names.get(n.area_code, n.area_code)} ({n.area_code})",
                n.indicator or n.indicator_id or "hele gebied",
                rules.period_text(n.period_from, n.period_to),
                n.text,
                n.author,
                when,
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def area_names(engine: Engine, gemeente: str) -> dict[str, str]:
    out = {}
    for level in ("wijk", "buurt"):
        areas = queries.areas(engine, level, gemeente)
        out.update(zip(areas["code"], areas["name"], strict=True))
    return out


def notes_table(engine: Engine, gemeente: str, code: str) -> Table | None:
    """The notes on an area (and its buurten or wijk) for a slide and the briefing; None
    without notes. The newest first, at most `MAX_IN_BRIEFING`."""
    found = store.notes(engine, gemeente, related_areas(engine, gemeente, code))
    if found.empty:
        return None
    name = queries.area_name(engine, code) or code
    shown = display(found.head(MAX_IN_BRIEFING), area_names(engine, gemeente))
    more = len(found) - len(shown)
    note = f"Bron: {SOURCE}." + (
        f" Nog {more} oudere notitie(s) staan in het Wijkprofiel." if more > 0 else ""
    )
    return Table(f"Notities bij de cijfers van {name}", shown, key="notities", note=note)


def marker_rows(frame: pd.DataFrame, code: str) -> list[dict]:
    """The notes on exactly this area, as `domain.notes.markers` reads them."""
    here = frame[frame["area_code"] == code]
    return [
        {
            "indicator_id": n.indicator_id,
            "period_from": n.period_from,
            "period_to": n.period_to,
            "text": n.text,
            "author": n.author,
            "date": _local(n.changed_at),
        }
        for n in here.itertuples()
    ]


@dataclass
class Trend:
    """One indicator of one area over the years, with its notes marked."""

    name: str
    unit: str
    figure: str  # the SVG chart (`figures.trend`)
    words: str
    table: pd.DataFrame
    owner: str
    source_table: str
    period: str
    marked: int  # how many notes are on the chart


def indicator_choices(values: pd.DataFrame) -> dict[str, str]:
    """Indicator id -> name of every indicator the area has a value for (`area_values`)."""
    values = values.dropna(subset=["value"])
    return dict(zip(values["indicator_id"], values["name"], strict=False))


def default_indicator(values: pd.DataFrame, found: pd.DataFrame, code: str) -> str | None:
    """The indicator a chart opens with: of those with one of the area's notes on it (a note
    without indicator belongs on every chart of its years), else of all, the one with the
    most years (a trend, not a dot); the first in name order among equals."""
    choices = indicator_choices(values)
    rows = marker_rows(found, code)
    values = values.dropna(subset=["value"])
    years = {i: list(values.loc[values["indicator_id"] == i, "period"]) for i in choices}
    marked = [i for i in choices if rules.markers(rows, years[i], i)]
    pool = marked or list(choices)
    return max(pool, key=lambda i: len(years[i])) if pool else None


def trend(
    engine: Engine, values: pd.DataFrame, code: str, indicator_id: str, found: pd.DataFrame
) -> Trend:
    """The area's series of one indicator (`values`: `queries.area_values`), notes marked."""
    rows = values[(values["indicator_id"] == indicator_id)].dropna(subset=["value"])
    rows = rows[["period", "value", "name", "unit"]].sort_values("period")
    name, unit = rows["name"].iloc[0], rows["unit"].iloc[0]
    label = queries.area_name(engine, code) or code
    series = rows[["period", "value"]].reset_index(drop=True)
    found_marks = rules.markers(marker_rows(found, code), list(series["period"]), indicator_id)
    words = explain.series_sentence(series, label, unit)
    fig = figures.trend(
        series, label, None, "", unit, alt=words, marks=found_marks, frame=figures.FULL
    )
    src = plans.area_source(engine, indicator_id, code)
    return Trend(
        name=name,
        unit=unit,
        figure=fig,
        words=words,
        table=explain.series_table(series, unit),
        owner=src["owner"],
        source_table=src["table"],
        period=f"{series['period'].iloc[0]}–{series['period'].iloc[-1]}",
        marked=len(found_marks),
    )


@dataclass(frozen=True)
class AreaNotes:
    """What the Wijkprofiel's notes section reads for one area, built once per data and notes
    version: the notes (and of its buurten or wijk), their table, the area's figures and the
    indicator its trend opens with."""

    found: pd.DataFrame  # `store.notes.notes`
    table: pd.DataFrame | None  # `display`, plain text; None without notes
    values: pd.DataFrame  # `queries.area_values`
    choices: dict[str, str]  # indicator id -> name
    default: str | None


def area_notes(engine: Engine, gemeente: str, code: str) -> AreaNotes:
    found = store.notes(engine, gemeente, related_areas(engine, gemeente, code))
    values = queries.area_values(engine, code)
    choices = indicator_choices(values)
    table = None if found.empty else display(found, area_names(engine, gemeente))
    default = default_indicator(values, found, code) if choices else None
    return AreaNotes(found, table, values, choices, default)

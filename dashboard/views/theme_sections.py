"""What the Thema's page shows per thema (or doel of a begroting), built once per data and
progress version: the ambities, the doelen with their acties as a table, the sentences of the
indicator panels. The page only renders it; nothing here is recomputed on a rerun."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import explain, progress
from dashboard.render import safe


@dataclass(frozen=True)
class Doel:
    prefix: str
    text: str
    indicators: list[tuple[str, str]]  # (code, toelichting)
    sentence: str
    table: pd.DataFrame  # escaped for `st.table`


@dataclass(frozen=True)
class Panel:
    name: str
    values: pd.DataFrame
    unit: str
    owner: str
    table: str
    period: str
    notes: list[str]
    words: str = ""  # the trend in one sentence; empty without values
    rows: pd.DataFrame | None = None  # the table behind the chart


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    intro: str
    sentence: str
    ambities: list[str] = field(default_factory=list)
    doelen: list[Doel] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)


def sections(
    els: pd.DataFrame,
    acts: pd.DataFrame,
    wijk_names: dict[str, str],
    panels: dict[str, list],
    city: str,
) -> dict[str, Section]:
    """Every top-level element of the plan (its thema's) by code, in the plan's order."""
    by_code = els.set_index("code")
    out = {}
    for code in progress.themes(els)["code"]:
        doelen = [
            Doel(
                prefix,
                text,
                [(i.code, i.text) for i in progress.children(els, doel, "indicator").itertuples()],
                progress.status_sentence(doel_acts),
                safe.md_frame(progress.action_view(doel_acts, wijk_names)),
            )
            for prefix, text, doel_acts, doel in progress.doel_sections(els, acts, code)
        ]
        out[code] = Section(
            code=code,
            title=by_code.at[code, "title"],
            intro=by_code.at[code, "text"],
            sentence=progress.status_sentence(acts[acts["theme_code"] == code]),
            ambities=[a.text for a in progress.children(els, code, "ambitie").itertuples()],
            doelen=doelen,
            panels=[_panel(p, city) for p in panels.get(code, [])],
        )
    return out


def _panel(p: dict, city: str) -> Panel:
    values, unit = p["values"], p["unit"]
    has = not values.empty
    return Panel(
        name=p["name"],
        values=values,
        unit=unit,
        owner=p["owner"],
        table=p["table"],
        period=p["period"],
        notes=list(p["notes"]),
        words=explain.series_sentence(values, city, unit) if has else "",
        rows=explain.series_table(values, unit) if has else None,
    )

"""The plain data a screen, its slide and its page of the briefing are drawn from: a view
with its metrics, tables, map, sentences and sources. No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.views import four_sides


@dataclass
class Metric:
    label: str
    value: str
    note: str = ""  # the change (a page shows it as the metric's delta)
    help: str = ""
    delta_color: str = "off"  # "inverse" where a rise is worse


@dataclass
class Table:
    caption: str
    frame: pd.DataFrame
    key: str = ""  # what the table is ("kaart", "footprint", "themas"), for a slide to pick it
    note: str = ""  # a sentence under the table (the four sides: the gap between them)


@dataclass
class MapSpec:
    """A map of the gemeente's areas: fill colour per area code, an optional highlighted area."""

    level: str
    caption: str
    fills: dict[str, str]
    legend: list[tuple[str, str]]
    highlight: str | None = None
    indicator: str | None = None
    period: str | None = None
    # Areas whose figure is 'onzeker' or 'nvt' (code -> status) and the legend of their marks.
    marked: dict[str, str] = field(default_factory=dict)
    marks: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class View:
    key: str
    title: str
    explanation: str  # plain language (B1): what the reader sees and how to read it
    page: str  # url path of the detailed page
    params: dict[str, str]
    metrics: list[Metric] = field(default_factory=list)
    map: MapSpec | None = None
    tables: list[Table] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Progress of the gemeente's own plan: the acties with their theme and status, the theme
    # titles, what the plan calls its two levels, and what to say when it has no plan.
    actions: pd.DataFrame | None = None
    themes: dict[str, str] = field(default_factory=dict)
    levels: tuple[str, str] = ("Thema", "Doel")
    plan_text: str = ""
    # The detailed page shows more of the same view: a subtitle and its full tables.
    caption: str = ""
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    # What a reader must know about the figures shown (e.g. two tables that count differently).
    notes: list[str] = field(default_factory=list)
    sides: four_sides.FourSides | None = None  # the four sides of safety (the G32 view)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

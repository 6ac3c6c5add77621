"""What the Thema's page shows per thema (or doel of a begroting), built once per data and
progress version: the ambities, the doelen with their acties as a table, the sentences of the
indicator panels. The page only renders it; nothing here is recomputed on a rerun."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import explain, progress


@dataclass(frozen=True)
class Doel:
    prefix: str
    text: str
    indicators: list[tuple[str, str]]  # (code, toelichting)
    sentence: str
    table: pd.DataFrame  # plain text (`widgets.table` escapes it)


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
                progress.action_view(doel_acts, wijk_names),
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


@dataclass(frozen=True)
class Outline:
    """The plan's shape, the same on every rerun: its two levels, its thema's, titles, budgets."""

    top: str  # 'Thema', or 'Doel' in a begroting
    sub: str
    plural: str
    codes: list[str]
    titles: dict[str, str]
    lasten: dict[str, float]


def outline(els: pd.DataFrame) -> Outline:
    top, sub = progress.levels(els)
    return Outline(
        top=top,
        sub=sub,
        plural=explain.LEVEL_WORDS[top][1],
        codes=progress.themes(els)["code"].tolist(),
        titles=dict(zip(els["code"], els["title"], strict=True)),
        lasten=progress.budgets(els),
    )


@dataclass(frozen=True)
class Progress:
    """'Voortgang per thema' (or per doel when one thema is shown): the chart's data and the
    table beside it, for the acties of the thema's shown."""

    head: str  # 'Thema' or 'Doel'
    sentence: str  # the acties shown, in one sentence
    registered: bool  # any actie with a registered stand
    shares: pd.DataFrame  # long: group, status, n, share
    labels: dict[str, str]  # short group names for the chart
    table: pd.DataFrame  # plain text (`widgets.table` escapes it)


def progress_part(acts: pd.DataFrame, plan: Outline, shown: list[str], one: bool) -> Progress:
    view = acts[acts["theme_code"].isin(shown)]
    by, head = ("doel_code", plan.sub) if one else ("theme_code", plan.top)
    labels = progress.group_labels(plan.titles, view[by])
    table = progress.share_table(view, by, labels, head, plan.lasten)
    return Progress(
        head=head,
        sentence=progress.status_sentence(view),
        registered=not (view["status"] == progress.NOT_REGISTERED).all(),
        shares=progress.shares(view, by),
        labels=progress.group_labels(plan.titles, view[by], 45),
        table=table,
    )

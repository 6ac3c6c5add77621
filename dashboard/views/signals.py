"""Signals ("Opvallend") of one gemeente: every series of the gemeente, its wijken and buurten
tested in one run (`dashboard.domain.signals`), as rows for a page, a slide and the briefing.

A run is one gemeente: the false-alarm control (Benjamini-Hochberg) counts all its tests, so a
wijk's signals are the same on the Veiligheidsbeeld, in the Wijkprofiel and in the briefing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import explain
from dashboard.domain import indeling as boundary_rules
from dashboard.domain import signals as rules
from dashboard.domain.benchmark import Point, point_from_row
from dashboard.domain.fmt import fmt_number
from dashboard.store import indeling as boundary_store
from dashboard.store import queries
from dashboard.store import signals as store
from dashboard.views.model import Table, View

COLUMNS = [
    "Gebied",
    "Cijfer",
    "Laatste",
    "Vergeleken met",
    "Verandering",
    "Toets",
    "p",
    "p na correctie",
    "Bron",
]
BRIEFING_TEXT = (
    "Veranderingen die waarschijnlijk geen toeval zijn: het laatste cijfer van elke reeks "
    "tegen het cijfer daarvoor en tegen het eigen eerdere niveau. Hoe we toetsen staat onder "
    "de tabel."
)
SHORT_TESTS = {rules.POISSON: "Poisson-toets", rules.MARGIN: "toets op de foutmarges"}


@dataclass
class Run:
    """All tests of one gemeente, with what a row needs to name its figures."""

    gemeente: str
    tests: list[rules.Test]
    names: dict[str, str]  # area code -> name
    meta: dict[str, dict]  # indicator id -> name, unit, kind, better
    sources: dict[str, str] = field(default_factory=dict)  # indicator id -> source line

    def tested(self, area: str | None = None) -> int:
        return sum(1 for t in self.tests if area is None or t.area_code == area)

    def signals(self, area: str | None = None) -> list[rules.Test]:
        """The signals (of one area, or all), newest first, the gemeente before its areas,
        the strongest first."""
        found = [t for t in self.tests if t.signal and (area is None or t.area_code == area)]
        level = {"GM": 0, "WK": 1, "BU": 2}
        return sorted(
            found,
            key=lambda t: (
                -_year(t.latest),
                level.get(t.area_code[:2], 3),
                t.verdict != rules.ONGUNSTIG,
                t.q,
                t.indicator_id,
                t.comparison,
            ),
        )


@dataclass
class Opvallend:
    """What the 'Opvallend' section shows for one place."""

    title: str
    lines: list[str]  # one sentence per signal (one per indicator), strongest and newest first
    short: list[str]  # the same, shorter (the Veiligheidsbeeld)
    count: int  # every signal (both comparisons), as in `frame`
    frame: pd.DataFrame  # every signal with its figures, periods, test and p-values
    empty_text: str  # what to say when there is nothing (with the rule in one line)
    rule: str = rules.RULE
    sources: list[str] = field(default_factory=list)
    every: list[str] = field(default_factory=list)  # every signal as a sentence, as `frame`


def _year(period: str) -> int:
    return int(period[:4])


def _point(row, kind: str) -> Point:
    if kind == "aantal":  # a count of events: the figure is the count
        value = row["count"] if not pd.isna(row["count"]) else row["value"]
        return Point(None if pd.isna(value) else float(value), count=_num(value))
    return point_from_row(row)


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def build_run(engine: Engine, gemeente: str) -> Run:
    """Test every series of the gemeente, its wijken and buurten in one run."""
    frame = store.signal_rows(engine, gemeente)
    if not frame.empty:
        frame = boundary_rules.current_periods(frame, boundary_store.boundaries(engine))
    twins = store.rate_numerators(engine)
    with_counts = set(
        zip(
            frame.loc[frame["count"].notna(), "area_code"],
            frame.loc[frame["count"].notna(), "indicator_id"],
            strict=True,
        )
    )
    grouped: dict[tuple[str, str], list[dict]] = {}
    for record in frame.to_dict("records"):  # plain dicts: a row per figure, read once
        grouped.setdefault((record["area_code"], record["indicator_id"]), []).append(record)
    series, meta = [], {}
    for (code, ind), rows in sorted(grouped.items()):
        if ind in twins and (code, twins[ind]) in with_counts:
            continue  # tested as its rate, on the same count
        first = rows[0]
        meta[ind] = {k: first[k] for k in ("name", "unit", "kind", "better")}
        brk = _num(first["series_break"])
        points = [(r["period"], _point(r, first["kind"])) for r in rows]
        series += rules.split_types(
            code, ind, first["better"], first["kind"], points, int(brk) if brk else None
        )
    tests = rules.run(series)
    names = {gemeente: queries.area_name(engine, gemeente) or gemeente}
    for level in ("wijk", "buurt"):
        areas = queries.areas(engine, level, gemeente)
        names.update(zip(areas["code"], areas["name"], strict=True))
    run = Run(gemeente, tests, names, meta)
    for ind in {t.indicator_id for t in tests if t.signal}:
        src = queries.source_of(engine, ind)
        run.sources[ind] = f"{src['owner']}, {src['table']}".strip(", ")
    return run


# ---------------------------------------------------------------- words
def _digits(test: rules.Test, meta: dict) -> int:
    if test.count is not None and abs(test.figure - test.count) < 1e-9:
        return 0  # the figure is the count itself
    return explain.decimals([test.figure, test.reference], meta["unit"], meta["kind"])


def _reference_digits(test: rules.Test, meta: dict) -> int:
    """A mean of counts gets one decimal (20,3), one count none."""
    digits = _digits(test, meta)
    return 1 if digits == 0 and len(test.earlier) > 1 else digits


def _amount(value: float, meta: dict, digits: int) -> str:
    unit = str(meta["unit"] or "")
    number = fmt_number(value, digits)
    if unit.startswith("%"):
        return f"{number}{unit}" if unit == "%" else f"{number}{unit[:1]} {unit[1:].strip()}"
    return f"{number} {unit}".strip()


def _count_note(test: rules.Test, meta: dict) -> tuple[str, str]:
    """For a rate tested on its counts: ' (103 misdrijven)' and ' (gemiddeld 96)'."""
    if test.count is None or meta["kind"] == "aantal" or _digits(test, meta) == 0:
        return "", ""
    mean = "" if len(test.earlier) == 1 else "gemiddeld "
    return (
        f" (aantal {fmt_number(test.count, 0)})",
        f" ({mean}{fmt_number(test.reference_count, 0)})",
    )


def _before(test: rules.Test) -> str:
    if test.comparison == rules.PREVIOUS:
        return rules.period_label(test.earlier[0])
    return f"gemiddeld {rules.periods_label(test.earlier)}"


def line(run: Run, test: rules.Test) -> str:
    """One short sentence: the figures, the periods, the change and the test."""
    meta = run.meta[test.indicator_id]
    digits = _digits(test, meta)
    where = "" if test.area_code == run.gemeente else f" ({run.names.get(test.area_code, '')})"
    ref = fmt_number(test.reference, _reference_digits(test, meta))
    before = (
        f"{ref} in {rules.period_label(test.earlier[0])}"
        if test.comparison == rules.PREVIOUS
        else f"gemiddeld {ref} in {rules.periods_label(test.earlier)}"
    )
    return (
        f"{meta['name']}{where}: {_amount(test.figure, meta, digits)} in "
        f"{rules.period_label(test.latest)}, tegen {before}: {rules.change_words(test)}. "
        f"{SHORT_TESTS[test.method]}, p na correctie {rules.p_text(test.q)}."
    )


def short_line(run: Run, test: rules.Test) -> str:
    """The line of the Veiligheidsbeeld: the figures without their unit, the test in short."""
    meta = run.meta[test.indicator_id]
    digits = _digits(test, meta)
    where = "" if test.area_code == run.gemeente else f" ({run.names.get(test.area_code, '')})"
    mean = "" if test.comparison == rules.PREVIOUS else "gemiddeld "
    before = rules.periods_label(test.earlier) if mean else rules.period_label(test.earlier[0])
    return (
        f"{meta['name']}{where}: {fmt_number(test.figure, digits)} in "
        f"{rules.period_label(test.latest)} tegen {mean}"
        f"{fmt_number(test.reference, _reference_digits(test, meta))} in {before}, "
        f"{test.verdict or rules.change_words(test)} ({SHORT_TESTS[test.method]}, "
        f"p na correctie {rules.p_text(test.q)})"
    )


def strongest(tests: list[rules.Test]) -> list[rules.Test]:
    """One test per area and indicator (the first in the given order)."""
    seen, out = set(), []
    for t in tests:
        if (t.area_code, t.indicator_id) not in seen:
            seen.add((t.area_code, t.indicator_id))
            out.append(t)
    return out


def frame(run: Run, tests: list[rules.Test]) -> pd.DataFrame:
    """Every signal as a row with its figures, periods, test and p-values (plain text)."""
    rows = []
    for t in tests:
        meta = run.meta[t.indicator_id]
        digits = _digits(t, meta)
        now_note, before_note = _count_note(t, meta)
        rows.append(
            [
                run.names.get(t.area_code, t.area_code),
                meta["name"],
                f"{rules.period_label(t.latest)}: {_amount(t.figure, meta, digits)}{now_note}",
                f"{_before(t)}: {fmt_number(t.reference, _reference_digits(t, meta))}{before_note}",
                rules.change_words(t),
                rules.TEST_NAMES[t.method],
                rules.p_text(t.p),
                rules.p_text(t.q),
                run.sources.get(t.indicator_id, ""),
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def compact(rows: pd.DataFrame) -> pd.DataFrame:
    """The table in less width (a popover, A4): the test in short (the rule names it in full),
    no unadjusted p, the sources under the table, the area only when there are several."""
    short = {rules.TEST_NAMES[k]: v for k, v in SHORT_TESTS.items()}
    out = rows.drop(columns=["p", "Bron"])
    out["Toets"] = out["Toets"].map(short)
    return out if out["Gebied"].nunique() > 1 else out.drop(columns="Gebied")


def opvallend(run: Run, area: str | None = None, limit: int | None = None) -> Opvallend:
    """The section for the gemeente (area None: all its signals) or for one wijk or buurt."""
    place = run.names.get(area or run.gemeente, area or run.gemeente)
    found = run.signals(area)
    shown = strongest(found)[:limit]
    periods = sorted({p for t in found for p in (t.latest, *t.earlier)})
    sources = sorted({run.sources[t.indicator_id] for t in found if t.indicator_id in run.sources})
    if periods:
        first, last = rules.period_label(periods[0]), rules.period_label(periods[-1])
        sources.append(f"periode {first}–{last}")
    return Opvallend(
        title=f"Opvallend in {place}",
        lines=[line(run, t) for t in shown],
        short=[short_line(run, t) for t in shown],
        count=len(found),
        every=[line(run, t) for t in found],
        frame=frame(run, found),
        empty_text=rules.no_signals_text(place, run.tested(area)),
        sources=sources,
    )


def briefing_view(engine: Engine, gemeente: str, focus: str | None = None) -> View:
    """The briefing's section 'Opvallend': the gemeente's signals (or the focus area's)."""
    section = opvallend(build_run(engine, gemeente), focus)
    view = View("opvallend", section.title, BRIEFING_TEXT, "", {})
    view.notes.append(section.rule)  # the rule in full, under the table ("In woorden")
    if section.frame.empty:
        view.sentences.append(section.empty_text)
    else:
        view.tables.append(Table("Opvallende veranderingen", compact(section.frame), "opvallend"))
    view.sources = section.sources
    return view

"""What the section "Vier kanten van veiligheid" shows, as plain data: the four sides of the
gemeente against its group over all years, their latest verdicts, the sentence on the gap, the
method and the sources. The G32 page, its view in the briefing and the figure use the same.
No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import benchmark, sides
from dashboard.domain.fmt import fmt_number
from dashboard.render import safe
from dashboard.store import coverage, queries
from dashboard.views import urls

TITLE = "Vier kanten van veiligheid"


@dataclass
class FourSides:
    city: str
    group: str
    group_label: str
    upto: str
    sides: list[sides.Side]
    sentence: str
    alt: str
    method: str  # markdown
    sources: list[str] = field(default_factory=list)

    @property
    def caption(self) -> str:
        return (
            f"{self.city} tegen de {self.group_label}: wat de politie registreert, en wat "
            "inwoners zeggen over slachtofferschap, overlast en zich onveilig voelen. Elke "
            f"kant in zijn laatste jaar tot en met {self.upto[:4]}."
        )

    def latest_frame(self) -> pd.DataFrame:
        return sides.latest_frame(self.sides, self.city)

    def series_frame(self) -> pd.DataFrame:
        return sides.series_frame(self.sides, self.city)


def _span(periods: str) -> str:
    """'2013 en 2014 en 2015' (as `coverage.value_sources` joins them) -> '2013–2015'."""
    years = periods.split(" en ")
    return years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _lbm_text(engine: Engine, gemeente: str, city: str) -> str:
    """The Leefbaarometer's "overlast en onveiligheid" where the gemeente has a figure;
    otherwise why it is not a side here. Markdown: the city's name is escaped."""
    city = safe.md(city)
    if queries.indicator_meta(engine, sides.LBM_OVERLAST) is None:
        return ""
    own = queries.series(engine, sides.LBM_OVERLAST, [gemeente]).dropna(subset=["value"])
    if own.empty:
        return (
            "- **Leefbaarometer:** de score 'overlast en onveiligheid' bestaat alleen per wijk "
            f"en buurt, niet voor heel {city}; daarom staat hij hier niet (wel in het "
            "Wijkprofiel).\n"
        )
    last = own.sort_values("period").iloc[-1]
    return (
        f"- **Leefbaarometer:** de score 'overlast en onveiligheid' van {city} was in "
        f"{last['period']} {fmt_number(float(last['value']), 3)} (geen toets mogelijk).\n"
    )


def four_sides(engine: Engine, gemeente: str, group: str, upto: str) -> FourSides:
    """The four sides of `gemeente` against `group`, each in its latest year up to `upto`."""
    city = queries.area_name(engine, gemeente) or gemeente
    label = urls.GROUPS.get(group, group)
    members = queries.group_members(engine, group)
    ids = [s.indicator_id for s in sides.SIDES]
    codes = sorted(set(members) | {gemeente, *benchmark.AGGREGATES.values()})
    periods = queries.gemeente_periods(engine, gemeente)
    values = queries.group_values(engine, ids, codes, periods)
    built = []
    for spec in sides.SIDES:
        meta = queries.indicator_meta(engine, spec.indicator_id)
        rows = values[values["indicator_id"] == spec.indicator_id]
        built.append(sides.build_side(spec, meta, rows, members, gemeente, group, label, upto))
    sentence = sides.gap_sentence(built, city, upto)
    found = coverage.value_sources(engine, ids, [gemeente, *codes], periods)
    return FourSides(
        city=city,
        group=group,
        group_label=label,
        upto=upto,
        sides=built,
        sentence=sentence,
        alt=sides.alt_text(built, city, sentence),
        method=sides.METHOD_TEXT + _lbm_text(engine, gemeente, city),
        sources=[f"{owner} {table} ({_span(ps)})".strip() for owner, table, ps in found],
    )

"""The comparison with the gemeente's peer group: the footprint (the 19 Veiligheidsmonitor
rows and every rate the gemeente has), its years, the trend against the group and the G32
view of the agenda. No Streamlit here."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import benchmark, compare, overview
from dashboard.store import coverage, queries
from dashboard.views import four_sides, indeling, urls
from dashboard.views.model import Table, View

GROUP, GROUP_LABEL = "g32", "G32"


def footprint(engine: Engine, gemeente: str, group: str, base: str, latest: str):
    """All comparisons of the footprint and the data behind them."""
    inds = queries.benchmark_indicators(engine, gemeente)
    members = queries.group_members(engine, group)
    codes = sorted(set(members) | {gemeente, *benchmark.AGGREGATES.values()})
    values = queries.group_values(engine, inds["id"].tolist(), codes, [base, latest])
    same = indeling.unchanged(engine, codes, base, latest)
    comps = [
        benchmark.compare(
            meta,
            values[values["indicator_id"] == meta["id"]],
            members,
            gemeente,
            base,
            latest,
            group,
            same,
        )
        for meta in inds.to_dict("records")
    ]
    comps = benchmark.footprint_rows(comps, set(inds.loc[inds["footprint"].notna(), "id"]))
    _explain_missing(engine, comps, values, gemeente, group)
    shown = [c.indicator_id for c in comps if c.has_data]
    sources = [
        f"{owner} {table} ({periods})".strip()
        for owner, table, periods in coverage.value_sources(
            engine, shown, [gemeente, *codes], [base, latest]
        )
    ]
    # The years of the series with a break (the Veiligheidsmonitor): to offer comparable pairs.
    broken = [c.indicator_id for c in comps if c.series_break]
    survey_periods = coverage.periods_with_values(engine, broken, gemeente) if broken else []
    return comps, {
        "values": values,
        "members": members,
        "sources": sources,
        "survey_periods": survey_periods,
        "indeling_notes": indeling.footprint_notes(
            engine, comps, values, members, gemeente, same, urls.GROUPS.get(group, group)
        ),
    }


def _explain_missing(engine: Engine, comps, values: pd.DataFrame, gemeente: str, group: str):
    """Say per empty footprint row why it is empty (never published per gemeente before a
    year, suppressed for this gemeente, or not imported)."""
    empty = [c for c in comps if not c.has_data]
    if not empty:
        return
    city = queries.area_name(engine, gemeente) or gemeente
    first = coverage.first_gemeente_periods(engine, [c.indicator_id for c in empty])
    label = urls.GROUPS.get(group, group)
    for c in empty:
        own_values = values[values["indicator_id"] == c.indicator_id]
        survey = bool(own_values["lower"].notna().any())
        owner = queries.source_of(engine, c.indicator_id)["owner"].split(" (")[0]
        c.note = benchmark.missing_reason(c, first.get(c.indicator_id), owner, city, label, survey)
        if c.note != benchmark.NO_DATA:
            c.verdicts = {k: benchmark.MISSING for k in ("base", "latest", "development")}


def trend_vs_group(engine: Engine, indicator_id: str, gemeente: str, group: str) -> dict:
    """The gemeente's series and the group's mean (CBS aggregate where published) and range."""
    members = queries.group_members(engine, group)
    aggregate = benchmark.AGGREGATES.get(group)
    values = queries.indicator_all_periods(
        engine, indicator_id, sorted(set(members) | {gemeente, aggregate or ""})
    )
    own = values[values["area_code"] == gemeente].sort_values("period")
    city = queries.area_name(engine, gemeente) or gemeente
    own, own_note = indeling.own_series(engine, gemeente, city, own)
    published = values.loc[values["area_code"] == aggregate].dropna(subset=["value"])["period"]
    peer_note = indeling.changed_in_trend(engine, values, members, gemeente, published)
    peers = compare.peer_stats(values, members, exclude=gemeente)
    if aggregate:
        agg = values[values["area_code"] == aggregate].set_index("period")["value"]
        if not agg.empty:
            peers = peers.set_index("period")
            peers = peers.reindex(sorted(set(peers.index) | set(agg.index)))
            peers.loc[agg.index, "mean"] = agg
            peers = peers.reset_index().rename(columns={"index": "period"})
    notes = [n for n in (own_note, peer_note) if n]
    return {"own": own, "peers": peers, "indeling_notes": notes}


def headline_series(engine: Engine, gemeente: str) -> tuple[str | None, pd.DataFrame]:
    """The headline indicator the gemeente has (the first of `overview.HEADLINES` with a
    value) and its series; (None, an empty frame) when it has none of them."""
    own = pd.DataFrame(columns=["area_code", "period", "value"])
    for indicator_id in overview.HEADLINES:
        own = queries.series(engine, indicator_id, [gemeente]).dropna(subset=["value"])
        if not own.empty:
            return indicator_id, own
    return None, own


def footprint_years(engine: Engine, gemeente: str) -> tuple[str, str] | None:
    """The years of the footprint: the first and last year of the latest comparable block of
    the gemeente's survey figures (Veiligheidsmonitor 2021-2023), else from the headline's
    years, else from every year with a gemeente figure; None without any figure of its own."""
    inds = queries.benchmark_indicators(engine, gemeente)
    survey = inds[inds["footprint"].notna()]
    periods = coverage.periods_with_values(engine, survey["id"].tolist(), gemeente)
    breaks = [int(b) for b in survey["series_break"].dropna()]
    if periods:
        start = max((b for b in breaks if b <= int(periods[-1][:4])), default=0)
        block = [p for p in periods if int(p[:4]) >= start]
        if len(block) >= 2:
            return block[0], block[-1]
    indicator_id, own = headline_series(engine, gemeente)
    periods = own["period"].tolist() if indicator_id else queries.gemeente_periods(engine, gemeente)
    return overview.footprint_years(periods) if periods else None


def g32(engine: Engine, gemeente: str, base: str, latest: str) -> View:
    """The footprint against the group CBS publishes for the years (G32 up to 2017, G40 from
    2018), with the sentences for the briefing."""
    city = queries.area_name(engine, gemeente) or gemeente
    group = benchmark.published_group(latest)
    label = urls.GROUPS[group]
    comps, data = footprint(engine, gemeente, group, base, latest)
    comps = [c for c in comps if c.has_data]
    frame = benchmark.footprint_frame(comps, city, label)
    keep = [
        "Indicator",
        f"Positie {base}",
        f"Positie {latest}",
        f"Ontwikkeling {base}–{latest}",
        f"{city} {latest}",
        f"{label} {latest}",
    ]
    sides = four_sides.four_sides(engine, gemeente, group, latest)
    tables = [Table("Footprint", frame[keep], "footprint")] if not frame.empty else []
    tables.append(Table(f"{four_sides.TITLE}, t/m {latest}", sides.latest_frame(), "kanten"))
    tables[-1].note = sides.sentence
    return View(
        key="g32",
        title=f"{city} vergeleken met de {label}: {base} en {latest}",
        explanation=(
            f"Per onderwerp staat of {city} beter, gelijk of slechter scoort dan het "
            f"gemiddelde van de {label}-steden, in {base} en in {latest}. 'Ontwikkeling' "
            f"zegt of {city} sinds {base} meer of minder vooruit is gegaan dan die steden. "
            "'Gelijk' betekent: het verschil is zo klein dat het toeval kan zijn."
        ),
        page="g32",
        params={"vergelijking": group, "basisjaar": base, "jaar": latest},
        tables=tables,
        sentences=[benchmark.sentence(c, city, label) for c in comps if c.own[latest].ok],
        sources=[
            f"{'; '.join(data['sources'])}; periode {base} en {latest}",
            f"{four_sides.TITLE}: {'; '.join(sides.sources)}",
        ],
        notes=data["indeling_notes"],
        sides=sides,
    )

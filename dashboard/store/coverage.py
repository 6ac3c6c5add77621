"""What the database holds for an indicator beyond its values: the first period any gemeente
has a figure, and which sources the figures of some areas and periods come from."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, distinct, func, select

from dashboard.store.schema import indicator, observation, release, source


def first_gemeente_periods(engine: Engine, indicator_ids: list[str]) -> dict[str, str]:
    """Per indicator: the first period with a current figure for any gemeente."""
    o = observation
    stmt = (
        select(o.c.indicator_id, func.min(o.c.period))
        .where(
            o.c.indicator_id.in_(indicator_ids),
            starts_with(o.c.area_code, "GM"),
            o.c.current.is_(True),
            o.c.variant == "",
            o.c.value.is_not(None),
        )
        .group_by(o.c.indicator_id)
    )
    with engine.connect() as conn:
        return {ind: period for ind, period in conn.execute(stmt)}


def value_sources(
    engine: Engine, indicator_ids: list[str], codes: list[str], periods: list[str]
) -> list[tuple[str, str, str]]:
    """(owner, table, periods) of the sources behind the current figures of some indicators for
    some areas in some periods: an indicator fed by two tables (the Veiligheidsmonitor before
    and after 2021) names both, each with its own periods."""
    o = observation
    stmt = (
        select(source.c.owner, source.c.table_id, o.c.period)
        .join(release, release.c.id == o.c.release_id)
        .join(source, source.c.key == release.c.source_key)
        .where(
            o.c.indicator_id.in_(indicator_ids),
            o.c.area_code.in_(codes),
            o.c.period.in_(periods),
            o.c.current.is_(True),
            o.c.variant == "",
        )
        .distinct()
    )
    found: dict[tuple[str, str], set[str]] = {}
    with engine.connect() as conn:
        for owner, table, period in conn.execute(stmt):
            found.setdefault((owner, table), set()).add(period)
    return [
        (owner, table, " en ".join(sorted(ps)))
        for (owner, table), ps in sorted(found.items(), key=lambda kv: (min(kv[1]), kv[0]))
    ]


def periods_with_values(engine: Engine, indicator_ids: list[str], area_code: str) -> list[str]:
    """The periods in which an area has a current figure for any of some indicators."""
    o = observation
    stmt = (
        select(o.c.period)
        .where(
            o.c.indicator_id.in_(indicator_ids),
            o.c.area_code == area_code,
            o.c.current.is_(True),
            o.c.variant == "",
            o.c.value.is_not(None),
        )
        .distinct()
        .order_by(o.c.period)
    )
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(stmt)]


def frame_of(engine: Engine, stmt) -> pd.DataFrame:
    """Run a select and return a frame with one column per selected column (also when empty)."""
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return pd.DataFrame(rows, columns=[c.key for c in stmt.selected_columns])


def starts_with(column, prefix: str):
    """`column LIKE 'prefix%'` written as a range of codes, so the index on the column serves
    it: SQLite's LIKE is case-insensitive and scans every row (1,3 million at national scale,
    bench/g40.py). Area codes are upper-case ASCII letters and digits, and in every collation
    (bytes, glibc, ICU) those sort before 'Z' repeated: the bound holds on PostgreSQL with a
    language collation too, where the next character after '9' (':') would sort elsewhere."""
    return (column >= prefix) & (column <= prefix + "Z" * 16)


def area_prefix(level: str, gemeente: str):
    prefix = {"wijk": "WK", "buurt": "BU"}[level] + gemeente[2:]
    return starts_with(observation.c.area_code, prefix)


def conflicts(engine: Engine, gemeente: str | None = None) -> pd.DataFrame:
    """Same indicator, area and period with different values: a named variant (another
    document or source) against another variant or against the primary figure (variant '').
    With `gemeente`: only the gemeente itself and its wijken and buurten."""
    o = observation
    where = [o.c.current.is_(True)]
    if gemeente:
        where.append(
            (o.c.area_code == gemeente)
            | area_prefix("wijk", gemeente)
            | area_prefix("buurt", gemeente)
        )
    groups = (
        select(o.c.indicator_id, o.c.area_code, o.c.period)
        .where(*where)
        .group_by(o.c.indicator_id, o.c.area_code, o.c.period)
        .having(func.count(distinct(o.c.value)) > 1, func.max(o.c.variant) != "")
        .subquery()
    )
    stmt = (
        select(
            indicator.c.name,
            o.c.area_code,
            o.c.period,
            o.c.value,
            o.c.variant,
            o.c.note,
            source.c.owner,
            source.c.table_id,
        )
        .join(
            groups,
            (groups.c.indicator_id == o.c.indicator_id)
            & (groups.c.area_code == o.c.area_code)
            & (groups.c.period == o.c.period),
        )
        .join(indicator, indicator.c.id == o.c.indicator_id)
        .outerjoin(release, release.c.id == o.c.release_id)
        .outerjoin(source, source.c.key == release.c.source_key)
        .where(o.c.current.is_(True))
        .order_by(indicator.c.name, o.c.area_code, o.c.period, o.c.variant)
    )
    return frame_of(engine, stmt)

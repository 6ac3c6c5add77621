"""Read-only queries for the pages. Plain SQLAlchemy Core with bound parameters; no Streamlit."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, String, case, cast, distinct, func, select

from dashboard.domain.parsing import is_ascii_digits
from dashboard.store.coverage import area_prefix as _prefix_filter
from dashboard.store.coverage import (
    conflicts,  # noqa: F401 (read with the other queries)
    starts_with,
)
from dashboard.store.coverage import frame_of as _frame
from dashboard.store.schema import (
    area,
    geometry,
    indicator,
    observation,
    peer_group,
    peer_group_member,
    release,
    source,
)

# What a page needs to show an indicator's values: id, name, unit, direction and kind.
_META = (indicator.c.id, indicator.c.name, indicator.c.unit, indicator.c.better, indicator.c.kind)


def value_columns(o=observation) -> tuple:
    """The columns that describe one value: the value, its margins, count, denominator and
    whether it was derived, with its note."""
    return (o.c.value, o.c.lower, o.c.upper, o.c.count, o.c.denominator, o.c.derived, o.c.note)


LEVEL_ORDER = {"land": 0, "aggregaat": 1, "provincie": 2, "gemeente": 3, "wijk": 4, "buurt": 5}


def id_version(engine: Engine, id_column) -> tuple[int, int]:
    """(highest id, number of rows) of a table: changes whenever a row is added or removed."""
    with engine.connect() as conn:
        row = conn.execute(
            select(func.coalesce(func.max(id_column), 0), func.count(id_column))
        ).one()
    return int(row[0]), int(row[1])


def data_version(engine: Engine) -> tuple[int, int]:
    """Changes whenever something is imported: used as a cache key so pages never go stale."""
    return id_version(engine, release.c.id)


def sources(engine: Engine) -> pd.DataFrame:
    """Every source with owner, table, licence, period covered, last import and row count."""
    active = release.c.active.is_(True)
    rel = (
        select(
            release.c.source_key,
            func.max(release.c.imported_at).label("imported_at"),
            func.sum(case((active, release.c.row_count), else_=0)).label("rows"),
            func.count(release.c.id).label("releases"),
        )
        .group_by(release.c.source_key)
        .subquery()
    )
    obs = (
        select(
            release.c.source_key,
            func.min(observation.c.period).label("first"),
            func.max(observation.c.period).label("last"),
        )
        .join(release, release.c.id == observation.c.release_id)
        .where(observation.c.current.is_(True))
        .group_by(release.c.source_key)
        .subquery()
    )
    geo = (
        select(
            release.c.source_key,
            func.min(cast(area.c.indeling, String)).label("first"),
            func.max(cast(area.c.indeling, String)).label("last"),
        )
        .join(release, release.c.id == area.c.release_id)
        .group_by(release.c.source_key)
        .subquery()
    )
    stmt = (
        select(
            source.c.key,
            source.c.owner,
            source.c.table_id,
            source.c.title,
            source.c.licence,
            source.c.url,
            source.c.note,
            rel.c.imported_at,
            rel.c.rows,
            rel.c.releases,
            func.coalesce(obs.c.first, geo.c.first).label("first"),
            func.coalesce(obs.c.last, geo.c.last).label("last"),
        )
        .outerjoin(rel, rel.c.source_key == source.c.key)
        .outerjoin(obs, obs.c.source_key == source.c.key)
        .outerjoin(geo, geo.c.source_key == source.c.key)
        .order_by(source.c.owner, source.c.key)
    )
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all())
    if df.empty:
        return df
    df["period"] = [_span(a, b) for a, b in zip(df["first"], df["last"], strict=True)]
    return df.drop(columns=["first", "last"])


def _span(first, last) -> str:
    if first is None or (isinstance(first, float) and pd.isna(first)):
        return ""
    first, last = str(first), str(last)
    return first if first == last else f"{first}–{last}"


def indicators(engine: Engine, include_auto: bool = True) -> pd.DataFrame:
    stmt = select(indicator).order_by(
        indicator.c.auto, indicator.c.theme, indicator.c.name, indicator.c.id
    )
    if not include_auto:
        stmt = stmt.where(indicator.c.auto.is_(False))
    return _frame(engine, stmt)


def coverage(engine: Engine) -> pd.DataFrame:
    """Per indicator, level and period: how many areas have a value."""
    latest_level = (
        select(area.c.code, func.max(area.c.level).label("level")).group_by(area.c.code).subquery()
    )
    stmt = (
        select(
            observation.c.indicator_id,
            indicator.c.name,
            latest_level.c.level,
            observation.c.period,
            func.count(distinct(observation.c.area_code)).label("areas"),
        )
        .join(indicator, indicator.c.id == observation.c.indicator_id)
        .join(latest_level, latest_level.c.code == observation.c.area_code)
        .where(observation.c.current.is_(True))
        .group_by(
            observation.c.indicator_id, indicator.c.name, latest_level.c.level, observation.c.period
        )
    )
    return _frame(engine, stmt)


def releases(engine: Engine) -> pd.DataFrame:
    stmt = select(release).order_by(release.c.id.desc())
    return _frame(engine, stmt)


def area_counts(engine: Engine, gemeente: str) -> dict[str, int]:
    """Number of wijken and buurten of the gemeente in the database."""
    prefix = gemeente[2:]
    with engine.connect() as conn:
        rows = conn.execute(
            select(area.c.level, func.count(distinct(area.c.code)))
            .where(
                area.c.level.in_(["wijk", "buurt"]),
                (starts_with(area.c.code, f"WK{prefix}") | starts_with(area.c.code, f"BU{prefix}")),
            )
            .group_by(area.c.level)
        ).all()
    return {level: n for level, n in rows}


def area_name(engine: Engine, code: str) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(area.c.name).where(area.c.code == code).order_by(area.c.indeling.desc()).limit(1)
        ).first()
    return row[0] if row else None


def peer_groups(engine: Engine) -> pd.DataFrame:
    stmt = (
        select(
            peer_group.c.id,
            peer_group.c.name,
            peer_group.c.description,
            func.count(peer_group_member.c.area_code).label("members"),
        )
        .outerjoin(peer_group_member, peer_group_member.c.group_id == peer_group.c.id)
        .group_by(peer_group.c.id, peer_group.c.name, peer_group.c.description)
    )
    return _frame(engine, stmt)


def series(engine: Engine, indicator_id: str, area_codes: list[str]) -> pd.DataFrame:
    """Current values of one indicator for some areas, all periods (no document variants)."""
    o = observation
    stmt = (
        select(
            o.c.area_code,
            o.c.period,
            *value_columns(o),
        )
        .where(
            o.c.indicator_id == indicator_id,
            o.c.area_code.in_(area_codes),
            o.c.current.is_(True),
            o.c.variant == "",
        )
        .order_by(o.c.area_code, o.c.period)
    )
    return _frame(engine, stmt)


def peer_members(engine: Engine, group_id: str) -> list[str]:
    with engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                select(peer_group_member.c.area_code)
                .where(peer_group_member.c.group_id == group_id)
                .order_by(peer_group_member.c.area_code)
            )
        ]


def indicator_meta(engine: Engine, indicator_id: str) -> dict | None:
    stmt = (
        select(
            indicator,
            source.c.owner,
            source.c.table_id.label("table"),
            source.c.title.label("source_title"),
        )
        .outerjoin(source, source.c.key == indicator.c.source_key)
        .where(indicator.c.id == indicator_id)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    return dict(row) if row else None


def source_of(engine: Engine, indicator_id: str) -> dict:
    """Owner, table and title behind an indicator; a derived one names its numerator's source."""
    from dashboard.store.schema import derivation

    meta = indicator_meta(engine, indicator_id) or {}
    if meta.get("owner"):
        return {
            "owner": meta["owner"],
            "table": meta["table"],
            "title": meta["source_title"],
            "derived": False,
        }
    with engine.connect() as conn:
        rule = conn.execute(
            select(derivation.c.numerator, derivation.c.denominator).where(
                derivation.c.indicator_id == indicator_id
            )
        ).first()
    if rule is None:
        return {"owner": "onbekend", "table": "", "title": "", "derived": False}
    base = source_of(engine, rule.numerator)
    if rule.denominator not in ("eigen_noemer", rule.numerator):
        other = source_of(engine, rule.denominator)
        if other["table"] != base["table"]:
            base = {**base, "table": f"{base['table']} en {other['owner']} {other['table']}"}
    return {**base, "derived": True}


def level_options(engine: Engine, level: str, gemeente: str) -> pd.DataFrame:
    """Indicators (not auto-registered) with values for the gemeente's wijken or buurten,
    with their periods: columns id, name, unit, better, kind, periods (sorted list)."""
    stmt = (
        select(
            *_META,
            observation.c.period,
        )
        .join(observation, observation.c.indicator_id == indicator.c.id)
        .where(
            _prefix_filter(level, gemeente),
            observation.c.current.is_(True),
            observation.c.variant == "",
            indicator.c.auto.is_(False),
        )
        .distinct()
    )
    df = _frame(engine, stmt)
    if df.empty:
        return df.drop(columns="period").assign(periods=[])
    periods = df.groupby("id")["period"].apply(lambda s: sorted(set(s))).rename("periods")
    meta = df.drop(columns="period").drop_duplicates("id").set_index("id")
    ordered = meta.join(periods).reset_index().sort_values(["name", "id"])
    return ordered.reset_index(drop=True)


def level_values(
    engine: Engine, indicator_id: str, period: str, level: str, gemeente: str
) -> pd.DataFrame:
    """Values of one indicator in one period for all wijken or buurten of the gemeente."""
    o = observation
    stmt = select(o.c.area_code, *value_columns(o)).where(
        o.c.indicator_id == indicator_id,
        o.c.period == period,
        _prefix_filter(level, gemeente),
        o.c.current.is_(True),
        o.c.variant == "",
    )
    return _frame(engine, stmt)


def areas(engine: Engine, level: str, gemeente: str) -> pd.DataFrame:
    """Current name and parent of every wijk or buurt of the gemeente (latest indeling)."""
    prefix = {"wijk": "WK", "buurt": "BU"}[level] + gemeente[2:]
    latest = (
        select(area.c.code, func.max(area.c.indeling).label("indeling"))
        .where(area.c.level == level, starts_with(area.c.code, prefix))
        .group_by(area.c.code)
        .subquery()
    )
    stmt = (
        select(area.c.code, area.c.name, area.c.parent_code, area.c.indeling)
        .join(latest, (latest.c.code == area.c.code) & (latest.c.indeling == area.c.indeling))
        .order_by(area.c.code)
    )
    return _frame(engine, stmt)


def area_values(engine: Engine, code: str) -> pd.DataFrame:
    """Every current value for one area: indicator metadata, period, value, margins, counts."""
    o = observation
    stmt = (
        select(
            o.c.indicator_id,
            indicator.c.name,
            indicator.c.unit,
            indicator.c.better,
            indicator.c.kind,
            indicator.c.source_key,
            o.c.period,
            *value_columns(o),
        )
        .join(indicator, indicator.c.id == o.c.indicator_id)
        .where(
            o.c.area_code == code,
            o.c.current.is_(True),
            o.c.variant == "",
            indicator.c.auto.is_(False),
        )
        .order_by(indicator.c.name, indicator.c.id, o.c.period)
    )
    return _frame(engine, stmt)


def geometries(engine: Engine, codes: list[str]) -> pd.DataFrame:
    """WKB geometry (RD New) of the latest indeling of each code."""
    latest = (
        select(geometry.c.area_code, func.max(geometry.c.indeling).label("indeling"))
        .where(geometry.c.area_code.in_(codes))
        .group_by(geometry.c.area_code)
        .subquery()
    )
    stmt = select(geometry.c.area_code, geometry.c.wkb).join(
        latest,
        (latest.c.area_code == geometry.c.area_code) & (latest.c.indeling == geometry.c.indeling),
    )
    return _frame(engine, stmt)


def context_codes(engine: Engine, gemeente: str, group: str = "twente") -> dict[str, list[str]]:
    """Codes for the quiet context layers: gemeenten of the group and their wijken."""
    members = peer_members(engine, group) or [gemeente]
    with engine.connect() as conn:
        wijken = [
            r[0]
            for r in conn.execute(
                select(area.c.code)
                .where(
                    area.c.level == "wijk",
                    area.c.parent_code.in_(members),
                    area.c.parent_code != gemeente,
                )
                .distinct()
            )
        ]
    return {"gemeenten": members, "wijken": wijken}


def level_all_values(engine: Engine, level: str, gemeente: str) -> pd.DataFrame:
    """All current values for all wijken or buurten of the gemeente (for ranks and trends)."""
    o = observation
    stmt = select(
        o.c.indicator_id, o.c.area_code, o.c.period, o.c.value, o.c.count, o.c.denominator
    ).where(_prefix_filter(level, gemeente), o.c.current.is_(True), o.c.variant == "")
    return _frame(engine, stmt)


def sources_by_key(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {r["key"]: dict(r) for r in conn.execute(select(source)).mappings()}


def benchmark_indicators(engine: Engine, gemeente: str) -> pd.DataFrame:
    """Indicators for the footprint: the catalogue's footprint rows (with or without data) and
    every other rate, share or score the gemeente has at gemeente level. Counts are left out:
    an absolute number says nothing next to cities of another size."""
    has_data = (
        select(observation.c.indicator_id)
        .where(
            observation.c.area_code == gemeente,
            observation.c.current.is_(True),
            observation.c.variant == "",
        )
        .distinct()
    )
    stmt = (
        select(
            *_META,
            indicator.c.footprint,
            indicator.c.series_break,
            indicator.c.series_break_note,
            indicator.c.source_key,
            indicator.c.id.in_(has_data).label("has_data"),
        )
        .where(
            indicator.c.auto.is_(False),
            indicator.c.better != "neutraal",
            indicator.c.kind != "aantal",
            indicator.c.footprint.is_not(None) | indicator.c.id.in_(has_data),
        )
        .order_by(
            indicator.c.footprint.is_(None),
            indicator.c.footprint,
            indicator.c.theme,
            indicator.c.name,
            indicator.c.id,  # two indicators may share a name: the same order on every database
        )
    )
    return _frame(engine, stmt)


def gemeente_periods(engine: Engine, gemeente: str) -> list[str]:
    """Years with any gemeente-level value for the gemeente."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(observation.c.period)
            .where(observation.c.area_code == gemeente, observation.c.current.is_(True))
            .distinct()
        )
        return sorted({r[0] for r in rows if is_ascii_digits(str(r[0]))})


def group_values(
    engine: Engine, indicator_ids: list[str], codes: list[str], periods: list[str]
) -> pd.DataFrame:
    """Current values of some indicators for some areas in some periods."""
    o = observation
    stmt = select(
        o.c.indicator_id,
        o.c.area_code,
        o.c.period,
        o.c.value,
        o.c.lower,
        o.c.upper,
        o.c.count,
        o.c.denominator,
    ).where(
        o.c.indicator_id.in_(indicator_ids),
        o.c.area_code.in_(codes),
        o.c.period.in_(periods),
        o.c.current.is_(True),
        o.c.variant == "",
    )
    return _frame(engine, stmt)


def group_members(engine: Engine, group_id: str) -> list[str]:
    """Members of a peer group; 'alle' is every gemeente in the database."""
    if group_id != "alle":
        return peer_members(engine, group_id)
    with engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                select(area.c.code)
                .where(area.c.level == "gemeente")
                .distinct()
                .order_by(area.c.code)
            )
        ]


def indicator_all_periods(engine: Engine, indicator_id: str, codes: list[str]) -> pd.DataFrame:
    """All periods of one indicator for some areas (for trends)."""
    o = observation
    stmt = select(o.c.area_code, o.c.period, o.c.value).where(
        o.c.indicator_id == indicator_id,
        o.c.area_code.in_(codes),
        o.c.current.is_(True),
        o.c.variant == "",
    )
    return _frame(engine, stmt)


def gemeente_names(engine: Engine) -> dict[str, str]:
    """Latest name of every gemeente code."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(area.c.code, area.c.name, area.c.indeling)
            .where(area.c.level.in_(["gemeente", "aggregaat", "land"]))
            .order_by(area.c.indeling)
        ).all()
    return {code: name for code, name, _ in rows}


def gemeenten_with_data(engine: Engine) -> dict[str, str]:
    """Latest name of every gemeente with a figure of its own or with wijken, by name."""
    names = gemeente_names(engine)
    with engine.connect() as conn:
        own = conn.execute(
            select(observation.c.area_code)
            .where(starts_with(observation.c.area_code, "GM"))
            .distinct()
        ).scalars()
        parents = conn.execute(
            select(area.c.parent_code).where(area.c.level == "wijk").distinct()
        ).scalars()
        codes = {*own, *parents}
    known = ((c, names[c]) for c in codes if c in names)
    return dict(sorted(known, key=lambda item: item[1].lstrip("'").lower()))


def gemeente_geometries(engine: Engine, year: int) -> pd.DataFrame:
    """Gemeente polygons of the latest indeling up to `year` (else the earliest)."""
    with engine.connect() as conn:
        years = sorted(
            {
                r[0]
                for r in conn.execute(
                    select(geometry.c.indeling)
                    .join(
                        area,
                        (area.c.code == geometry.c.area_code)
                        & (area.c.indeling == geometry.c.indeling),
                    )
                    .where(area.c.level == "gemeente")
                    .distinct()
                )
            }
        )
        if not years:
            return pd.DataFrame(columns=["area_code", "wkb"])
        use = max([y for y in years if y <= year], default=years[0])
        rows = conn.execute(
            select(geometry.c.area_code, geometry.c.wkb)
            .join(
                area,
                (area.c.code == geometry.c.area_code) & (area.c.indeling == geometry.c.indeling),
            )
            .where(area.c.level == "gemeente", geometry.c.indeling == use)
        ).all()
    return pd.DataFrame(rows, columns=["area_code", "wkb"])

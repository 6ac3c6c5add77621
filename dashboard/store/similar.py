"""Reads for similar areas: the candidate wijken or buurten of some gemeenten, their latest
characteristics, the size of their border and every current value of a few areas."""

from __future__ import annotations

import pandas as pd
import shapely
from sqlalchemy import Engine, func, or_, select

from dashboard.store.coverage import frame_of
from dashboard.store.schema import area, geometry, indicator, observation

_PREFIX = {"wijk": "WK", "buurt": "BU"}


def candidates(engine: Engine, level: str, gemeenten: list[str] | None) -> pd.DataFrame:
    """Every wijk or buurt of the gemeenten (latest indeling): code, name, gemeente.
    `gemeenten=None`: of every gemeente in the database (the country, as far as it is loaded)."""
    if gemeenten is not None and not gemeenten:
        return pd.DataFrame(columns=["code", "name", "gemeente"])
    where = [area.c.level == level]
    if gemeenten is not None:
        where.append(or_(*(area.c.code.like(_PREFIX[level] + g[2:] + "%") for g in gemeenten)))
    latest = (
        select(area.c.code, func.max(area.c.indeling).label("indeling"))
        .where(*where)
        .group_by(area.c.code)
        .subquery()
    )
    stmt = (
        select(area.c.code, area.c.name)
        .join(latest, (latest.c.code == area.c.code) & (latest.c.indeling == area.c.indeling))
        .order_by(area.c.code)
    )
    out = frame_of(engine, stmt)
    out["gemeente"] = ["GM" + c[2:6] for c in out["code"]]
    return out


def latest_values(engine: Engine, indicator_ids: list[str], codes: list[str]) -> pd.DataFrame:
    """Per indicator and area the current value of its latest period with a value:
    indicator_id, area_code, period, value."""
    o = observation
    stmt = select(o.c.indicator_id, o.c.area_code, o.c.period, o.c.value).where(
        o.c.indicator_id.in_(indicator_ids),
        o.c.area_code.in_(codes),
        o.c.current.is_(True),
        o.c.variant == "",
        o.c.value.is_not(None),
    )
    df = frame_of(engine, stmt)
    if df.empty:
        return df
    df = df.sort_values(["indicator_id", "area_code", "period"])
    return df.drop_duplicates(["indicator_id", "area_code"], keep="last").reset_index(drop=True)


def border_km2(engine: Engine, codes: list[str]) -> dict[str, float]:
    """Size in km² of each area's latest border (RD New, metres; includes water)."""
    latest = (
        select(geometry.c.area_code, func.max(geometry.c.indeling).label("indeling"))
        .where(geometry.c.area_code.in_(codes))
        .group_by(geometry.c.area_code)
        .subquery()
    )
    stmt = select(geometry.c.area_code, geometry.c.wkb, geometry.c.crs).join(
        latest,
        (latest.c.area_code == geometry.c.area_code) & (latest.c.indeling == geometry.c.indeling),
    )
    with engine.connect() as conn:
        rows = [r for r in conn.execute(stmt) if r.crs == "EPSG:28992"]
    if not rows:
        return {}
    sizes = shapely.area(shapely.from_wkb([r.wkb for r in rows]))
    return {r.area_code: float(s) / 1e6 for r, s in zip(rows, sizes, strict=True) if s > 0}


def current_values(engine: Engine, codes: list[str]) -> pd.DataFrame:
    """Every current value (primary variant, catalogue indicators) of some areas, with the
    indicator's name, unit, kind and source key."""
    o = observation
    stmt = (
        select(
            o.c.indicator_id,
            indicator.c.name,
            indicator.c.unit,
            indicator.c.kind,
            indicator.c.source_key,
            o.c.area_code,
            o.c.period,
            o.c.value,
            o.c.derived,
        )
        .join(indicator, indicator.c.id == o.c.indicator_id)
        .where(
            o.c.area_code.in_(codes),
            o.c.current.is_(True),
            o.c.variant == "",
            indicator.c.auto.is_(False),
        )
        .order_by(indicator.c.name, indicator.c.id, o.c.period)
    )
    return frame_of(engine, stmt)

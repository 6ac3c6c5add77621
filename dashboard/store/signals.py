"""Reads for the signals ("Opvallend"): every current figure with counts or margins of one
gemeente and its wijken and buurten, with the indicator's direction and series break."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, or_, select

from dashboard.store.coverage import area_prefix, frame_of
from dashboard.store.schema import derivation, indicator, observation

# Kinds whose figures are sizes rather than events or opinions (never tested as counts).
RATE_KINDS = ("per_1000", "per_10000")


def signal_rows(engine: Engine, gemeente: str) -> pd.DataFrame:
    """One row per figure (indicator, area, period) of the gemeente, its wijken and buurten
    that has a count or a 95% interval, or is a count of events (kind 'aantal' with a
    direction): the primary figures only (no document variants, no unchecked columns)."""
    o, i = observation, indicator
    countable = (i.c.kind == "aantal") & (i.c.better != "neutraal")
    stmt = (
        select(
            o.c.indicator_id,
            o.c.area_code,
            o.c.period,
            o.c.value,
            o.c.lower,
            o.c.upper,
            o.c.count,
            o.c.denominator,
            i.c.name,
            i.c.unit,
            i.c.better,
            i.c.kind,
            i.c.series_break,
        )
        .join(i, i.c.id == o.c.indicator_id)
        .where(
            (o.c.area_code == gemeente)
            | area_prefix("wijk", gemeente)
            | area_prefix("buurt", gemeente),
            o.c.current.is_(True),
            o.c.variant == "",
            i.c.auto.is_(False),
            or_(
                o.c.count.is_not(None),
                o.c.lower.is_not(None) & o.c.upper.is_not(None),
                countable,
            ),
        )
        .order_by(o.c.area_code, o.c.indicator_id, o.c.period)
    )
    return frame_of(engine, stmt)


def rate_numerators(engine: Engine) -> dict[str, str]:
    """Count indicator -> the rate derived from it (its per-1.000 twin): the rate is tested on
    the same count, so the count itself is not tested twice."""
    with engine.connect() as conn:
        rows = conn.execute(select(derivation.c.numerator, derivation.c.indicator_id)).all()
        ids = conn.execute(select(indicator.c.id).where(indicator.c.kind.in_(RATE_KINDS))).all()
    twins = {r.numerator: r.indicator_id for r in rows if r.numerator != r.indicator_id}
    for (rate,) in ids:  # CBS's own rates: '<count>_per1000' next to '<count>'
        if rate.endswith("_per1000"):
            twins.setdefault(rate.removesuffix("_per1000"), rate)
    return twins

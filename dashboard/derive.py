"""Derived indicators (e.g. per 1.000 inwoners), computed by code from named inputs.

Rules live in the `derivation` table (loaded from `data/afgeleid.csv`). Every derived value stores
its numerator (`count`) and denominator, is flagged `derived`, and is recomputed after each import.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from .db import derivation, indicator, observation


def _current(conn: Connection, indicator_id: str):
    return conn.execute(
        select(
            observation.c.area_code,
            observation.c.period,
            observation.c.value,
            observation.c.denominator,
            observation.c.provisional,
        ).where(
            observation.c.indicator_id == indicator_id,
            observation.c.current.is_(True),
            observation.c.derived.is_(False),
            observation.c.variant == "",
        )
    ).all()


def shifted(period: str, offset: int) -> str:
    """'2023' shifted by +1 -> '2024'; only whole years are shifted."""
    return str(int(period) + offset) if period.isdigit() else period


def rate(numerator: float, denominator: float, factor: float) -> float | None:
    if denominator is None or numerator is None or denominator <= 0:
        return None
    return numerator / denominator * factor


def recompute(conn: Connection) -> int:
    """Replace all derived observations; returns how many were written."""
    conn.execute(delete(observation).where(observation.c.derived.is_(True)))
    names = dict(conn.execute(select(indicator.c.id, indicator.c.name)).all())
    written = 0
    for rule in conn.execute(select(derivation)).all():
        offsets = [int(o) for o in rule.period_offsets.split()] or [0]
        own = rule.denominator == "eigen_noemer"
        denominators: dict[tuple[str, str], float] = {}
        if not own:
            denominators = {
                (a, p): v for a, p, v, _d, _pr in _current(conn, rule.denominator) if v is not None
            }
        rows = []
        for area_code, period, value, own_den, prov in _current(conn, rule.numerator):
            if own:
                den, used = own_den, period
            else:
                den, used = None, period
                for off in offsets:
                    used = shifted(period, off)
                    den = denominators.get((area_code, used))
                    if den is not None:
                        break
            result = rate(value, den, rule.factor)
            if result is None:
                continue
            inputs = f"{names.get(rule.numerator, rule.numerator)} {period}" + (
                "" if own else f" / {names.get(rule.denominator, rule.denominator)} {used}"
            )
            rows.append(
                {
                    "indicator_id": rule.indicator_id,
                    "area_code": area_code,
                    "period": period,
                    "value": result,
                    "count": value,
                    "denominator": den,
                    "variant": "",
                    "note": f"afgeleid uit {inputs}",
                    "provisional": prov,
                    "derived": True,
                    "current": True,
                    "release_id": None,
                }
            )
        for start in range(0, len(rows), 5000):
            conn.execute(insert(observation), rows[start : start + 5000])
        written += len(rows)
    return written

"""Derived indicators, computed by code from named inputs (rules in `data/catalogus/afgeleid.csv`).

Two methods:
- `som`: a count known per buurt is summed to wijk and gemeente, but only where every buurt of
  that wijk (or every wijk of that gemeente) has a value; the note names how many were summed.
- `verhouding`: numerator / denominator × factor (per 1.000 inwoners), the denominator from
  another indicator (trying the period offsets in order) or the observation's own denominator.
Every derived value stores its numerator (`count`) and denominator, is flagged `derived`, and is
recomputed after each import.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, insert, select

from dashboard.domain.parsing import is_ascii_digits
from dashboard.store.schema import area, derivation, indicator, observation


def _current(conn: Connection, indicator_id: str, include_derived: bool = True):
    stmt = select(
        observation.c.area_code,
        observation.c.period,
        observation.c.value,
        observation.c.denominator,
        observation.c.provisional,
    ).where(
        observation.c.indicator_id == indicator_id,
        observation.c.current.is_(True),
        observation.c.variant == "",
    )
    if not include_derived:
        stmt = stmt.where(observation.c.derived.is_(False))
    return conn.execute(stmt).all()


def shifted(period: str, offset: int) -> str:
    """'2023' shifted by +1 -> '2024'; only whole years are shifted."""
    return str(int(period) + offset) if is_ascii_digits(period) else period


def rate(numerator: float | None, denominator: float | None, factor: float) -> float | None:
    if denominator is None or numerator is None or denominator <= 0:
        return None
    return numerator / denominator * factor


def sum_up(values: dict[str, float], children: dict[str, set[str]]) -> dict[str, tuple[float, int]]:
    """Sum child values per parent where every child has a value: {parent: (sum, n)}."""
    out = {}
    for parent, kids in children.items():
        if kids and all(k in values for k in kids):
            out[parent] = (sum(values[k] for k in kids), len(kids))
    return out


def _children(conn: Connection) -> dict[str, dict[str, set[str]]]:
    """{level of parent: {parent code: child codes}} for wijk (from buurten) and gemeente."""
    tree: dict[str, dict[str, set[str]]] = {"wijk": defaultdict(set), "gemeente": defaultdict(set)}
    for code, level, parent in conn.execute(
        select(area.c.code, area.c.level, area.c.parent_code).distinct()
    ):
        if level == "buurt" and parent:
            tree["wijk"][parent].add(code)
        elif level == "wijk" and parent:
            tree["gemeente"][parent].add(code)
    return tree


def _insert(conn: Connection, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        conn.execute(insert(observation), rows[start : start + 5000])


def recompute(conn: Connection) -> int:
    """Replace all derived observations; returns how many were written."""
    conn.execute(delete(observation).where(observation.c.derived.is_(True)))
    names = dict(conn.execute(select(indicator.c.id, indicator.c.name)).all())
    rules = conn.execute(select(derivation)).all()
    written = 0
    tree = _children(conn) if any(r.method == "som" for r in rules) else {}
    for rule in [r for r in rules if r.method == "som"]:
        by_period: dict[str, dict[str, float]] = defaultdict(dict)
        for area_code, period, value, _d, _p in _current(conn, rule.numerator, False):
            if value is not None:
                by_period[period][area_code] = value
        rows = []
        for period, values in by_period.items():
            for level, child_label in (("wijk", "buurten"), ("gemeente", "wijken")):
                for parent, (total, n) in sum_up(values, tree[level]).items():
                    if parent in values:
                        continue  # a published value wins over our sum
                    values[parent] = total
                    rows.append(
                        {
                            "indicator_id": rule.indicator_id,
                            "area_code": parent,
                            "period": period,
                            "value": total,
                            "count": total,
                            "denominator": None,
                            "variant": "",
                            "note": f"afgeleid: som van {n} {child_label}",
                            "provisional": False,
                            "derived": True,
                            "current": True,
                            "release_id": None,
                        }
                    )
        _insert(conn, rows)
        written += len(rows)
    for rule in [r for r in rules if r.method == "verhouding"]:
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
        _insert(conn, rows)
        written += len(rows)
    return written

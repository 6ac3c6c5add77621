"""Boundaries that change: does a figure of a period belong to the same area as today?

A figure belongs to the area code as CBS coded it in its period; the database holds the areas
(and, where shipped, their polygons) per indeling year. Rule, per area and period:

- The period's indeling is the latest shipped indeling at or before the period's year (before
  the first shipped indeling: the first).
- "ok": the code exists in that indeling and in the reference indeling (today: the latest
  shipped one), and where both polygons are known their areas differ by at most `TOLERANCE`.
- "indeling gewijzigd": the code exists in both, but its boundary changed (Groningen GM0014
  grew by Haren and Ten Boer on 1 January 2019).
- "andere indeling": the code did not exist in one of the two (Het Hogeland GM1966 before
  2019).

Pure: the sizes come from the store (`dashboard.store.indeling`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

OK, CHANGED, OTHER = "ok", "indeling gewijzigd", "andere indeling"
# Between the shipped gemeente files an unchanged gemeente differs by up to 1,2% (coastlines,
# generalisation of small gemeenten); the smallest real boundary change in the G40 is Oss in
# 2015 (7%). 2% keeps the noise out and every merger in.
TOLERANCE = 0.02

RULE_TEXT = """\
- **Gebieden veranderen.** Gemeenten worden samengevoegd en grenzen verschuiven. Een cijfer
  hoort bij het gebied zoals CBS het in dat jaar indeelde. Groningen (GM0014) is sinds 2019
  samen met Haren en Ten Boer één gemeente: het cijfer van Groningen over 2018 gaat over een
  kleiner gebied dan het cijfer over 2019.
- **Een reeks** van een gemeente, wijk of buurt toont alleen de jaren waarin de code bestond en
  de grens gelijk was aan die van nu (de oppervlakte wijkt minder dan 2% af). Eerdere jaren
  laten we weg; bij de grafiek staat dan "indeling gewijzigd in" het jaar van de wijziging.
  De lijn van de groep is de groep zoals die in elk jaar was; bij de grafiek staat welke
  gemeenten in die jaren van grens veranderden.
- **Een ontwikkeling** (een verschil tussen twee jaren) rekenen we niet voor een gemeente
  waarvan de grens tussen die jaren veranderde ("≠ indeling gewijzigd"). In het
  groepsgemiddelde van de ontwikkeling tellen alleen de gemeenten mee waarvan de grens in beide
  jaren gelijk is; welke zijn weggelaten staat erbij. De positie in één jaar blijft een
  vergelijking van de gemeenten zoals ze in dat jaar waren.
- **Een groepscijfer van CBS** (G32, G40) telt elke gemeente in de grenzen van dat jaar. Daar
  kunnen wij een samenvoeging niet uit halen.
- **Wijken en buurten:** alleen de indeling 2024 is ingelezen. Een cijfer van een eerder jaar
  met dezelfde code geldt als hetzelfde gebied; een verschoven grens zonder nieuwe code is dan
  niet te zien.
"""


@dataclass
class Boundaries:
    """The shipped indelingen per level (wijken and buurten: per level and gemeente, as
    "wijk 0164") and, per area code, its level key and its size per indeling (m², None without a
        polygon). `merged`: per (code, indeling) the names of the areas that disappeared into it at
        that indeling."""

    shipped: dict[str, list[int]] = field(default_factory=dict)
    sizes: dict[str, dict[int, float | None]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    merged: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def indelingen(self, code: str) -> list[int]:
        return self.shipped.get(self.levels.get(code, ""), [])

    def status(self, code: str, period: str, reference: str | None = None) -> str:
        return status(self.sizes.get(code, {}), self.indelingen(code), period, reference)

    def change(self, code: str) -> tuple[int, int] | None:
        return last_change(self.sizes.get(code, {}), self.indelingen(code))


def period_year(period: str) -> int:
    return int(str(period)[:4])


def indeling_for(period: str | int, shipped: list[int]) -> int | None:
    """The latest shipped indeling at or before the period's year (before the first: the
    first); None when nothing is shipped."""
    if not shipped:
        return None
    year = period if isinstance(period, int) else period_year(period)
    return max((i for i in shipped if i <= year), default=min(shipped))


def same_area(a: float | None, b: float | None, tolerance: float = TOLERANCE) -> bool:
    """Two sizes of one code: the same boundary unless both are known and differ."""
    if a is None or b is None or _nan(a) or _nan(b) or max(a, b) <= 0:
        return True
    return abs(a - b) / max(a, b) <= tolerance


def status(
    sizes: dict[int, float | None],
    shipped: list[int],
    period: str,
    reference: str | None = None,
    tolerance: float = TOLERANCE,
) -> str:
    """OK, CHANGED or OTHER for a figure of `period` against the area in `reference`'s indeling
    (default: the latest shipped indeling). `sizes` holds the code's indelingen (an area
    without any shipped indeling, such as an aggregate, is OK)."""
    if not shipped or not sizes:
        return OK
    here = indeling_for(period, shipped)
    there = indeling_for(reference, shipped) if reference else max(shipped)
    if here not in sizes or there not in sizes:
        return OTHER
    return OK if same_area(sizes[here], sizes[there], tolerance) else CHANGED


def last_change(
    sizes: dict[int, float | None], shipped: list[int], tolerance: float = TOLERANCE
) -> tuple[int, int] | None:
    """The last change of the code before today's indeling, as (the last shipped indeling
    with another boundary or without the code, the first one with today's boundary)."""
    ordered = sorted(shipped)
    if not ordered or ordered[-1] not in sizes:
        return None
    now = sizes[ordered[-1]]
    for before, after in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=True):
        if before not in sizes or not same_area(sizes[before], now, tolerance):
            return before, after
    return None


def change_text(change: tuple[int, int]) -> str:
    """'in 2019' when the two indelingen are a year apart, else 'tussen 2012 en 2017'."""
    before, after = change
    return f"in {after}" if after - before == 1 else f"tussen {before} en {after}"


def current_periods(
    frame: pd.DataFrame, bounds: Boundaries, code_column: str = "area_code"
) -> pd.DataFrame:
    """The rows whose figure is for the area in today's boundaries (the others left out)."""
    if frame.empty:
        return frame
    keep = [
        bounds.status(code, str(period)) == OK
        for code, period in zip(frame[code_column], frame["period"], strict=True)
    ]
    return frame[keep]


def series_note(code: str, name: str, frame: pd.DataFrame, bounds: Boundaries) -> str:
    """Why a series of one area starts later than its figures: '' when nothing is left out."""
    left = [p for p in frame["period"].astype(str) if bounds.status(code, p) != OK]
    if not left:
        return ""
    change = bounds.change(code)
    when = change_text(change) if change else ""
    merged = bounds.merged.get((code, change[1]), []) if change else []
    what = f" (samengevoegd met {join_names(merged)})" if merged else ""
    years = sorted(set(left))
    span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return (
        f"{name}: indeling gewijzigd {when}{what}. De cijfers over {span} gaan over een ander "
        "gebied en staan niet in de reeks."
    ).replace("  ", " ")


def unchanged_between(bounds: Boundaries, codes, base: str, latest: str) -> set[str]:
    """The codes whose area is the same in the indelingen of both years."""
    return {c for c in codes if bounds.status(c, base, latest) == OK}


def development_note(
    bounds: Boundaries, left_out: list[str], base: str, latest: str, group: str
) -> str:
    """Which gemeenten the group's development leaves out, and why, in plain Dutch (`group`:
    'de G32', 'alle gemeenten')."""
    if not left_out:
        return ""
    parts = [
        change_between(bounds, code, base, latest)
        for code in sorted(left_out, key=lambda c: bounds.names.get(c, c).lstrip("'"))
    ]
    shown = parts if len(parts) <= 7 else [*parts[:6], f"en nog {len(parts) - 6} andere"]
    return (
        f"{'; '.join(shown)[:1].upper()}{'; '.join(shown)[1:]}. Niet meegeteld in de "
        f"ontwikkeling {base}–{latest} van {group}: hun cijfers van {base} en {latest} "
        "gaan over verschillende gebieden."
    )


def change_between(bounds: Boundaries, code: str, base: str, latest: str) -> str:
    """'Groningen is in 2019 samengevoegd met Haren en Ten Boer' (or 'van Tilburg is tussen
    2019 en 2022 de grens gewijzigd'): the last change between two years."""
    name = bounds.names.get(code, code)
    change = _change_within(bounds, code, base, latest)
    merged = bounds.merged.get((code, change[1]), []) if change else []
    when = f" {change_text(change)}" if change else ""
    if merged:
        return f"{name} is{when} samengevoegd met {join_names(merged)}"
    return f"van {name} is{when} de grens gewijzigd"


def _change_within(bounds: Boundaries, code: str, base: str, latest: str) -> tuple[int, int] | None:
    """The last change of the code's boundary between the indelingen of two years."""
    shipped = bounds.indelingen(code)
    sizes = bounds.sizes.get(code, {})
    a, b = sorted((indeling_for(base, shipped), indeling_for(latest, shipped)))
    inside = [i for i in shipped if a <= i <= b]
    if b not in sizes:
        return None
    for before, after in zip(reversed(inside[:-1]), reversed(inside[1:]), strict=True):
        if before not in sizes or not same_area(sizes[before], sizes[b]):
            return before, after
    return None


def join_names(names: list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)

"""Colour classes a reader can trust: quantile classes with rounded bounds, a colour-blind-safe
sequential palette oriented by the indicator's "better" direction, and rules for rates that
would mislead (too few inhabitants)."""

from __future__ import annotations

import math

import numpy as np

# ColorBrewer sequential palettes (colour-blind safe), light to dark.
ORANGE_RED = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"]
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#bdbdbd"  # "geen gegevens": mid grey, with a dashed outline on the map
NOT_APPLICABLE = "#ffffff"  # "n.v.t.": white, too few inhabitants for a stable rate

# A rate per 1.000 inwoners is not shown for an area with fewer inhabitants than this: a
# business park with 15 inhabitants and 40 burglaries would otherwise dominate the map.
MIN_POPULATION = 200
# Below this many events a rate is shown but marked as uncertain.
MIN_COUNT = 10


def nice_round(x: float) -> float:
    """Round to two significant digits, for class bounds a reader can remember."""
    if x == 0 or not math.isfinite(x):
        return x
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)


def class_breaks(values, k: int = 5) -> list[float]:
    """Inner class bounds by quantiles, rounded and made strictly increasing.

    Returns at most k-1 bounds; fewer when there are fewer distinct values.
    """
    vals = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if vals.size < 2 or np.unique(vals).size < 2:
        return []
    k = min(k, int(np.unique(vals).size))
    qs = np.quantile(vals, [i / k for i in range(1, k)])
    bounds: list[float] = []
    for q in qs:
        b = nice_round(float(q))
        if (not bounds or b > bounds[-1]) and vals.min() < b <= vals.max():
            bounds.append(b)
    return bounds


def classify(value: float | None, bounds: list[float]) -> int | None:
    """Class index 0..len(bounds); a value equal to a bound falls in the upper class."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return sum(value >= b for b in bounds)


def palette(n_classes: int, better: str) -> list[str]:
    """Colours for classes 0..n-1 (low to high values). Darker means worse; a neutral
    indicator uses blues (darker = more)."""
    if n_classes <= 0:
        return []
    base = BLUES if better == "neutraal" else ORANGE_RED
    idx = np.linspace(0, len(base) - 1, n_classes).round().astype(int)
    colours = [base[i] for i in idx]
    return colours[::-1] if better == "hoger" else colours


def legend_labels(bounds: list[float], fmt) -> list[str]:
    """'minder dan 10', '10 tot 20', ..., '40 of meer' with Dutch number formatting."""
    if not bounds:
        return ["alle waarden"]
    labels = [f"minder dan {fmt(bounds[0])}"]
    labels += [f"{fmt(a)} tot {fmt(b)}" for a, b in zip(bounds, bounds[1:], strict=False)]
    labels.append(f"{fmt(bounds[-1])} of meer")
    return labels


def rate_status(kind: str, count: float | None, denominator: float | None) -> str:
    """'ok', 'nvt' (too few inhabitants) or 'onzeker' (few events) for a derived rate."""
    if (
        kind != "per_1000"
        or denominator is None
        or (isinstance(denominator, float) and math.isnan(denominator))
    ):
        return "ok"
    if denominator < MIN_POPULATION:
        return "nvt"
    if count is not None and count < MIN_COUNT:
        return "onzeker"
    return "ok"


def hex_to_rgb(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]

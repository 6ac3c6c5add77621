"""Marks of uncertain figures on a map: which areas are hatched, and what the legend says.

An area whose rate rests on few events ('onzeker') is hatched one way (////) over its class
colour; an area with too few inhabitants for a rate ('nvt') is white and cross-hatched. The
marks are patterns, not colours, so they read in black and white, on a projector and for
colour-blind readers. The thresholds come from `classify`, where the statuses are decided.
"""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.domain import classify

MARKED = ("onzeker", "nvt")  # the statuses that get a mark, in legend order


def legend_text(status: str) -> str:
    """The legend entry of a mark, with the threshold that decides it."""
    if status == "onzeker":
        return f"gearceerd: onzeker (minder dan {classify.MIN_COUNT} gebeurtenissen)"
    if status == "nvt":
        return f"kruislings gearceerd: n.v.t. (minder dan {classify.MIN_POPULATION} inwoners)"
    raise ValueError(f"geen markering voor status {status!r}")


def marked(statuses: dict[str, str]) -> dict[str, str]:
    """Area code -> status, for the areas that get a mark."""
    return {code: s for code, s in statuses.items() if s in MARKED}


def legend(statuses: Iterable[str]) -> list[tuple[str, str]]:
    """(status, legend text) for each mark that occurs on the map, in a fixed order."""
    present = set(statuses)
    return [(s, legend_text(s)) for s in MARKED if s in present]

"""The URL is the shareable state. One function parses it and validates against what exists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

LEVELS = ("wijk", "buurt")


@dataclass(frozen=True)
class MapView:
    niveau: str
    indicator: str
    jaar: str
    gebied: str | None = None

    def params(self) -> dict[str, str]:
        """Query parameters for this view (stable names: niveau, indicator, jaar, gebied)."""
        return {k: v for k, v in asdict(self).items() if v}


def parse_view(
    params: Mapping[str, str],
    options: Mapping[str, Mapping[str, list[str]]],
    areas: Mapping[str, str],
    default_indicator: str,
) -> tuple[MapView, list[str]]:
    """Build a valid view from query parameters.

    `options` maps level -> {indicator id -> available periods}; `areas` maps code -> level.
    Unknown or unavailable values fall back to a default, with a Dutch notice for each.
    A `gebied` implies its level (a buurt code opens the buurt map).
    """
    notices: list[str] = []
    gebied = (params.get("gebied") or "").strip().upper() or None
    if gebied is not None and gebied not in areas:
        notices.append(
            f"Gebied '{gebied}' bestaat niet in de gegevens; het overzicht wordt getoond."
        )
        gebied = None
    niveau = params.get("niveau") or (areas[gebied] if gebied else "wijk")
    if gebied and areas[gebied] in LEVELS:
        niveau = areas[gebied]
    if niveau not in LEVELS or not options.get(niveau):
        if params.get("niveau"):
            notices.append(f"Niveau '{niveau}' is onbekend; wijken worden getoond.")
        niveau = next((lv for lv in LEVELS if options.get(lv)), "wijk")
    available = options.get(niveau, {})
    indicator = params.get("indicator") or default_indicator
    if indicator not in available:
        if params.get("indicator"):
            notices.append(
                f"Indicator '{indicator}' heeft geen gegevens op {niveau}niveau; "
                "een standaardindicator wordt getoond."
            )
        indicator = (
            default_indicator if default_indicator in available else next(iter(available), "")
        )
    periods = available.get(indicator, [])
    jaar = params.get("jaar") or (periods[-1] if periods else "")
    if jaar not in periods:
        if params.get("jaar"):
            notices.append(
                f"Voor jaar {jaar} zijn er geen gegevens; het laatste jaar wordt getoond."
            )
        jaar = periods[-1] if periods else ""
    return MapView(niveau, indicator, jaar, gebied), notices

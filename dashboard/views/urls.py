"""The URL is the shareable state: one small spec per page, parsed from the query parameters
and validated against what exists (datasette's `filters.py` idea).

Each `parse_*` takes the parameters as a plain mapping (from `st.query_params`) and what the
database holds, and returns the spec and the Dutch notices for values that were not usable.
An unknown value falls back to a default. A rejected value is quoted in the notice escaped for
markdown, so a link can never put a link or an image into the page. The parameter names are
stable: `gebied`, `indicator`, `jaar`, `basisjaar`, `vergelijking`, `thema`, `modus`,
`niveau`, `gemeente`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass

from dashboard.render.safe import md

LEVELS = ("wijk", "buurt")
GROUPS = {"g32": "G32", "g40": "G40", "twente": "Twente", "alle": "alle gemeenten"}
PRESENTATION = "presentatie"
GEMEENTE = "gemeente"  # opens another gemeente of the same database (a CBS code)
LEVEL_NAMES = {"wijk": "wijken", "buurt": "buurten"}
# The Kaart's `vergelijking`: each area against the mean of its similar areas.
MAP_COMPARISONS = {"vergelijkbaar": "t.o.v. vergelijkbare gebieden"}
_CODE = re.compile(r"^[A-Z]{2}[0-9]{4,8}$")
_SHOWN = 40  # characters of a rejected value quoted in a notice


def area_code(raw: object) -> str | None:
    """`gebied` normalised (trimmed, upper case), or None when it is not shaped like a CBS
    area code (two ASCII letters and four to eight ASCII digits)."""
    code = str(raw or "").strip().upper()
    return code if code.isascii() and _CODE.match(code) else None


def quoted(raw: object) -> str:
    """A rejected value for a notice: shortened and escaped for markdown."""
    text = str(raw or "").strip()
    return md(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def focus_wijk(params: Mapping[str, str], wijken) -> str | None:
    """The wijk chosen with `gebied`, if it is one of the gemeente's wijken (`wijken`: a frame
    with a `code` column, or any collection of codes)."""
    code = area_code(params.get("gebied"))
    codes = set(wijken["code"]) if hasattr(wijken, "columns") else set(wijken)
    return code if code in codes else None


def presenting(params: Mapping[str, str]) -> bool:
    return params.get("modus") == PRESENTATION


# ---------------------------------------------------------------- every page: the gemeente
def parse_gemeente(
    params: Mapping[str, str],
    offered: Mapping[str, str],
    default: str,
    remembered: str | None = None,
) -> tuple[str, list[str]]:
    """The gemeente in view: `gemeente` when this deployment offers it (`offered`: code ->
    name), else the one `remembered` from earlier in the session, else `default`."""
    raw = params.get(GEMEENTE)
    code = area_code(raw)
    if code in offered:
        return code, []
    fallback = remembered if remembered in offered else default
    if not raw:
        return fallback, []
    name = offered.get(fallback, fallback)
    return fallback, [
        f"Gemeente '{quoted(raw)}' is in dit dashboard niet beschikbaar; {md(name)} wordt "
        "getoond. Kies een gemeente in de zijbalk."
    ]


def with_gemeente(params: Mapping[str, str], gemeente: str, default: str) -> dict[str, str]:
    """`params` with the gemeente in view, which a link carries unless it is the default."""
    out = {k: v for k, v in params.items() if k != GEMEENTE}
    return {**out, GEMEENTE: gemeente} if gemeente != default else out


# ---------------------------------------------------------------- Kaart
@dataclass(frozen=True)
class MapView:
    niveau: str
    indicator: str
    jaar: str
    gebied: str | None = None
    vergelijking: str = ""  # '' (the values) or a key of MAP_COMPARISONS

    def params(self) -> dict[str, str]:
        """Query parameters for this view (stable names: niveau, indicator, jaar, gebied,
        vergelijking)."""
        return {k: v for k, v in asdict(self).items() if v}


def parse_view(
    params: Mapping[str, str],
    options: Mapping[str, Mapping[str, list[str]]],
    areas: Mapping[str, str],
    preferred: str | Sequence[str],
) -> tuple[MapView, list[str]]:
    """The Kaart's view from query parameters.

    `options` maps level -> {indicator id -> available periods}; `areas` maps code -> level;
    `preferred`: the default indicator, or ids in order of preference (the first one the level
    has data for; else the level's first indicator).
    Unknown or unavailable values fall back to a default, with a Dutch notice for each.
    A `gebied` implies its level (a buurt code opens the buurt map).
    """
    preferred = (preferred,) if isinstance(preferred, str) else tuple(preferred)
    notices: list[str] = []
    raw_gebied = params.get("gebied")
    gebied = area_code(raw_gebied)
    if raw_gebied and gebied not in areas:
        notices.append(
            f"Gebied '{quoted(raw_gebied)}' bestaat niet in de gegevens; het overzicht wordt "
            "getoond."
        )
        gebied = None
    niveau = params.get("niveau") or (areas[gebied] if gebied else "wijk")
    if gebied and areas[gebied] in LEVELS:
        niveau = areas[gebied]
    if niveau not in LEVELS or not options.get(niveau):
        shown = next((lv for lv in LEVELS if options.get(lv)), "wijk")
        if niveau in LEVELS and niveau != shown and options.get(shown):
            notices.append(
                f"Voor de {LEVEL_NAMES[niveau]} zijn nog geen cijfers; "
                f"de {LEVEL_NAMES[shown]} worden getoond."
            )
        elif params.get("niveau") and niveau not in LEVELS:
            notices.append(
                f"Niveau '{quoted(niveau)}' is onbekend; de {LEVEL_NAMES[shown]} worden getoond."
            )
        niveau = shown
    available = options.get(niveau, {})
    default = next((i for i in preferred if i in available), next(iter(available), ""))
    indicator = params.get("indicator") or default
    if indicator not in available:
        if params.get("indicator"):
            notices.append(
                f"Indicator '{quoted(indicator)}' heeft geen gegevens op {niveau}niveau; "
                "een standaardindicator wordt getoond."
            )
        indicator = default
    periods = available.get(indicator, [])
    jaar = params.get("jaar") or (periods[-1] if periods else "")
    if jaar not in periods:
        if params.get("jaar"):
            notices.append(
                f"Voor jaar {quoted(jaar)} zijn er geen gegevens; het laatste jaar wordt getoond."
            )
        jaar = periods[-1] if periods else ""
    vergelijking = params.get("vergelijking") or ""
    if vergelijking and vergelijking not in MAP_COMPARISONS:
        notices.append(
            f"Vergelijking '{quoted(vergelijking)}' bestaat niet op de kaart; de waarden worden "
            "getoond."
        )
        vergelijking = ""
    return MapView(niveau, indicator, jaar, gebied, vergelijking), notices


# ---------------------------------------------------------------- Wijkprofiel
@dataclass(frozen=True)
class ProfileView:
    gebied: str | None  # None: the page asks for a wijk or buurt


def parse_profile(
    params: Mapping[str, str], areas: Collection[str]
) -> tuple[ProfileView, list[str]]:
    """`gebied` names one of the gemeente's wijken or buurten (`areas`: their codes)."""
    raw = params.get("gebied")
    code = area_code(raw)
    if raw and code not in areas:
        return ProfileView(None), [
            f"Gebied '{quoted(raw)}' bestaat niet in de gegevens. Kies een wijk of buurt."
        ]
    return ProfileView(code), []


# ---------------------------------------------------------------- G32-vergelijking
@dataclass(frozen=True)
class ComparisonView:
    vergelijking: str
    basisjaar: str
    jaar: str
    indicator: str | None = None  # chosen on the page; the others are its controls


def parse_comparison(
    params: Mapping[str, str],
    periods: list[str],
    default_years: tuple[str, str] | None,
    default_group: str = "g32",
) -> ComparisonView:
    """Group and two years of the footprint. Without years in the URL: `default_years` (the
    Veiligheidsbeeld's), else the first and last period with figures; without a group:
    `default_group` (the group CBS publishes for those years)."""
    group = params.get("vergelijking") if params.get("vergelijking") in GROUPS else default_group
    years = default_years
    if not (years and set(years) <= set(periods)):
        years = (periods[0], periods[-1]) if periods else ("", "")
    base = params.get("basisjaar") if params.get("basisjaar") in periods else years[0]
    latest = params.get("jaar") if params.get("jaar") in periods else years[1]
    return ComparisonView(group, base, latest, params.get("indicator") or None)


# ---------------------------------------------------------------- Thema's
@dataclass(frozen=True)
class ThemeView:
    thema: str | None
    unknown: str | None = None  # a `thema` that the plan does not have, as typed


def parse_theme(params: Mapping[str, str], theme_codes: Collection[str]) -> ThemeView:
    """`?thema=T2` opens one theme; anything else is reported and ignored."""
    raw = str(params.get("thema", "") or "").strip().upper()
    if not raw:
        return ThemeView(None)
    if raw in theme_codes:
        return ThemeView(raw)
    return ThemeView(None, raw)


# ---------------------------------------------------------------- Veiligheidsbeeld, slides
@dataclass(frozen=True)
class AgendaView:
    """The Veiligheidsbeeld and the agenda's slides: a focused wijk and the two years."""

    gebied: str | None
    basisjaar: str
    jaar: str


def parse_agenda(
    params: Mapping[str, str], wijken, periods: list[str], years: tuple[str, str] | None
) -> AgendaView:
    base, latest = years or ("", "")
    if params.get("basisjaar") in periods and params.get("jaar") in periods:
        base, latest = params["basisjaar"], params["jaar"]
    return AgendaView(focus_wijk(params, wijken), base, latest)

"""What a gemeente lacks, named in Dutch with where to get it: every screen works for any
gemeente in the database, and where a figure or a map is missing it says which one and from
which source. No I/O; the names come from the caller (and are escaped where they are shown).
"""

from __future__ import annotations

UPLOAD = "een beheerder leest het bestand in op de pagina Data & bronnen"
CRIME = "de politie publiceert ze per gemeente, wijk en buurt in tabel 47018NED (data.politie.nl)"
KWB = "CBS-tabel 85984NED (Kerncijfers wijken en buurten, opendata.cbs.nl)"
SHAPES = "de CBS Wijk- en buurtkaart (PDOK, als GeoJSON of GeoPackage)"
LEVEL_WORDS = {"wijk": "wijken", "buurt": "buurten"}


def no_headline(city: str) -> str:
    return f"Nog geen cijfers over geregistreerde misdrijven voor {city}: {CRIME}; {UPLOAD}."


def no_area_figures(city: str) -> str:
    return (
        f"Nog geen cijfers per wijk of buurt voor {city}, dus geen wijkkaart. Ze staan in "
        f"{KWB} en, voor misdrijven, in politie-tabel 47018NED (data.politie.nl); {UPLOAD}."
    )


def no_shapes(city: str, level: str = "wijk") -> str:
    return (
        f"Nog geen grenzen van de {LEVEL_WORDS[level]} van {city}, dus geen kaart. Ze staan "
        f"in {SHAPES}; {UPLOAD}."
    )


def no_area_crime(city: str, shown: str) -> str:
    """The map shows another indicator (`shown`, its label) because crime per wijk is missing."""
    return (
        f"Misdrijven per wijk of buurt van {city} zijn nog niet ingelezen; de kaart toont "
        f"daarom {shown.lower()}. {CRIME[0].upper()}{CRIME[1:]}; {UPLOAD}."
    )


def no_areas(city: str) -> str:
    return (
        f"Nog geen wijken of buurten van {city} ingelezen. De grenzen staan in {SHAPES}, de "
        f"cijfers in {KWB} en politie-tabel 47018NED (data.politie.nl); {UPLOAD}."
    )


def no_level(city: str, level: str) -> str:
    """A level (wijk or buurt) without figures for the gemeente, which has the other."""
    return (
        f"Voor de {LEVEL_WORDS[level]} van {city} zijn nog geen cijfers ingelezen. Ze staan "
        f"in {KWB} en politie-tabel 47018NED (data.politie.nl); {UPLOAD}."
    )


def no_gemeente_figures(city: str) -> str:
    return (
        f"Nog geen cijfers van {city} als gemeente, dus geen vergelijking met andere "
        f"gemeenten. Misdrijven: {CRIME}; kerncijfers: {KWB}; de Veiligheidsmonitor: "
        f"CBS-tabellen 81877NED, 81924NED, 81926NED en 81928NED (2012-2019) en 85146NED "
        f"(vanaf 2021), of de eigen resultaten in het sjabloon; {UPLOAD}."
    )


def no_buurten(name: str) -> str:
    """A wijk whose buurten are not loaded (its buurt table would be empty)."""
    return (
        f"Van {name} zijn nog geen buurten ingelezen. De buurtgrenzen staan in {SHAPES}, de "
        f"cijfers per buurt in {KWB}; {UPLOAD}."
    )


def no_figures_for(name: str) -> str:
    """A wijk or buurt without any figure."""
    return f"Voor {name} zijn nog geen cijfers ingelezen. Ze staan in {KWB}; {UPLOAD}."


def area_count(counts: dict[str, int]) -> tuple[str, str, str]:
    """Label, value and help of the 'wijken en buurten' figure; a missing level is named."""
    wijken, buurten = counts.get("wijk", 0), counts.get("buurt", 0)
    if wijken and buurten:
        return "Wijken en buurten", f"{wijken} en {buurten}", ""
    if wijken:
        return "Wijken", str(wijken), f"Nog geen buurten ingelezen; de grenzen staan in {SHAPES}."
    if buurten:
        return "Buurten", str(buurten), f"Nog geen wijken ingelezen; de grenzen staan in {SHAPES}."
    return "Wijken en buurten", "nog geen", f"De grenzen staan in {SHAPES}; {UPLOAD}."

"""Similar areas: the wijken or buurten that look most like one area by their CBS
characteristics (inhabitants, density, age groups, households, urbanity), and the Dutch words
that explain how they were found. Pure: the store reads the values, the views build the tables.

The method, in the order the text on the Wijkprofiel tells it:

1. the candidates are the areas of the same level in a scope (the gemeente, Twente, or the
   country as far as it is loaded);
2. each characteristic is standardised over the candidates that have it (z-score: minus the
   mean, divided by the standard deviation); inhabitants and densities are skewed, so they are
   taken as a logarithm first;
3. the distance between two areas is the root of the mean squared difference over the
   characteristics that both have (so areas with a missing figure are not closer or further
   for that alone), and only when they share at least `MIN_SHARED` of them;
4. the `K` areas with the smallest distance are the similar areas (ties in code order).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

K = 5
MIN_SHARED = 2


@dataclass(frozen=True)
class Characteristic:
    id: str  # an indicator id, or a value the view computes (buurt density from its border)
    label: str  # Dutch, as the method text names it
    log: bool = False


# What a wijk is compared on (indicator ids in the catalogue).
WIJK = (
    Characteristic("inwoners", "aantal inwoners", log=True),
    Characteristic("bevolkingsdichtheid", "bevolkingsdichtheid", log=True),
    Characteristic("aandeel_0_14_jaar", "aandeel 0-14 jaar"),
    Characteristic("aandeel_15_24_jaar", "aandeel 15-24 jaar"),
    Characteristic("aandeel_65_plus", "aandeel 65 jaar en ouder"),
    Characteristic("aandeel_eenpersoonshuishoudens", "aandeel eenpersoonshuishoudens"),
    Characteristic("aandeel_huishoudens_met_kinderen", "aandeel huishoudens met kinderen"),
    Characteristic("stedelijkheid", "stedelijkheid"),
    Characteristic("omgevingsadressendichtheid", "omgevingsadressendichtheid", log=True),
)
# Per buurt the database has inhabitants only; the density comes from the buurt's border.
BUURT_DENSITY = "dichtheid_uit_grens"
BUURT = (
    Characteristic("inwoners", "aantal inwoners", log=True),
    Characteristic(BUURT_DENSITY, "inwoners per km² (uit de buurtgrens)", log=True),
)
# Named in the method text when a level lacks them (never silently left out).
WANTED = (
    "leeftijdsgroepen",
    "huishoudens",
    "stedelijkheid",
    "aandeel niet-woonadressen",
)
WIJK_LACKS = ("aandeel niet-woonadressen",)  # not in the CBS files the dashboard ships
BUURT_LACKS = WANTED
CHARACTERISTICS = {"wijk": WIJK, "buurt": BUURT}
LACKS = {"wijk": WIJK_LACKS, "buurt": BUURT_LACKS}
LEVEL_PLURAL = {"wijk": "wijken", "buurt": "buurten"}

Values = Mapping[str, Mapping[str, float | None]]  # area code -> characteristic id -> value


@dataclass(frozen=True)
class Match:
    code: str
    distance: float
    shared: int  # characteristics the distance was measured on


def _usable(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def standardise(values: Values, characteristics: Sequence[Characteristic]) -> dict:
    """z-scores per area and characteristic over all areas in `values` that have it (a log
    first where the characteristic says so; a value that cannot be logged is left out). A
    characteristic with fewer than two values or without spread is left out entirely."""
    out: dict[str, dict[str, float]] = {code: {} for code in values}
    for ch in characteristics:
        raw = {}
        for code, row in values.items():
            v = row.get(ch.id)
            if not _usable(v) or (ch.log and v < 0):
                continue
            raw[code] = math.log1p(v) if ch.log else float(v)
        if len(raw) < 2:
            continue
        mean = statistics.fmean(raw.values())
        sd = statistics.pstdev(raw.values())
        if sd == 0:
            continue
        for code, v in raw.items():
            out[code][ch.id] = (v - mean) / sd
    return out


def nearest(
    target: str,
    values: Values,
    characteristics: Sequence[Characteristic],
    k: int = K,
    min_shared: int = MIN_SHARED,
) -> list[Match]:
    """The `k` areas of `values` (the candidates, the target among them) nearest to `target`,
    nearest first; an area sharing fewer than `min_shared` characteristics is not a candidate.
    Empty when the target has fewer than `min_shared` characteristics."""
    z = standardise(values, characteristics)
    own = z.get(target, {})
    if len(own) < min_shared:
        return []
    # An area known by fewer characteristics is not "close" for lack of figures: it must share
    # at least half of the target's.
    min_shared = max(min_shared, math.ceil(len(own) / 2))
    found = []
    for code, theirs in z.items():
        if code == target:
            continue
        shared = [c for c in own if c in theirs]
        if len(shared) < min_shared:
            continue
        d = math.sqrt(sum((own[c] - theirs[c]) ** 2 for c in shared) / len(shared))
        found.append(Match(code, d, len(shared)))
    found.sort(key=lambda m: (round(m.distance, 12), m.code))
    return found[:k]


def used(target: str, values: Values, characteristics: Sequence[Characteristic]) -> list:
    """The characteristics the target could be compared on (it has them, they vary)."""
    z = standardise(values, characteristics).get(target, {})
    return [ch for ch in characteristics if ch.id in z]


def summary(values: Sequence[float | None]) -> tuple[float | None, float | None, int]:
    """(mean, median, how many) of the similar areas' values that exist."""
    have = [float(v) for v in values if _usable(v)]
    if not have:
        return None, None, 0
    return statistics.fmean(have), statistics.median(have), len(have)


def difference(value: float | None, mean: float | None) -> float | None:
    """The value minus the similar areas' mean (in the indicator's unit; a share or a score
    can be negative or near zero, so no percentage); None without either."""
    if not _usable(value) or not _usable(mean):
        return None
    return float(value) - float(mean)


def _words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def method_text(
    level: str, scope: str, used_labels: Sequence[str], periods: str, candidates: int, k: int = K
) -> str:
    """The method in plain Dutch, naming what the comparison uses and what it lacks.
    `scope`: where the candidates come from ('Hengelo', 'Twente'); `periods`: of the figures."""
    plural = LEVEL_PLURAL[level]
    missing = [m for m in LACKS[level] if m not in used_labels]
    text = (
        (f"Dit is de {level}" if k == 1 else f"Dit zijn de {k} {plural}")
        + f" in {scope} die het meest op dit gebied lijken naar "
        f"{_words(used_labels)} (CBS, {periods}). Hoe: elk kenmerk wordt een standaardscore "
        f"over de {candidates} {plural} in {scope} met cijfers (aantallen en dichtheden eerst "
        "als logaritme, zodat grote gebieden niet overheersen). De afstand is het gemiddelde "
        "verschil in standaardscores over de kenmerken die beide gebieden hebben (minstens de "
        f"helft van die van dit gebied, en minstens {MIN_SHARED}). Hoe kleiner de afstand, hoe "
        "meer vergelijkbaar."
    )
    if level == "buurt":
        text += f" Voor buurten zijn alleen {_words(used_labels)} beschikbaar."
    if missing:
        text += f" Niet in de database, dus niet gebruikt: {_words(missing)}."
    return text


def no_similar(name: str, level: str, scope: str, reason: str) -> str:
    """Why an area has no similar areas, in Dutch (`reason`: 'kenmerken' or 'kandidaten')."""
    plural = LEVEL_PLURAL[level]
    if reason == "kenmerken":
        return (
            f"Voor {name} zijn te weinig CBS-kenmerken in de database (minstens {MIN_SHARED} "
            f"nodig: {_words([c.label for c in CHARACTERISTICS[level]])}), dus geen "
            f"vergelijkbare {plural}. Importeer de Kerncijfers wijken en buurten van CBS "
            "(85984NED) op de pagina Data & bronnen."
        )
    return (
        f"In {scope} zijn geen andere {plural} met genoeg dezelfde CBS-kenmerken als {name}, "
        f"dus geen vergelijkbare {plural}."
    )

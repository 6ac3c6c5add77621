"""Plain-language explanations and text alternatives for every figure (Dutch, B1 level).

Each chart on the pages gets a short caption that says what it shows and how to read it, and a
sentence or a table with the same numbers, so a reader who cannot see the chart (or a screen
reader) gets the same information. Pure functions on plain values and DataFrames: no
Streamlit. The texts contain names from data files, so a page passes them through `render.safe.md()`
before they reach markdown.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.domain import classify, wijkbeeld
from dashboard.domain.fmt import fmt_number

TABLE_LABEL = "Tabel bij deze grafiek"
THEME_WORDS = ("thema", "thema's")
AREA_WORDS = {"wijk": ("wijk", "wijken"), "buurt": ("buurt", "buurten")}


# ---------------------------------------------------------------- numbers
def _usable(values) -> list[float]:
    return [float(v) for v in values if v is not None and not pd.isna(v)]


def decimals(values, unit: str = "", kind: str = "") -> int:
    """Decimals that show every value of a chart with at least two significant digits.

    Counts get none and rates one (`wijkbeeld.decimals_for`); small values get more, so a
    rate of 0.0247 per 1.000 inwoners shows as '0,025' and not as '0,0'.
    """
    base = wijkbeeld.decimals_for(unit, kind)
    nonzero = [abs(v) for v in _usable(values) if v != 0]
    if kind == "score" and nonzero and max(nonzero) < 1:
        return 3  # as `wijkbeeld.value_text`: Leefbaarometer deviations such as -0,092
    if not nonzero or max(nonzero) >= 1:
        return base
    return min(max(base, 1 - math.floor(math.log10(max(nonzero)))), 4)


def count_text(n: int, one: str, many: str) -> str:
    """3, 'wijk', 'wijken' -> '3 wijken'; 1 -> '1 wijk'; 1234 -> '1.234 wijken'."""
    return f"{fmt_number(n, 0)} {one if n == 1 else many}"


def group_name(label: str) -> str:
    """'G32' -> 'de G32'; 'Twente' -> 'de Twentse gemeenten'; 'alle gemeenten' as it is."""
    return {"Twente": "de Twentse gemeenten"}.get(label, label if " " in label else f"de {label}")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def group_mean(label: str) -> str:
    """'G32' -> 'het G32-gemiddelde'; 'alle gemeenten' -> 'het gemiddelde van alle gemeenten'."""
    return f"het gemiddelde van {label}" if " " in label else f"het {label}-gemiddelde"


def trend_words(periods, values, digits: int) -> str:
    """A series in words: 'gedaald van 60,1 in 2012 naar 45,1 in 2024'.

    Adds the lowest or highest year when that lies between the first and the last year, so
    a dip or a peak in a line is not lost. Periods without a value are skipped.
    """
    pairs = [(str(p), float(v)) for p, v in zip(periods, values, strict=True) if _usable([v])]
    if not pairs:
        return "geen cijfers"
    pairs.sort()
    fmt = lambda v: fmt_number(v, digits)  # noqa: E731
    (p0, v0), (p1, v1) = pairs[0], pairs[-1]
    if len(pairs) == 1:
        return f"{fmt(v0)} in {p0}"
    if fmt(v0) == fmt(v1):
        text = f"gelijk gebleven: {fmt(v0)} in {p0} en in {p1}"
    else:
        word = "gestegen" if v1 > v0 else "gedaald"
        text = f"{word} van {fmt(v0)} in {p0} naar {fmt(v1)} in {p1}"
    inner = pairs[1:-1]
    if inner:
        low = min(inner, key=lambda pv: pv[1])
        high = max(inner, key=lambda pv: pv[1])
        ends = {fmt(v0), fmt(v1)}
        if low[1] < min(v0, v1) and fmt(low[1]) not in ends:
            text += f"; het laagst was {fmt(low[1])} in {low[0]}"
        if high[1] > max(v0, v1) and fmt(high[1]) not in ends:
            text += f"; het hoogst was {fmt(high[1])} in {high[0]}"
    return text


# ---------------------------------------------------------------- Kaart
def _phrases(meta: dict) -> tuple[str, str]:
    """('meer misdrijven per 1.000 inwoners', 'minder ...') or ('hoger het cijfer', ...)."""
    unit, name, kind = str(meta["unit"]), str(meta["name"]).lower(), meta.get("kind", "")
    if unit == "per 1.000 inwoners" and "misdrij" in name:
        return "meer misdrijven per 1.000 inwoners", "minder misdrijven per 1.000 inwoners"
    if unit in ("misdrijven", "inwoners", "woningen"):
        return f"meer {unit}", f"minder {unit}"
    if unit.startswith("%"):
        return "hoger het percentage", "lager het percentage"
    if kind == "score" or "score" in unit:
        return "hoger de score", "lager de score"
    return "hoger het cijfer", "lager het cijfer"


def map_caption(meta: dict, niveau: str) -> str:
    """How to read a choropleth: which way the colours go, and what a click does."""
    one, _ = AREA_WORDS[niveau]
    more, less = _phrases(meta)
    if meta["better"] == "neutraal":
        how = f"Hoe donkerder de {one}, hoe {more} (dat is niet goed of slecht)."
    else:
        how = f"Hoe donkerder de {one}, hoe {less if meta['better'] == 'hoger' else more}"
        how += " (donker is ongunstig)."
    return f"{how} Klik op een {one} voor alle cijfers van die {one}."


def map_summary(
    shaded: pd.DataFrame, meta: dict, niveau: str, jaar: str, city: str, city_value=None
) -> str:
    """What the map shows in one paragraph: the highest and lowest area, the city value, and
    how many areas have no figure. `shaded` is `wijkbeeld.shade`'s frame."""
    one, many = AREA_WORDS[niveau]
    unit, kind = meta["unit"], meta.get("kind", "")
    text = f"Kaart van {count_text(len(shaded), one, many)} van {city}: {meta['name']}, {jaar}."
    usable = shaded[shaded["status"].isin(["ok", "onzeker"])].dropna(subset=["value"])
    if len(usable) >= 2:
        high = usable.loc[usable["value"].idxmax()]
        low = usable.loc[usable["value"].idxmin()]
        show = lambda v: wijkbeeld.value_text(v, unit, kind)  # noqa: E731
        text += f" Het hoogst: {high['name']} ({show(high['value'])})."
        text += f" Het laagst: {low['name']} ({show(low['value'])})."
    elif len(usable) == 1:
        only = usable.iloc[0]
        text += f" Alleen {only['name']} heeft een cijfer ({only['text']})."
    if city_value is not None and not pd.isna(city_value):
        text += f" {city} als geheel: {wijkbeeld.value_text(city_value, unit, kind)}."
    nvt = int((shaded["status"] == "nvt").sum())
    none = int((shaded["status"] == "geen").sum())
    if nvt:
        text += (
            f" Geen cijfer voor {count_text(nvt, one, many)} met minder dan "
            f"{classify.MIN_POPULATION} inwoners."
        )
    if none:
        text += f" Geen gegevens voor {count_text(none, one, many)}."
    return text


# ---------------------------------------------------------------- Wijkprofiel
def profile_intro(city: str, level: str) -> str:
    _, many = AREA_WORDS[level]
    return (
        f"Hieronder staat per cijfer de laatste waarde, de waarde voor {city} als geheel en de "
        f"plaats tussen de {many} (1 = het gunstigst). Bij een {AREA_WORDS[level][0]} met minder "
        f"dan {classify.MIN_POPULATION} inwoners staat geen cijfer per 1.000 inwoners (n.v.t.). "
        f"Bij minder dan {classify.MIN_COUNT} misdrijven is het cijfer onzeker."
    )


def locator_caption(name: str, level: str, city: str) -> str:
    one, _ = AREA_WORDS[level]
    return f"Op het kaartje is {name} blauw. Zo ziet u waar deze {one} in {city} ligt."


def locator_alt(name: str, level: str, city: str) -> str:
    _, many = AREA_WORDS[level]
    return f"Kaartje van de {many} van {city}; {name} is blauw gekleurd."


TREND_WORDS = "Verloop in woorden"
SPARKLINE_HELP = f"Hoe het cijfer door de jaren veranderde. In cijfers: de kolom {TREND_WORDS}."
SPARKLINE_CAPTION = (
    "Het lijntje bij Verloop toont alle jaren met een cijfer: links het oudste jaar, rechts "
    f"het nieuwste. De kolom '{TREND_WORDS}' zegt hetzelfde in een zin, met de cijfers."
)


def with_trend_words(view: pd.DataFrame, table: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """The profile as shown (`wijkbeeld.profile_view`) with the sparkline in words next to it."""
    out = view.copy()
    out.insert(out.columns.get_loc("Verloop") + 1, TREND_WORDS, profile_trends(table, own))
    return out


def profile_trends(table: pd.DataFrame, own: pd.DataFrame) -> list[str]:
    """The sparkline of every row of the profile table in words (same order as `table`)."""
    out = []
    for ind_id, unit, kind in zip(table["indicator_id"], table["unit"], table["kind"], strict=True):
        series = own[own["indicator_id"] == ind_id].dropna(subset=["value"])
        if len(series) < 2:
            out.append(f"alleen {series['period'].iloc[0]}" if len(series) else "geen cijfers")
            continue
        digits = decimals(series["value"], unit, kind)
        out.append(trend_words(series["period"], series["value"], digits))
    return out


# ---------------------------------------------------------------- G32
def footprint_caption(city: str, group_label: str) -> str:
    return (
        f"Per cijfer: doet {city} het beter, gelijk of slechter dan {group_name(group_label)}? "
        "▲ is beter, ● is gelijk, ▼ is slechter. Gelijk betekent: het verschil kan toeval zijn."
    )


def break_notice(series_break: int, base: str, latest: str, pairs: list[tuple[str, str]]) -> str:
    """Two years on either side of the Veiligheidsmonitor's series break, in plain Dutch."""
    offer = " en ".join(f"{a}–{b}" for a, b in pairs)
    text = (
        f"CBS heeft de Veiligheidsmonitor in {series_break} vernieuwd (andere vragenlijst en "
        f"methode). De enquêtecijfers van {base} en {latest} zijn daarom niet met elkaar te "
        "vergelijken: bij die cijfers staat geen ontwikkeling, maar '≠ reeksbreuk'. De positie "
        "in elk jaar afzonderlijk is wel te lezen."
    )
    return text + (f" Vergelijkbare jaren: {offer}." if offer else "")


def group_notice(group_label: str, latest: str) -> str:
    """The G32 chosen for a year in which CBS no longer publishes a G32 figure."""
    return (
        f"CBS publiceert de {group_label} alleen tot en met 2017; vanaf 2019 publiceert CBS de "
        f"G40. Voor {latest} is de {group_label}-waarde daarom het ongewogen gemiddelde van de "
        "gemeenten (zonder foutmarge). Vergelijk enquêtecijfers vanaf 2019 met de G40."
    )


def ranking_rows(
    values: pd.DataFrame,
    members: list[str],
    gemeente: str,
    indicator_id: str,
    period: str,
    names: dict[str, str],
    better: str,
) -> pd.DataFrame:
    """The gemeenten of the ranking chart in its order (best first, as the bars from the top):
    columns code, name, value, place (1 = best; none for a neutral indicator)."""
    sub = values[
        (values["indicator_id"] == indicator_id)
        & (values["period"] == period)
        & values["area_code"].isin(set(members) | {gemeente})
    ].dropna(subset=["value"])
    sub = sub.sort_values(
        ["value", "area_code"], ascending=[better == "lager", True], kind="stable"
    )
    return pd.DataFrame(
        {
            "code": sub["area_code"].tolist(),
            "name": [names.get(c, c) for c in sub["area_code"]],
            "value": sub["value"].astype(float).tolist(),
            "place": list(range(1, len(sub) + 1)) if better != "neutraal" else [None] * len(sub),
        }
    )


def ranking_table(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The ranking as a table with Dutch numbers: Plaats (not for neutral), Gemeente, Waarde."""
    digits = decimals(rows["value"], unit)
    out = pd.DataFrame(
        {
            "Plaats": [fmt_number(p, 0) if p is not None else "" for p in rows["place"]],
            "Gemeente": rows["name"],
            f"Waarde ({unit})": [fmt_number(v, digits) for v in rows["value"]],
        }
    )
    return out if rows["place"].notna().any() else out.drop(columns="Plaats")


def ranking_caption(city: str, group_label: str, better: str) -> str:
    if better == "neutraal":
        order = "De balken staan van hoog naar laag; hoog of laag is hier niet goed of slecht."
    else:
        order = "De bovenste balk is de gunstigste gemeente."
    return (
        f"Elke balk is een gemeente van {group_name(group_label)}. {order} {city} is blauw; de "
        f"stippellijn is {group_mean(group_label)}."
    )


def ranking_sentence(
    rows: pd.DataFrame,
    gemeente: str,
    city: str,
    group_label: str,
    period: str,
    unit: str,
    peer_value: float | None,
) -> str:
    """'Hengelo (O.) staat in 2017 op plaats 12 van 38 (1 = het gunstigst). ...'"""
    if rows.empty:
        return f"Voor {period} zijn er geen cijfers van {group_name(group_label)}."
    digits = decimals([*rows["value"], peer_value], unit)
    fmt = lambda v: fmt_number(v, digits)  # noqa: E731
    own = rows[rows["code"] == gemeente]
    neutral = rows["place"].isna().all()
    first, last = rows.iloc[0], rows.iloc[-1]
    if own.empty:
        text = f"Voor {city} is er geen cijfer over {period}."
    elif neutral:
        text = f"{city} heeft in {period} {fmt(own.iloc[0]['value'])} {unit}."
    else:
        place = int(own.iloc[0]["place"])
        text = (
            f"{city} staat in {period} op plaats {place} van {len(rows)} "
            f"(1 = het gunstigst), met {fmt(own.iloc[0]['value'])} {unit}."
        )
    if neutral:
        text += f" Het hoogst is {first['name']} ({fmt(first['value'])})."
        text += f" Het laagst is {last['name']} ({fmt(last['value'])})."
    else:
        text += f" Het gunstigst is {first['name']} ({fmt(first['value'])})."
        text += f" Het minst gunstig is {last['name']} ({fmt(last['value'])})."
    if peer_value is not None and not pd.isna(peer_value):
        text += f" {_upper_first(group_mean(group_label))} is {fmt(peer_value)}"
        if not own.empty:
            side = _side(own.iloc[0]["value"], peer_value, digits)
            text += f"; {city} zit er{side}"
        text += "."
    return text


def _side(value: float, other: float, digits: int) -> str:
    """'boven', 'onder' or 'op' as the reader sees it (on it when both show the same)."""
    if fmt_number(value, digits) == fmt_number(other, digits):
        return "op"
    return "boven" if value > other else "onder"


def trend_caption(city: str, group_label: str) -> str:
    return (
        f"De blauwe lijn is {city}, de grijze stippellijn {group_mean(group_label)}. "
        "Het grijze vlak loopt van de laagste tot de hoogste gemeente van de groep."
    )


def trend_table(
    own: pd.DataFrame, peers: pd.DataFrame, city: str, group_label: str, unit: str
) -> pd.DataFrame:
    """The trend chart's numbers per year: the gemeente, the group value, lowest and highest."""
    peers = peers if peers is not None else pd.DataFrame(columns=["period", "mean", "min", "max"])
    digits = decimals([*own["value"], *peers.get("mean", [])], unit)
    by_period = {str(p): v for p, v in zip(own["period"], own["value"], strict=True)}
    peer_rows = {str(r["period"]): r for r in peers.to_dict("records")}
    periods = sorted(set(by_period) | set(peer_rows))
    fmt = lambda v: fmt_number(None if v is None or pd.isna(v) else v, digits)  # noqa: E731
    out = pd.DataFrame({"Jaar": periods, city: [fmt(by_period.get(p)) for p in periods]})
    if peer_rows:
        for col, label in (("mean", "gemiddelde"), ("min", "laagste"), ("max", "hoogste")):
            out[f"{group_label}: {label}"] = [fmt(peer_rows.get(p, {}).get(col)) for p in periods]
    return out


def trend_sentence(
    own: pd.DataFrame, peers: pd.DataFrame | None, city: str, group_label: str, unit: str
) -> str:
    """'Hengelo (O.): gedaald van ... In 2024 ligt Hengelo (O.) onder het G32-gemiddelde.'"""
    has_peers = peers is not None and not peers.empty
    digits = decimals([*own["value"], *(peers["mean"] if has_peers else [])], unit)
    text = f"{city}: {trend_words(own['period'], own['value'], digits)} ({unit})."
    if not has_peers:
        return text
    peer_words = trend_words(peers["period"], peers["mean"], digits)
    text += f" {_upper_first(group_mean(group_label))}: {peer_words}."
    own_ok = own.dropna(subset=["value"])
    if own_ok.empty:
        return text
    last = own_ok.sort_values("period").iloc[-1]
    peer = peers[peers["period"] == last["period"]].dropna(subset=["mean"])
    if not peer.empty:
        value, mean = last["value"], peer.iloc[0]["mean"]
        text += (
            f" In {last['period']} ligt {city} {_side(value, mean, digits)} "
            f"{group_mean(group_label)} ({fmt_number(value, digits)} tegen "
            f"{fmt_number(mean, digits)})."
        )
    return text


def group_map_caption(city: str, group_label: str, better: str) -> str:
    shade = "donker is meer" if better == "neutraal" else "donker is ongunstig"
    return (
        f"Elke gekleurde gemeente hoort bij {group_name(group_label)}; {shade}. {city} heeft "
        "een dikke zwarte rand. De cijfers staan in de tabel bij de rangorde."
    )


# ---------------------------------------------------------------- Thema's
def progress_caption(head: str) -> str:
    one = head.lower()
    return (
        f"Elke balk is een {one}. De kleuren tonen hoeveel acties af zijn, lopen, vertraagd "
        "zijn of nog niet zijn gestart. De tabel eronder geeft dezelfde aantallen."
    )


def progress_alt(head: str, status_text: str) -> str:
    """`status_text`: `progress.status_sentence` of the acties shown."""
    return f"Staafdiagram: per {head.lower()} het deel van de acties per stand. {status_text}"


TREE_CAPTION = (
    "Elk vak is een actie, bij zijn doel en thema. Kleur en woord geven de stand van de actie. "
    "Alle acties staan ook hieronder in tabellen, met de volledige tekst."
)
LEVEL_WORDS = {
    "Thema": THEME_WORDS,
    "Doel": ("doel", "doelen"),
    "Subdoel": ("subdoel", "subdoelen"),
}


def tree_caption(levels: tuple[str, str] = ("Thema", "Doel"), budgets: bool = False) -> str:
    """The doelenboom's caption for a plan's two levels ('Thema', 'Doel' or 'Doel',
    'Subdoel'); with budgets it says where they stand."""
    if levels == ("Thema", "Doel") and not budgets:
        return TREE_CAPTION
    top, sub = (w.lower() for w in levels)
    money = (
        f" Bij elk {top} staan de totale lasten uit de begroting (x 1.000 euro); de begroting "
        "noemt geen bedrag per actie."
        if budgets
        else ""
    )
    return (
        f"Elk vak is een actie, bij zijn {sub} en {top}. Kleur en woord geven de stand van de "
        f"actie.{money} Alle acties staan ook hieronder in tabellen, met de volledige tekst."
    )


def tree_alt(
    acts: pd.DataFrame, status_text: str, levels: tuple[str, str] = ("Thema", "Doel")
) -> str:
    """'Doelenboom: 5 thema's, 22 doelen en 63 acties. 63 acties: ...' (`status_text`:
    `progress.status_sentence` of the acties shown)."""
    themes = acts["theme_code"].dropna().nunique()
    doelen = acts["doel_code"].dropna().nunique()
    top, sub = (LEVEL_WORDS[w] for w in levels)
    return (
        f"Doelenboom: {count_text(themes, *top)}, "
        f"{count_text(doelen, *sub)} en {count_text(len(acts), 'actie', 'acties')}. " + status_text
    )


def indicators_caption(city: str) -> str:
    return (
        f"Elke lijn laat zien hoe een cijfer voor {city} door de jaren heen veranderde. Onder "
        f"elke lijn staat het verloop in woorden, en de cijfers in een tabel."
    )


def series_sentence(values: pd.DataFrame, city: str, unit: str) -> str:
    """One linked indicator's line in words: '{city}: gedaald van 7,6 in 2012 naar ...'."""
    digits = decimals(values["value"], unit)
    return f"{city}: {trend_words(values['period'], values['value'], digits)} ({unit})."


def series_table(values: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A linked indicator's line as a table: Jaar, Waarde (unit), Dutch numbers."""
    digits = decimals(values["value"], unit)
    return pd.DataFrame(
        {
            "Jaar": values["period"].astype(str).tolist(),
            f"Waarde ({unit})": [fmt_number(v, digits) for v in values["value"]],
        }
    )


# Tables that count registered crime differently: never one line through their years.
INCOMPARABLE_TABLES = [
    (
        {"84468NED", "47018NED"},
        "Let op: de misdrijven van 2018 (CBS 84468NED) tellen vermogen, vernieling en geweld "
        "samen; 'geregistreerde misdrijven, totaal' (politie 47018NED) telt alle misdrijven. "
        "Dat zijn twee verschillende tellingen: vergelijk 2018 niet met latere jaren als één "
        "reeks.",
    )
]


def incomparable_tables(tables: set[str]) -> list[str]:
    """The warnings for figures from tables that must not be read as one series."""
    return [text for pair, text in INCOMPARABLE_TABLES if pair <= tables]

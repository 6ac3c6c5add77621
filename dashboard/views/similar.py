"""Similar areas of a wijk or buurt: who they are, how they were found, and the area's figures
next to theirs (the Wijkprofiel's section "Vergeleken met vergelijkbare ..."), and the Kaart
coloured by each area's value against the mean of its similar areas.

The method is `domain.similar`; this module reads the characteristics, picks the candidates of
a scope (the gemeente; the Twente gemeenten, and the country, when the database has their
areas) and builds
the tables. No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import similar, wijkbeeld
from dashboard.domain.fmt import fmt_number
from dashboard.store import queries
from dashboard.store import similar as store
from dashboard.views import maps

TWENTE = "twente"
GEMEENTE = "gemeente"
LAND = "land"  # every area of the level in the database
SIMILAR_WORDS = {"wijk": "vergelijkbare wijken", "buurt": "vergelijkbare buurten"}


@dataclass
class Found:
    """The similar areas of one area in one scope, with what the reader needs to judge them."""

    level: str
    scope: str  # the scope's name in Dutch ('Hengelo', 'Twente')
    candidates: pd.DataFrame  # code, name, gemeente of every area in the scope
    values: dict  # code -> characteristic id -> value
    periods: dict  # characteristic id -> sorted periods it was read from
    matches: list = field(default_factory=list)
    used: list = field(default_factory=list)  # characteristics of the target
    message: str = ""  # Dutch, when there are no similar areas
    gemeente_names: dict = field(default_factory=dict)


def scopes(engine, gemeente: str, level: str) -> dict[str, str]:
    """The scopes with candidates: key -> Dutch name. Twente only when the gemeente is one of
    the Twente gemeenten and the database has areas of this level outside it; Nederland when
    the database has areas of this level beyond those (a deployment that loads the country)."""
    names = queries.gemeente_names(engine)
    out = {GEMEENTE: names.get(gemeente, gemeente)}
    most = len(store.candidates(engine, level, [gemeente]))
    twente = queries.peer_members(engine, TWENTE)
    if gemeente in twente:
        regional = len(store.candidates(engine, level, twente))
        if regional > most:
            out[TWENTE], most = "Twente", regional
    if len(store.candidates(engine, level, None)) > most:
        out[LAND] = "Nederland"
    return out


def members(engine, gemeente: str, scope: str) -> list[str] | None:
    """The gemeenten whose areas are the candidates of a scope (None: every gemeente)."""
    if scope == LAND:
        return None
    return (queries.peer_members(engine, TWENTE) if scope == TWENTE else None) or [gemeente]


def default_scope(options: dict[str, str]) -> str:
    """The region when it is offered (more candidates, so closer matches, but still nearby),
    else the country when offered, else the gemeente."""
    return next((s for s in (TWENTE, LAND) if s in options), GEMEENTE)


def characteristics(engine, level: str, codes: list[str]) -> tuple[dict, dict]:
    """(code -> characteristic id -> value, characteristic id -> periods) for the areas."""
    chars = similar.CHARACTERISTICS[level]
    ids = [c.id for c in chars if c.id != similar.BUURT_DENSITY]
    latest = store.latest_values(engine, ids, codes)
    values: dict[str, dict[str, float]] = {c: {} for c in codes}
    periods: dict[str, list[str]] = {}
    for row in latest.itertuples():
        values[row.area_code][row.indicator_id] = float(row.value)
        periods.setdefault(row.indicator_id, set()).add(row.period)
    if any(c.id == similar.BUURT_DENSITY for c in chars):
        km2 = store.border_km2(engine, codes)
        for code, row in values.items():
            if row.get("inwoners") is not None and km2.get(code):
                row[similar.BUURT_DENSITY] = row["inwoners"] / km2[code]
                periods.setdefault(similar.BUURT_DENSITY, set()).update(
                    periods.get("inwoners", set())
                )
    return values, {k: sorted(v) for k, v in periods.items()}


def find(engine, gemeente: str, code: str, level: str, scope: str = GEMEENTE) -> Found:
    """The similar areas of `code` among the areas of its level in `scope`."""
    names = {TWENTE: "Twente", LAND: "Nederland"}
    scope_name = names.get(scope) or queries.gemeente_names(engine).get(gemeente)
    cands = store.candidates(engine, level, members(engine, gemeente, scope))
    values, periods = characteristics(engine, level, cands["code"].tolist())
    found = Found(level, scope_name or gemeente, cands, values, periods)
    found.gemeente_names = queries.gemeente_names(engine)
    chars = similar.CHARACTERISTICS[level]
    name = dict(zip(cands["code"], cands["name"], strict=True)).get(code, code)
    found.used = similar.used(code, values, chars)
    if len(found.used) < similar.MIN_SHARED:
        # The area's own figures decide which message is true: too few, or nobody to compare.
        own = [v for v in values.get(code, {}).values() if v is not None]
        reason = "kandidaten" if len(own) >= similar.MIN_SHARED else "kenmerken"
        found.message = similar.no_similar(name, level, found.scope, reason)
        return found
    found.matches = similar.nearest(code, values, chars)
    if not found.matches:
        found.message = similar.no_similar(name, level, found.scope, "kandidaten")
    return found


def period_text(found: Found) -> str:
    """The periods of the characteristics used ('2022 en 2024')."""
    years = sorted({p for ch in found.used for p in found.periods.get(ch.id, [])})
    return " en ".join([", ".join(years[:-1]), years[-1]] if len(years) > 1 else years)


def method(found: Found) -> str:
    with_figures = sum(
        1 for row in found.values.values() if len([v for v in row.values() if v is not None]) > 1
    )
    return similar.method_text(
        found.level,
        found.scope,
        [ch.label for ch in found.used],
        period_text(found),
        with_figures,
        len(found.matches),
    )


def _char_text(ch_id: str, value) -> str:
    if value is None:
        return "–"
    if ch_id in ("inwoners", "bevolkingsdichtheid", similar.BUURT_DENSITY):
        return fmt_number(value, 0)
    if ch_id in ("omgevingsadressendichtheid", "stedelijkheid"):
        return fmt_number(value, 0)
    return fmt_number(value, 0) + "%"


def areas_table(found: Found, code: str) -> pd.DataFrame:
    """The area itself and its similar areas: name, code, gemeente, distance, characteristics."""
    names = dict(zip(found.candidates["code"], found.candidates["name"], strict=True))
    gm = dict(zip(found.candidates["code"], found.candidates["gemeente"], strict=True))
    gm_names = found.gemeente_names
    rows = [(code, None)] + [(m.code, m.distance) for m in found.matches]
    out = pd.DataFrame(
        {
            "Gebied": [names.get(c, c) + (" (dit gebied)" if c == code else "") for c, _ in rows],
            "Code": [c for c, _ in rows],
            "Gemeente": [gm_names.get(gm.get(c), gm.get(c, "")) for c, _ in rows],
            "Afstand": ["–" if d is None else fmt_number(d, 2) for _, d in rows],
        }
    )
    for ch in found.used:
        out[ch.label.capitalize()] = [
            _char_text(ch.id, found.values[c].get(ch.id)) for c, _ in rows
        ]
    return out


def figures_table(engine, found: Found, code: str, name: str) -> pd.DataFrame:
    """Each indicator of the area (its latest period) next to the mean and median of its
    similar areas in the same period, with how many of them have a figure and the source."""
    others = [m.code for m in found.matches]
    values = store.current_values(engine, [code, *others])
    sources = queries.sources_by_key(engine)
    similar_words = SIMILAR_WORDS[found.level]
    rows = []
    own = values[(values["area_code"] == code) & values["value"].notna()]
    for ind_id, sub in own.groupby("indicator_id", sort=False):
        last = sub.sort_values("period").iloc[-1]
        theirs = values[
            (values["indicator_id"] == ind_id)
            & (values["period"] == last["period"])
            & values["area_code"].isin(others)
        ]["value"].tolist()
        mean, median, n = similar.summary(theirs)
        show = lambda v: wijkbeeld.value_text(v, last["unit"], last["kind"])  # noqa: E731, B023
        diff = similar.difference(last["value"], mean)
        rows.append(
            {
                "Indicator": last["name"],
                "Periode": last["period"],
                name: show(last["value"]),
                f"Gemiddelde {similar_words}": show(mean) if n else "geen cijfers",
                f"Mediaan {similar_words}": show(median) if n else "geen cijfers",
                "Verschil met gemiddelde": difference_text(diff, last["unit"], last["kind"]),
                "Gebieden met cijfer": f"{n} van {len(others)}",
                "Bron": wijkbeeld.source_label(sources, last["source_key"], bool(last["derived"])),
            }
        )
    return pd.DataFrame(rows)


def difference_text(diff, unit: str, kind: str, sentence: bool = False) -> str:
    """'0,8 per 1.000 inwoners hoger', 'gelijk' (at the indicator's precision); in a
    `sentence` 'hoger dan', 'gelijk aan'. '–' without a difference."""
    if diff is None:
        return "–"
    shown = wijkbeeld.value_text(abs(diff), unit, kind)
    if shown.split(" ")[0].strip("0,.") == "":
        return "gelijk aan" if sentence else "gelijk"
    if kind == "percentage":  # the difference of two shares is in percentage points
        shown = f"{shown.split(' ')[0].rstrip('%')} procentpunt"
    text = f"{shown} {'hoger' if diff > 0 else 'lager'}"
    return text + " dan" if sentence else text


def profile_section(engine, gemeente: str, code: str, level: str, scope: str) -> dict:
    """Everything the Wijkprofiel's section shows: title, method, areas, figures, message."""
    found = find(engine, gemeente, code, level, scope)
    names = dict(zip(found.candidates["code"], found.candidates["name"], strict=True))
    name = names.get(code, code)
    out = {
        "title": f"Vergeleken met {SIMILAR_WORDS[level]}",
        "message": found.message,
        "method": "",
        "areas": pd.DataFrame(),
        "figures": pd.DataFrame(),
        "sources": "",
    }
    if found.message:
        return out
    out["method"] = method(found)
    out["areas"] = areas_table(found, code)
    out["figures"] = figures_table(engine, found, code, name)
    out["sources"] = characteristics_source(engine, found)
    return out


def characteristics_source(engine, found: Found) -> str:
    """The source line of the characteristics: owner and table with their periods."""
    parts: dict[str, set[str]] = {}
    for ch in found.used:
        ind = "inwoners" if ch.id == similar.BUURT_DENSITY else ch.id
        src = queries.source_of(engine, ind)
        key = f"{src['owner']}, {src['table']}".strip(", ")
        parts.setdefault(key, set()).update(found.periods.get(ch.id, []))
    text = "; ".join(f"{k} ({', '.join(sorted(v))})" for k, v in sorted(parts.items()))
    if any(ch.id == similar.BUURT_DENSITY for ch in found.used):
        text += "; oppervlakte uit de buurtgrenzen van CBS/PDOK (inclusief water)"
    return text


# ---------------------------------------------------------------- Kaart
def kaart_view(
    engine,
    base: dict,
    gemeente: str,
    niveau: str,
    indicator: str,
    jaar: str,
    size: tuple[int, int] | None = None,
) -> dict:
    """`maps.kaart_view`'s result with every area coloured by its value against the mean of its
    `K` similar areas that have a figure for the indicator in that year (in %)."""
    plain = maps.kaart_view(engine, base, gemeente, niveau, indicator, jaar, size)
    meta = plain["meta"]
    options = scopes(engine, gemeente, niveau)
    scope = default_scope(options)
    cands = store.candidates(engine, niveau, members(engine, gemeente, scope))
    values, _periods = characteristics(engine, niveau, cands["code"].tolist())
    figures = store.current_values(engine, cands["code"].tolist())
    figures = figures[
        (figures["indicator_id"] == indicator)
        & (figures["period"] == jaar)
        & figures["value"].notna()
    ]
    have = dict(zip(figures["area_code"], figures["value"], strict=True))
    chars = similar.CHARACTERISTICS[niveau]
    own = plain["shaded"]
    usable = own["status"].isin(["ok", "onzeker"])
    diffs, texts = [], []
    one = "wijken" if niveau == "wijk" else "buurten"
    for code, ok, text in zip(own["area_code"], usable, own["text"], strict=True):
        pool = {c: v for c, v in values.items() if c == code or c in have}
        matches = similar.nearest(code, pool, chars) if ok and code in have else []
        mean, _median, n = similar.summary([have[m.code] for m in matches])
        diff = similar.difference(have.get(code), mean) if n else None
        diffs.append(diff)
        if diff is None:
            texts.append("geen vergelijking met vergelijkbare " + one)
            continue
        words = difference_text(diff, meta["unit"], meta["kind"], sentence=True)
        texts.append(
            f"{text}: {words} het gemiddelde van {n} vergelijkbare {one} in {options[scope]} "
            f"({wijkbeeld.value_text(mean, meta['unit'], meta['kind'])})"
        )
    frame = pd.DataFrame({"area_code": own["area_code"], "value": diffs})
    frame["count"], frame["denominator"] = None, None
    unit = "procentpunt" if meta["kind"] == "percentage" else meta["unit"]
    diff_meta = {
        **meta,
        "name": f"{meta['name']}: verschil met vergelijkbare gebieden",
        "unit": f"{unit}, verschil met vergelijkbare {one}".strip(", "),
        "kind": "score" if meta["kind"] == "score" else "waarde",
    }
    shaded, legend_spec = wijkbeeld.shade(frame, base["areas"], diff_meta)
    shaded["text"] = texts
    source = plain["source"]
    shaded = maps.with_tooltips(shaded, jaar, f"{source['owner']} {source['table']}".strip())
    # Hatched where the area's own figure is uncertain (the difference inherits it).
    plain_status = dict(zip(plain["shaded"]["area_code"], plain["shaded"]["status"], strict=True))
    deck = maps.draw(base, shaded, legend_spec, size, plain_status)
    return {
        "meta": diff_meta,
        "source": source,
        "shaded": shaded,
        "legend": legend_spec,
        "deck": deck,
        "scope": options[scope],
    }

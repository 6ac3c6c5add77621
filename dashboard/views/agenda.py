"""The agenda of views for a meeting and a briefing, and what each view says, as plain data.

One function per view collects its figures, tables, sentences, plain-language explanation and
sources from the database. The presentation mode draws these views on the screen and the
briefing export writes them into a PDF, so the projector and the take-away say the same.
No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import benchmark, explain, missing, overview, progress, wijkbeeld
from dashboard.domain import marks as mapmarks
from dashboard.domain.fmt import fmt_date, fmt_number
from dashboard.store import plans, queries
from dashboard.views import indeling, notes, urls
from dashboard.views.comparison import (  # noqa: F401 (the agenda's public names)
    GROUP,
    GROUP_LABEL,
    footprint,
    footprint_years,
    g32,
    headline_series,
    trend_vs_group,
)
from dashboard.views.model import MapSpec, Metric, Table, View  # noqa: F401

# The steps of a meeting, in order (keys are also the `stap` of the presentation).
STEPS = ("beeld", "wijk", "g32", "themas")
STEP_PAGES = {"beeld": "", "wijk": "wijkprofiel", "g32": "g32", "themas": "themas"}
PAGE_STEPS = {path: step for step, path in STEP_PAGES.items()}


# ---------------------------------------------------------------- shared data
@dataclass
class PlanData:
    """The plan of one gemeente with its acties (None and empty frames without a plan)."""

    plan: dict | None
    elements: pd.DataFrame
    actions: pd.DataFrame
    updates: pd.DataFrame

    @property
    def titles(self) -> dict[str, str]:
        top = progress.themes(self.elements)
        return dict(zip(top["code"], top["title"], strict=True))


def plan_data(engine: Engine, gemeente: str) -> PlanData:
    """The gemeente's own plan (never another gemeente's): elements, acties and updates."""
    plan = plans.plan_for(engine, gemeente)
    if plan is None:
        empty = pd.DataFrame(columns=["code", "kind", "parent_code", "position", "title", "text"])
        acts = pd.DataFrame(columns=["theme_code", "doel_code", "code", "status"])
        return PlanData(None, empty, acts, pd.DataFrame(columns=plans.UPDATE_COLUMNS))
    els = plans.elements(engine, plan["plan_id"])
    upd = plans.updates(engine, plan["plan_id"])
    return PlanData(plan, els, progress.actions(els, upd), upd)


def release_text(engine: Engine) -> str:
    """The data release a view or export is based on: the newest import and how many files."""
    rel = queries.releases(engine)
    if rel.empty:
        return "Datastand: nog niets ingelezen."
    active = rel[rel["active"].astype(bool)]
    newest = rel.iloc[0]
    return (
        f"Datastand: release {int(newest['id'])} van {fmt_date(newest['imported_at'])}; "
        f"{len(active)} ingelezen bestanden."
    )


def _source(engine: Engine, indicator_id: str, period: str) -> str:
    src = queries.source_of(engine, indicator_id)
    return f"{src['owner']}, {src['table']}; periode {period}".strip()


def _wijk_map(engine: Engine, gemeente: str, highlight: str | None = None) -> tuple:
    """The wijken coloured by the map indicator the gemeente has (registered crime per 1.000
    inwoners where it can) in its latest year: (spec, shaded, meta, year, what is missing).
    Without wijk figures or wijk borders the spec is None and the sentences say why."""
    city = queries.area_name(engine, gemeente) or gemeente
    choice = overview.map_choice(queries.level_options(engine, "wijk", gemeente))
    wijken = queries.areas(engine, "wijk", gemeente)
    if choice is None:
        buurten = not queries.level_options(engine, "buurt", gemeente).empty
        lack = missing.no_level(city, "wijk") if buurten else missing.no_area_figures(city)
        return None, None, {}, None, [lack]
    if queries.geometries(engine, wijken["code"].tolist()).empty:
        return None, None, {}, None, [missing.no_shapes(city)]
    indicator_id, year = choice
    meta = {"id": indicator_id, **queries.indicator_meta(engine, indicator_id)}
    label = meta["label"] = overview.MAP_INDICATORS.get(indicator_id, meta["name"])
    values = queries.level_values(engine, indicator_id, year, "wijk", gemeente)
    shaded, legend = wijkbeeld.shade(values, wijken, meta)
    items = list(zip(legend["colours"], legend["labels"], strict=True))
    spec = MapSpec(
        level="wijk",
        caption=f"{label} per wijk, {year}",
        fills=dict(zip(shaded["area_code"], shaded["fill"], strict=True)),
        legend=items,
        highlight=highlight,
        indicator=indicator_id,
        period=year,
        marked=mapmarks.marked(dict(zip(shaded["area_code"], shaded["status"], strict=True))),
        marks=mapmarks.legend(shaded["status"]),
    )
    lacks = [] if indicator_id == overview.CRIME_MAP else [missing.no_area_crime(city, label)]
    return spec, shaded, meta, year, lacks


# ---------------------------------------------------------------- the views
BEELD_TEXT = (
    "Het beeld in één oogopslag: hoeveel misdrijven de politie registreerde per 1.000 "
    "inwoners, naast het gemiddelde van de G32-steden. Op de kaart: hoe donkerder de wijk, "
    "hoe meer misdrijven. Daarnaast: waar de stad beter of slechter scoort dan vergelijkbare "
    "steden, en hoe "
    "ver de acties van het veiligheidsbeleid zijn."
)


def beeld_text(headline: bool, map_meta: dict) -> str:
    """The explanation of the Veiligheidsbeeld, true to what this gemeente's screen shows
    (`map_meta`: the map indicator's metadata with its `label`; empty without a map)."""
    if headline and map_meta.get("id") == overview.CRIME_MAP:
        return BEELD_TEXT
    first = (
        "Het beeld in één oogopslag: hoeveel misdrijven de politie registreerde per 1.000 "
        "inwoners, naast het gemiddelde van de G32-steden."
        if headline
        else "Het beeld in één oogopslag, met wat er voor deze gemeente is ingelezen."
    )
    darker = (
        "hoe hoger het cijfer"
        if map_meta.get("better") == "neutraal"
        else "hoe ongunstiger het cijfer"
    )
    on_map = (
        f" Op de kaart: {map_meta['label'].lower()} per wijk; hoe donkerder de wijk, {darker}."
        if map_meta
        else ""
    )
    return (
        f"{first}{on_map} Daarnaast: waar de stad beter of slechter scoort dan vergelijkbare "
        "steden, en hoe "
        "ver de acties van het veiligheidsbeleid zijn."
    )


def map_table(shaded: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The text alternative of a wijk map: every wijk with its value, highest first."""
    table = shaded.sort_values(["value", "area_code"], ascending=[False, True], na_position="last")
    return pd.DataFrame(
        {"Wijk": table["name"], unit.capitalize(): table["text"].str.replace(f" {unit}", "")}
    )


def veiligheidsbeeld(engine: Engine, gemeente: str, focus: str | None = None) -> View:
    """Headline figures, the wijk map, the compact G32 footprint and progress per theme: the
    one screen, its slide and its page of the briefing."""
    city = queries.area_name(engine, gemeente) or gemeente
    head_id, own = headline_series(engine, gemeente)
    head = None
    if head_id is not None:
        peers = trend_vs_group(engine, head_id, gemeente, GROUP)["peers"]
        head = overview.headline(own, peers)
    view = View(
        key="beeld",
        title=f"Veiligheidsbeeld {city}",
        explanation=BEELD_TEXT,
        page="",
        params={"gebied": focus} if focus else {},
    )
    if head is None:
        view.sentences.append(missing.no_headline(city))
    else:
        view.metrics.append(
            Metric(
                f"{overview.HEADLINES[head_id]}, {head['period']}",
                fmt_number(head["value"]),
                head["delta"] or "",
                "Door de politie geregistreerde misdrijven per 1.000 inwoners.",
                "inverse",
            )
        )
        view.metrics.append(
            Metric(
                f"Gemiddelde {GROUP_LABEL}, {head['period']}",
                fmt_number(head["peer"]),
                help=f"Ongewogen gemiddelde van de {GROUP_LABEL}-gemeenten zonder {city}.",
            )
        )
    label, value, why = missing.area_count(queries.area_counts(engine, gemeente))
    view.metrics.append(Metric(label, value, help=why))
    mine = plan_data(engine, gemeente)
    acts = mine.actions
    view.actions, view.themes = acts[["theme_code", "status"]], mine.titles
    view.levels = progress.levels(mine.elements)
    view.plan_text = progress.no_plan_text(city) if mine.plan is None else ""
    if not acts.empty:
        done = int((acts["status"] != progress.NOT_REGISTERED).sum())
        view.metrics.append(
            Metric("Acties met geregistreerde voortgang", f"{done} van {len(acts)}")
        )
    if head is not None:
        view.sources.append(_source(engine, head_id, f"t/m {head['period']}"))

    spec, shaded, map_meta, year, lacks = _wijk_map(engine, gemeente, focus)
    if spec is not None:
        view.map = spec
        view.tables.append(
            Table("Tabel bij de kaart", map_table(shaded, map_meta["unit"]), "kaart")
        )
        view.sources.append(_source(engine, spec.indicator, year))
        if focus:
            view.sentences.append(
                _focus_sentence(engine, gemeente, city, focus, shaded, spec.indicator, year)
            )
    view.sentences.extend(lacks)
    view.explanation = beeld_text(head is not None, map_meta)

    years = footprint_years(engine, gemeente)
    group = benchmark.published_group(years[1]) if years else GROUP
    comps, data = footprint(engine, gemeente, group, *years) if years else ([], {})
    frame = overview.compact_footprint(comps, rows=9)
    if not frame.empty:
        label = urls.GROUPS[group]
        view.tables.append(
            Table(f"{city} en de {label}: {years[0]} en {years[1]}", frame, "footprint")
        )
        view.sources.append("; ".join(data["sources"]))  # each source names its years
    view.tables.extend(_theme_tables(mine))
    return view


def _focus_sentence(
    engine: Engine,
    gemeente: str,
    city: str,
    code: str,
    shaded: pd.DataFrame,
    indicator_id: str,
    year: str,
) -> str:
    row = shaded[shaded["area_code"] == code]
    name = queries.area_name(engine, code) or code
    city_rate = overview.value_in(queries.series(engine, indicator_id, [gemeente]), year)
    value = "geen gegevens" if row.empty else row.iloc[0]["text"]
    return (
        f"{name}: {value} (heel {city}: {fmt_number(city_rate)}); "
        f"{len(plans.actions_for_wijk(engine, code))} actie(s) in deze wijk."
    )


def _theme_tables(data: PlanData) -> list[Table]:
    acts = data.actions
    if acts.empty:
        return []
    head = progress.levels(data.elements)[0]
    labels = progress.group_labels(data.titles, acts["theme_code"])
    table = progress.share_table(acts, "theme_code", labels, head, progress.budgets(data.elements))
    table = table.rename(columns={progress.NOT_REGISTERED: "nog geen update"})
    caption = f"Voortgang van de acties per {head.lower()} (aantal acties per status)"
    return [Table(caption, table, "themas")]


def default_wijk(engine: Engine, gemeente: str) -> str | None:
    """The wijk a meeting looks at when none is chosen: the least favourable value of the
    map indicator (the highest crime rate per inwoner), else the first wijk."""
    options = queries.level_options(engine, "wijk", gemeente)
    choice = overview.map_choice(options)
    better = options.set_index("id").at[choice[0], "better"] if choice else "neutraal"
    values = (
        queries.level_values(engine, choice[0], choice[1], "wijk", gemeente)
        if choice
        else pd.DataFrame(columns=["area_code", "value"])
    )
    values = values.dropna(subset=["value"])
    if values.empty or better == "neutraal":
        wijken = queries.areas(engine, "wijk", gemeente)
        return None if wijken.empty else wijken.iloc[0]["code"]
    ordered = values.sort_values(["value", "area_code"], ascending=[better == "hoger", True])
    return ordered.iloc[0]["area_code"]


def wijk(engine: Engine, gemeente: str, code: str) -> View:
    """One wijk or buurt: its headline figures next to the city, every indicator with its
    rank and trend, the buurten of a wijk and its acties. The Wijkprofiel page shows all of
    it; the slide and the briefing show the headline figures and the first twelve rows."""
    city = queries.area_name(engine, gemeente) or gemeente
    name = queries.area_name(engine, code) or code
    level = "buurt" if code.startswith("BU") else "wijk"
    own, own_note = indeling.own_series(engine, code, name, queries.area_values(engine, code))
    table = wijkbeeld.profile_table(
        code,
        own,
        queries.level_all_values(engine, level, gemeente),
        queries.area_values(engine, gemeente),
    )
    areas = queries.areas(engine, level, gemeente).set_index("code")
    parent = areas.at[code, "parent_code"] if level == "buurt" and code in areas.index else None
    view = View(
        key="wijk",
        title=f"{name} ({code})",
        explanation=(
            f"Deze pagina gaat over één wijk van {city}. Bij elk cijfer staat het cijfer van "
            f"de hele stad, zodat u ziet of de wijk hoger of lager zit. 'Plaats' is de "
            f"positie tussen de wijken: 1 is het gunstigst."
        ),
        page="wijkprofiel",
        params={"gebied": code},
        caption=f"{level.capitalize()} in {city}"
        + (f", in {queries.area_name(engine, parent) or parent} ({parent})" if parent else ""),
    )
    for ind_id, label in wijkbeeld.HEADLINES:
        row = table[table["indicator_id"] == ind_id]
        if row.empty:
            continue
        r = row.iloc[0]
        city_text = (
            wijkbeeld.value_text(r["city"], r["unit"], r["kind"])
            if r["city"] is not None and not pd.isna(r["city"])
            else "–"
        )
        view.metrics.append(
            Metric(
                f"{label}, {r['period']}",
                r["text"].replace(f" {r['unit']}", ""),
                f"heel {city}: {city_text}",
                f"{city}: {city_text}",
            )
        )
    if not table.empty:
        sources = queries.sources_by_key(engine)
        derived = {
            i: queries.source_of(engine, i)
            for i in table.loc[table["source_key"].isna(), "indicator_id"]
        }
        full = wijkbeeld.profile_view(
            table,
            sources,
            city,
            {i: f"{s['owner']}, {s['table']} (berekend)" for i, s in derived.items()},
        )
        view.details["cijfers"] = explain.with_trend_words(full, table, own)
        tables = {sources[k]["table_id"] for k in table["source_key"].dropna() if k in sources}
        view.notes.extend(explain.incomparable_tables(tables))
        view.notes.extend([own_note] if own_note else [])
    if level == "wijk":
        kids = queries.areas(engine, "buurt", gemeente)
        view.details["buurten"] = wijkbeeld.children_table(
            kids[kids["parent_code"] == code], queries.level_all_values(engine, "buurt", gemeente)
        )
    spec, _shaded, _meta, _year, _lacks = _wijk_map(engine, gemeente, code)
    if spec is not None:
        spec.caption = f"Ligging van {name}; kleur: {spec.caption}"
        view.map = spec
    if not table.empty:
        shown = table.head(12)
        sources = queries.sources_by_key(engine)
        columns = ["Indicator", "Jaar", "Waarde", city, "Plaats"]
        frame = wijkbeeld.profile_view(shown, sources, city)[columns]
        frame["Plaats"] = frame["Plaats"].fillna("–").replace("", "–")
        view.tables.append(Table(f"Cijfers van {name} naast {city}", frame))
        keys = sorted({k for k in shown["source_key"].dropna()})
        periods = sorted(set(shown["period"]))
        view.sources.extend(
            f"{sources[k]['owner']}, {sources[k]['title']}" for k in keys if k in sources
        )
        if periods:
            view.sources.append(f"periode {periods[0]}–{periods[-1]}")
    acts = plans.actions_for_wijk(engine, parent or code)
    view.details["acties"] = acts
    view.sentences.append(
        f"{len(acts)} actie(s) van het veiligheidsbeleid zijn aan {name} gekoppeld."
        if not acts.empty
        else f"Nog geen acties van het veiligheidsbeleid aan {name} gekoppeld."
    )
    if not acts.empty:
        view.tables.append(
            Table(
                f"Acties in {name}",
                pd.DataFrame(
                    {"Thema": acts["theme"], "Actie": acts["title"], "Status": acts["status"]}
                ),
            )
        )
    if (noted := notes.notes_table(engine, gemeente, code)) is not None:
        view.tables.append(noted)
    return view


def themas(engine: Engine, gemeente: str) -> View:
    """Progress of the gemeente's own plan: the acties per theme (or doel) and their status."""
    data = plan_data(engine, gemeente)
    acts, upd = data.actions, data.updates
    city = queries.area_name(engine, gemeente) or gemeente
    title = data.plan["title"] if data.plan else "Veiligheidsbeleid"
    head = progress.levels(data.elements)[0]
    top, one = head.lower(), {"Thema": "thema's", "Doel": "doelen"}[head]
    view = View(
        key="themas",
        title=f"Voortgang {title}",
        explanation=(
            f"Het plan heeft {len(data.titles)} {one}. Bij elk {top} horen acties. De tabel "
            f"telt per {top} hoeveel acties klaar zijn, lopen, vertraagd zijn of nog niet "
            "begonnen zijn. Zonder een melding van de eigenaar staat er 'nog geen voortgang "
            "geregistreerd'."
        ),
        page="themas",
        params={},
        levels=progress.levels(data.elements),
    )
    if data.plan is None:
        view.plan_text = progress.no_plan_text(city)
        view.sentences.append(view.plan_text)
        return view
    view.actions, view.themes = acts[["theme_code", "status"]], data.titles
    if acts.empty:
        view.sentences.append("Dit plan heeft (nog) geen acties.")
        return view
    view.sentences.append(progress.status_sentence(acts))
    view.tables.extend(_theme_tables(data))
    last = (
        f"laatste update {fmt_date(upd['update_date'].max())}"
        if not upd.empty
        else "nog geen updates"
    )
    view.sources.append(f"{title} (gemeente); voortgang: registraties in dit dashboard, {last}")
    return view


def build_views(
    engine: Engine,
    gemeente: str,
    keys: list[str] | tuple[str, ...] = STEPS,
    focus: str | None = None,
) -> list[View]:
    """The views of the agenda, in order, for a presentation or a briefing."""
    base, latest = footprint_years(engine, gemeente) or ("", "")
    built = (view_for(engine, gemeente, key, focus, base, latest) for key in keys)
    return [v for v in built if v is not None]


def view_for(
    engine: Engine, gemeente: str, step: str, focus: str | None, base: str, latest: str
) -> View | None:
    """One view of the agenda for a slide (None when its data are missing)."""
    if step == "beeld":
        return veiligheidsbeeld(engine, gemeente, focus)
    if step == "wijk":
        code = focus or default_wijk(engine, gemeente)
        return wijk(engine, gemeente, code) if code else None
    if step == "g32":
        return g32(engine, gemeente, base, latest) if base and latest else None
    return themas(engine, gemeente)

"""The agenda of views for a meeting and a briefing, and what each view says, as plain data.

One function per view collects its figures, tables, sentences, plain-language explanation and
sources from the database. The presentation mode draws these views on the screen and the
briefing export writes them into a PDF, so the projector and the take-away say the same.
No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import benchmark, compare, explain, overview, progress, wijkbeeld
from dashboard.domain.fmt import fmt_date, fmt_number
from dashboard.store import coverage, plans, queries
from dashboard.views import indeling, urls

GROUP, GROUP_LABEL = "g32", "G32"
# The steps of a meeting, in order (keys are also the `stap` of the presentation).
STEPS = ("beeld", "wijk", "g32", "themas")
STEP_PAGES = {"beeld": "", "wijk": "wijkprofiel", "g32": "g32", "themas": "themas"}
PAGE_STEPS = {path: step for step, path in STEP_PAGES.items()}


@dataclass
class Metric:
    label: str
    value: str
    note: str = ""  # the change (a page shows it as the metric's delta)
    help: str = ""
    delta_color: str = "off"  # "inverse" where a rise is worse


@dataclass
class Table:
    caption: str
    frame: pd.DataFrame
    key: str = ""  # what the table is ("kaart", "footprint", "themas"), for a slide to pick it


@dataclass
class MapSpec:
    """A map of the gemeente's areas: fill colour per area code, an optional highlighted area."""

    level: str
    caption: str
    fills: dict[str, str]
    legend: list[tuple[str, str]]
    highlight: str | None = None
    indicator: str | None = None
    period: str | None = None


@dataclass
class View:
    key: str
    title: str
    explanation: str  # plain language (B1): what the reader sees and how to read it
    page: str  # url path of the detailed page
    params: dict[str, str]
    metrics: list[Metric] = field(default_factory=list)
    map: MapSpec | None = None
    tables: list[Table] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Progress of the plan: the acties with their theme and status, and the theme titles.
    actions: pd.DataFrame | None = None
    themes: dict[str, str] = field(default_factory=dict)
    # The detailed page shows more of the same view: a subtitle and its full tables.
    caption: str = ""
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    # What a reader must know about the figures shown (e.g. two tables that count differently).
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


# ---------------------------------------------------------------- shared data
def footprint(engine: Engine, gemeente: str, group: str, base: str, latest: str):
    """All comparisons of the footprint and the data behind them."""
    inds = queries.benchmark_indicators(engine, gemeente)
    members = queries.group_members(engine, group)
    codes = sorted(set(members) | {gemeente, *benchmark.AGGREGATES.values()})
    values = queries.group_values(engine, inds["id"].tolist(), codes, [base, latest])
    same = indeling.unchanged(engine, codes, base, latest)
    comps = [
        benchmark.compare(
            meta,
            values[values["indicator_id"] == meta["id"]],
            members,
            gemeente,
            base,
            latest,
            group,
            same,
        )
        for meta in inds.to_dict("records")
    ]
    comps = benchmark.footprint_rows(comps, set(inds.loc[inds["footprint"].notna(), "id"]))
    _explain_missing(engine, comps, values, gemeente, group)
    shown = [c.indicator_id for c in comps if c.has_data]
    sources = [
        f"{owner} {table} ({periods})".strip()
        for owner, table, periods in coverage.value_sources(
            engine, shown, [gemeente, *codes], [base, latest]
        )
    ]
    # The years of the series with a break (the Veiligheidsmonitor): to offer comparable pairs.
    broken = [c.indicator_id for c in comps if c.series_break]
    survey_periods = coverage.periods_with_values(engine, broken, gemeente) if broken else []
    return comps, {
        "values": values,
        "members": members,
        "sources": sources,
        "survey_periods": survey_periods,
        "indeling_notes": indeling.footprint_notes(
            engine, comps, values, members, gemeente, same, urls.GROUPS.get(group, group)
        ),
    }


def _explain_missing(engine: Engine, comps, values: pd.DataFrame, gemeente: str, group: str):
    """Say per empty footprint row why it is empty (never published per gemeente before a
    year, suppressed for this gemeente, or not imported)."""
    empty = [c for c in comps if not c.has_data]
    if not empty:
        return
    city = queries.area_name(engine, gemeente) or gemeente
    first = coverage.first_gemeente_periods(engine, [c.indicator_id for c in empty])
    label = urls.GROUPS.get(group, group)
    for c in empty:
        own_values = values[values["indicator_id"] == c.indicator_id]
        survey = bool(own_values["lower"].notna().any())
        owner = queries.source_of(engine, c.indicator_id)["owner"].split(" (")[0]
        c.note = benchmark.missing_reason(c, first.get(c.indicator_id), owner, city, label, survey)
        if c.note != benchmark.NO_DATA:
            c.verdicts = {k: benchmark.MISSING for k in ("base", "latest", "development")}


def trend_vs_group(engine: Engine, indicator_id: str, gemeente: str, group: str) -> dict:
    """The gemeente's series and the group's mean (CBS aggregate where published) and range."""
    members = queries.group_members(engine, group)
    aggregate = benchmark.AGGREGATES.get(group)
    values = queries.indicator_all_periods(
        engine, indicator_id, sorted(set(members) | {gemeente, aggregate or ""})
    )
    own = values[values["area_code"] == gemeente].sort_values("period")
    city = queries.area_name(engine, gemeente) or gemeente
    own, own_note = indeling.own_series(engine, gemeente, city, own)
    published = values.loc[values["area_code"] == aggregate].dropna(subset=["value"])["period"]
    peer_note = indeling.changed_in_trend(engine, values, members, gemeente, published)
    peers = compare.peer_stats(values, members, exclude=gemeente)
    if aggregate:
        agg = values[values["area_code"] == aggregate].set_index("period")["value"]
        if not agg.empty:
            peers = peers.set_index("period")
            peers = peers.reindex(sorted(set(peers.index) | set(agg.index)))
            peers.loc[agg.index, "mean"] = agg
            peers = peers.reset_index().rename(columns={"index": "period"})
    notes = [n for n in (own_note, peer_note) if n]
    return {"own": own, "peers": peers, "indeling_notes": notes}


def footprint_years(engine: Engine, gemeente: str) -> tuple[str, str] | None:
    periods = queries.series(engine, overview.HEADLINE, [gemeente])["period"].tolist()
    return overview.footprint_years(periods) if periods else None


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
    """The wijken coloured by registered crime per 1.000 inwoners in the latest year."""
    year = overview.latest_period(
        queries.level_options(engine, "wijk", gemeente), overview.MAP_INDICATOR
    )
    if not year:
        return None, None, "", None
    meta = {"id": overview.MAP_INDICATOR, **queries.indicator_meta(engine, overview.MAP_INDICATOR)}
    values = queries.level_values(engine, overview.MAP_INDICATOR, year, "wijk", gemeente)
    shaded, legend = wijkbeeld.shade(values, queries.areas(engine, "wijk", gemeente), meta)
    items = list(zip(legend["colours"], legend["labels"], strict=True))
    spec = MapSpec(
        level="wijk",
        caption=f"Misdrijven per 1.000 inwoners per wijk, {year}",
        fills=dict(zip(shaded["area_code"], shaded["fill"], strict=True)),
        legend=items,
        highlight=highlight,
        indicator=overview.MAP_INDICATOR,
        period=year,
    )
    return spec, shaded, meta["unit"], year


# ---------------------------------------------------------------- the views
BEELD_TEXT = (
    "Het beeld in één oogopslag: hoeveel misdrijven de politie registreerde per 1.000 "
    "inwoners, naast het gemiddelde van de G32-steden. Op de kaart: hoe donkerder de wijk, "
    "hoe meer misdrijven. Daarnaast: waar de stad beter of slechter scoort dan de G32, en hoe "
    "ver de acties van het veiligheidsbeleid zijn."
)


def map_table(shaded: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The text alternative of a wijk map: every wijk with its value, highest first."""
    table = shaded.sort_values("value", ascending=False, na_position="last")
    return pd.DataFrame(
        {"Wijk": table["name"], unit.capitalize(): table["text"].str.replace(f" {unit}", "")}
    )


def veiligheidsbeeld(engine: Engine, gemeente: str, focus: str | None = None) -> View:
    """Headline figures, the wijk map, the compact G32 footprint and progress per theme: the
    one screen, its slide and its page of the briefing."""
    city = queries.area_name(engine, gemeente) or gemeente
    own = queries.series(engine, overview.HEADLINE, [gemeente])
    peers = trend_vs_group(engine, overview.HEADLINE, gemeente, GROUP)["peers"]
    head = overview.headline(own, peers)
    view = View(
        key="beeld",
        title=f"Veiligheidsbeeld {city}",
        explanation=BEELD_TEXT,
        page="",
        params={"gebied": focus} if focus else {},
    )
    if head is None:
        view.sentences.append(
            f"Nog geen gegevens over geregistreerde misdrijven voor {city}. Lees ze in via "
            "Data & bronnen."
        )
        return view
    view.metrics.append(
        Metric(
            f"Misdrijven per 1.000 inwoners, {head['period']}",
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
    counts = queries.area_counts(engine, gemeente)
    view.metrics.append(
        Metric("Wijken en buurten", f"{counts.get('wijk', 0)} en {counts.get('buurt', 0)}")
    )
    acts = plans.all_actions(engine)
    view.actions, view.themes = acts[["theme_code", "status"]], plans.theme_titles(engine)
    if not acts.empty:
        done = int((acts["status"] != progress.NOT_REGISTERED).sum())
        view.metrics.append(
            Metric("Acties met geregistreerde voortgang", f"{done} van {len(acts)}")
        )
    view.sources.append(_source(engine, overview.HEADLINE, f"t/m {head['period']}"))

    spec, shaded, unit, year = _wijk_map(engine, gemeente, focus)
    if spec is not None:
        view.map = spec
        view.tables.append(Table("Tabel bij de kaart", map_table(shaded, unit), "kaart"))
        view.sources.append(_source(engine, overview.MAP_INDICATOR, year))
        if focus:
            view.sentences.append(_focus_sentence(engine, gemeente, city, focus, shaded, year))

    years = overview.footprint_years(own["period"].tolist())
    comps, data = footprint(engine, gemeente, GROUP, *years)
    frame = overview.compact_footprint(comps, rows=9)
    if not frame.empty:
        view.tables.append(
            Table(f"{city} en de {GROUP_LABEL}: {years[0]} en {years[1]}", frame, "footprint")
        )
        view.sources.append(f"{'; '.join(data['sources'])}; periode {years[0]} en {years[1]}")
    view.tables.extend(_theme_tables(engine, acts))
    return view


def _focus_sentence(
    engine: Engine, gemeente: str, city: str, code: str, shaded: pd.DataFrame, year: str
) -> str:
    row = shaded[shaded["area_code"] == code]
    name = queries.area_name(engine, code) or code
    city_rate = overview.value_in(queries.series(engine, overview.MAP_INDICATOR, [gemeente]), year)
    value = "geen gegevens" if row.empty else row.iloc[0]["text"]
    return (
        f"{name}: {value} (heel {city}: {fmt_number(city_rate)}); "
        f"{len(plans.actions_for_wijk(engine, code))} actie(s) in deze wijk."
    )


def _theme_tables(engine: Engine, acts: pd.DataFrame) -> list[Table]:
    if acts.empty:
        return []
    labels = progress.group_labels(plans.theme_titles(engine), acts["theme_code"])
    table = progress.share_table(acts, "theme_code", labels, "Thema")
    table = table.rename(columns={progress.NOT_REGISTERED: "nog geen update"})
    return [Table("Voortgang van de acties per thema (aantal acties per status)", table, "themas")]


def default_wijk(engine: Engine, gemeente: str) -> str | None:
    """The wijk a meeting looks at when none is chosen: the highest crime rate per inwoner."""
    year = overview.latest_period(
        queries.level_options(engine, "wijk", gemeente), overview.MAP_INDICATOR
    )
    values = queries.level_values(engine, overview.MAP_INDICATOR, year, "wijk", gemeente)
    values = values.dropna(subset=["value"])
    if values.empty:
        wijken = queries.areas(engine, "wijk", gemeente)
        return None if wijken.empty else wijken.iloc[0]["code"]
    return values.sort_values("value", ascending=False).iloc[0]["area_code"]


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
    spec, _shaded, _unit, _year = _wijk_map(engine, gemeente, code)
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
    return view


def g32(engine: Engine, gemeente: str, base: str, latest: str) -> View:
    """The footprint against the G32 in two years, with the sentences for the briefing."""
    city = queries.area_name(engine, gemeente) or gemeente
    comps, data = footprint(engine, gemeente, GROUP, base, latest)
    comps = [c for c in comps if c.has_data]
    frame = benchmark.footprint_frame(comps, city, GROUP_LABEL)
    keep = [
        "Indicator",
        f"Positie {base}",
        f"Positie {latest}",
        f"Ontwikkeling {base}–{latest}",
        f"{city} {latest}",
        f"{GROUP_LABEL} {latest}",
    ]
    return View(
        key="g32",
        title=f"{city} vergeleken met de {GROUP_LABEL}: {base} en {latest}",
        explanation=(
            f"Per onderwerp staat of {city} beter, gelijk of slechter scoort dan het "
            f"gemiddelde van de {GROUP_LABEL}-steden, in {base} en in {latest}. 'Ontwikkeling' "
            f"zegt of {city} sinds {base} meer of minder vooruit is gegaan dan die steden. "
            "'Gelijk' betekent: het verschil is zo klein dat het toeval kan zijn."
        ),
        page="g32",
        params={"vergelijking": GROUP, "basisjaar": base, "jaar": latest},
        tables=[Table("Footprint", frame[keep], "footprint")] if not frame.empty else [],
        sentences=[benchmark.sentence(c, city, GROUP_LABEL) for c in comps if c.own[latest].ok],
        notes=data["indeling_notes"],
        sources=[f"{'; '.join(data['sources'])}; periode {base} en {latest}"],
    )


def themas(engine: Engine) -> View:
    """Progress of the veiligheidsbeleid: the acties per theme and their status."""
    acts = plans.all_actions(engine)
    plan = plans.plans(engine)
    title = plan.iloc[0]["title"] if not plan.empty else "Veiligheidsbeleid"
    view = View(
        key="themas",
        title=f"Voortgang {title}",
        explanation=(
            "Het veiligheidsbeleid heeft vijf thema's. Bij elk thema horen acties. De tabel "
            "telt per thema hoeveel acties klaar zijn, lopen, vertraagd zijn of nog niet "
            "begonnen zijn. Zonder een melding van de eigenaar staat er 'nog geen voortgang "
            "geregistreerd'."
        ),
        page="themas",
        params={},
    )
    if acts.empty:
        view.sentences.append(progress.NO_PLAN)
        return view
    view.sentences.append(progress.status_sentence(acts))
    view.tables.extend(_theme_tables(engine, acts))
    upd = plans.updates(engine, plan.iloc[0]["plan_id"])
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
    return themas(engine)

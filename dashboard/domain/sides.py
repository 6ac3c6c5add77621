"""The four sides of safety (as Amsterdam publishes them since 2021, instead of one index that
hides the differences): registered crime, victimisation, nuisance and feeling unsafe, each for
the gemeente against its group over all years, each with its own latest-year verdict, and one
Dutch sentence on the gap between them. Pure functions; the view fetches the data.

Rules (also shown on the page in plain Dutch, `METHOD_TEXT`):

- Registered crime (politie, via CBS): the group value is the unweighted mean of the group's
  other gemeenten; the verdict is the exact Poisson test of `benchmark.poisson_position`.
- The three survey sides (Veiligheidsmonitor): for the G32 and the G40 the group value is the
  aggregate CBS publishes that year (the G32 up to 2017, the G40 from 2019), otherwise the mean
  of the other members; the verdict is the interval test of `benchmark.margin_position`.
- Each side's verdict is in its own latest year up to the chosen year (crime and survey are
  published in different years), and the sentence says which year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import benchmark
from dashboard.domain.benchmark import BETER, GEEN, GELIJK, MISSING, SLECHTER, Point, point_text
from dashboard.domain.fmt import fmt_number

TESTED = (BETER, GELIJK, SLECHTER)
LOWER, HIGHER, EQUAL, NOT_LOWER, NOT_HIGHER = "lower", "higher", "equal", "not_lower", "not_higher"
# How many words: a sentence on two, three or four sides.
NUMBERS = {2: "twee", 3: "drie", 4: "vier"}


@dataclass(frozen=True)
class SideSpec:
    """One side: its indicator, how the page names it and how a sentence says it."""

    key: str
    indicator_id: str
    title: str  # panel title
    noun: str  # in a list: "geen cijfers over slachtofferschap"
    subject: str  # "politie" or "inwoners"
    verb: str
    rest: str  # with {adv}
    adverbs: dict[str, str]
    survey: bool


_OFTEN = {
    LOWER: "minder vaak",
    HIGHER: "vaker",
    EQUAL: "even vaak",
    NOT_LOWER: "niet minder vaak",
    NOT_HIGHER: "niet vaker",
}
SIDES = (
    SideSpec(
        "misdrijven",
        "misdrijven_totaal_per1000",
        "Geregistreerde misdrijven",
        "geregistreerde misdrijven",
        "politie",
        "registreert",
        "{adv} misdrijven per 1.000 inwoners",
        {
            LOWER: "minder",
            HIGHER: "meer",
            EQUAL: "ongeveer evenveel",
            NOT_LOWER: "niet minder",
            NOT_HIGHER: "niet meer",
        },
        survey=False,
    ),
    SideSpec(
        "slachtoffer",
        "vm_slachtofferschap_totaal",
        "Slachtofferschap",
        "slachtofferschap",
        "inwoners",
        "worden",
        "{adv} slachtoffer van criminaliteit",
        _OFTEN,
        survey=True,
    ),
    SideSpec(
        "overlast",
        "vm_overlast_totaal",
        "Overlast in de buurt",
        "overlast",
        "inwoners",
        "ervaren",
        "{adv} overlast in hun buurt",
        _OFTEN,
        survey=True,
    ),
    SideSpec(
        "onveilig",
        "vm_onveilig_buurt",
        "Zich onveilig voelen",
        "onveiligheidsgevoel",
        "inwoners",
        "voelen",
        "zich {adv} onveilig in hun buurt",
        _OFTEN,
        survey=True,
    ),
)
LBM_OVERLAST = "lbm_overlast_onveiligheid"


@dataclass
class Side:
    """One side for one gemeente: the series of the gemeente and of its group (with the name
    of the group behind each year's value), the latest year and its verdict."""

    spec: SideSpec
    name: str = ""
    unit: str = ""
    series_break: int | None = None
    own: dict[str, Point] = field(default_factory=dict)
    peer: dict[str, Point] = field(default_factory=dict)
    peer_labels: dict[str, str] = field(default_factory=dict)
    latest: str | None = None
    verdict: str = MISSING

    @property
    def tested(self) -> bool:
        return self.verdict in TESTED

    @property
    def percent(self) -> bool:
        return self.unit.startswith("%")

    def fmt(self, value: float | None) -> str:
        text = fmt_number(value, 1)
        return f"{text}%" if self.percent and value is not None else text

    def direction(self) -> str:
        """Whether the gemeente lies lower or higher than its group (EQUAL: not significant)."""
        if self.verdict == GELIJK:
            return EQUAL
        own, peer = self.own[self.latest].value, self.peer[self.latest].value
        return LOWER if own < peer else HIGHER

    def series_label(self) -> str:
        """The group line's name: one group, or the aggregate per year ("G32 (t/m
        2017), G40 (vanaf 2019)")."""
        spans: dict[str, list[str]] = {}
        for period in sorted(p for p in self.peer_labels if self.peer[p].ok):
            spans.setdefault(self.peer_labels[period], []).append(period)
        if len(spans) <= 1:
            return next(iter(spans), "")
        items = list(spans.items())
        parts = [f"{items[0][0]} (t/m {items[0][1][-1][:4]})"]
        parts += [f"{label} (vanaf {ps[0][:4]})" for label, ps in items[1:]]
        return ", ".join(parts)


def _aggregates(group: str, survey: bool) -> list[str]:
    """The CBS aggregates that stand for the group, in order of preference: for a survey
    figure of the G32 or the G40 the other one too (CBS has no G32 after 2017)."""
    own = benchmark.AGGREGATES.get(group)
    if not own:
        return []
    if not survey:
        return [own]
    return [own, *(a for a in benchmark.AGGREGATES.values() if a != own)]


def build_side(
    spec: SideSpec,
    meta: dict | None,
    values: pd.DataFrame,
    members: list[str],
    own_code: str,
    group: str,
    group_label: str,
    upto: str,
) -> Side:
    """The series and the latest-year verdict of one side; `values` holds this indicator's
    rows (area_code, period, value, lower, upper, count, denominator)."""
    if not meta:
        return Side(spec)
    brk = meta.get("series_break")
    side = Side(spec, meta["name"], meta["unit"], None if brk is None or pd.isna(brk) else int(brk))
    candidates = _aggregates(group, spec.survey)
    for period in sorted(set(values["period"])):
        here = values[values["period"] == period]
        own = here[here["area_code"] == own_code]
        side.own[period] = benchmark.point_from_row(own.iloc[0] if not own.empty else None)
        present = set(here.dropna(subset=["value"])["area_code"])
        aggregate = next((a for a in candidates if a in present), None)
        side.peer[period] = benchmark.peer_point(here, members, own_code, period, aggregate)
        side.peer_labels[period] = aggregate or group_label
    shown = [p for p in side.own if side.own[p].ok and p <= upto]
    if not shown:
        return side
    side.latest = shown[-1]
    own, peer = side.own[side.latest], side.peer[side.latest]
    counts = own.count is not None and own.exposure and meta.get("kind") == "per_1000"
    position = benchmark.poisson_position if counts else benchmark.margin_position
    side.verdict = position(own, peer, meta["better"]) if peer.ok else GEEN
    return side


# ---------------------------------------------------------------- the sentence
def group_phrase(label: str) -> str:
    """'G40' -> 'gemiddeld in de G40-gemeenten'; 'Twente' -> 'gemiddeld in de Twentse
    gemeenten'; 'alle gemeenten' -> 'gemiddeld in alle gemeenten'."""
    if label == "Twente":
        return "gemiddeld in de Twentse gemeenten"
    return f"gemiddeld in {label}" if " " in label else f"gemiddeld in de {label}-gemeenten"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} en {parts[-1]}"


@dataclass
class _State:
    """What the previous clause said, so the next one leaves out what is the same."""

    year: str | None = None
    label: str | None = None
    subject: str | None = None


def _clause(side: Side, mode: str, city: str, state: _State, hedge: bool, first: bool) -> str:
    spec = side.spec
    year, label = side.latest, side.peer_labels.get(side.latest, "")
    rest = spec.rest.format(adv=spec.adverbs[mode])
    if label != state.label:
        rest += f" {'als' if mode == EQUAL else 'dan'} {group_phrase(label)}"
    numbers = f"{side.fmt(side.own[year].value)} tegen {side.fmt(side.peer[year].value)}"
    rest += f" ({numbers}; het verschil kan toeval zijn)" if hedge else f" ({numbers})"
    if spec.subject == "politie":
        subject = f"de politie in {city}"
    else:
        subject = f"inwoners van {city}" if first else "inwoners"
    if year != state.year:
        text = f"in {year} {spec.verb} {subject} {rest}"
    elif spec.subject == state.subject:
        text = f"{spec.verb} {rest}"  # the same subject: "…, ervaren … en voelen zich …"
    else:
        text = f"{subject} {spec.verb} {rest}"
    state.year, state.label, state.subject = year, label, spec.subject
    return text


def _mode(side: Side, anchor: str) -> str:
    """How a side is said next to the first side: "niet minder vaak" where the first side
    is lower and this one is not significantly different."""
    direction = side.direction()
    if direction == EQUAL and anchor == LOWER:
        return NOT_LOWER
    if direction == EQUAL and anchor == HIGHER:
        return NOT_HIGHER
    return direction


def _untested(sides: list[Side], city: str, upto: str) -> list[str]:
    """The sides without a verdict, named as such."""
    parts = []
    none = [s.spec.noun for s in sides if s.latest is None]
    if none:
        parts.append(f"over {_join(none)} zijn er geen cijfers van {city} tot en met {upto[:4]}")
    untestable = [s.spec.noun for s in sides if s.latest is not None and not s.tested]
    if untestable:
        parts.append(f"bij {_join(untestable)} is geen toets tegen de groep mogelijk")
    return parts


def gap_sentence(sides: list[Side], city: str, upto: str) -> str:
    """One Dutch sentence on the gap between the sides, from their verdicts, e.g. "In 2023
    registreert de politie in Hengelo minder misdrijven per 1.000 inwoners dan gemiddeld in
    de G40-gemeenten (44,9 tegen 53,7), maar inwoners van Hengelo voelen zich niet minder
    vaak onveilig in hun buurt (14,7% tegen 17,8%; het verschil kan toeval zijn)."."""
    tested = [s for s in sides if s.tested]
    rest = _untested(sides, city, upto)
    if not tested:
        text = "; ".join(rest) if rest else f"er zijn geen cijfers van {city}"
        return _upper_first(f"{text}: de vier kanten zijn nog niet te vergelijken.")
    anchor = tested[0].direction()
    agree = [s for s in tested[1:] if s.direction() == anchor]
    differ = [s for s in tested[1:] if s.direction() != anchor]
    equal = [s for s in tested if s.direction() == EQUAL]
    consensus = len(tested) >= 2 and not differ
    hedge_each = len(equal) == 1
    state = _State()

    def say(side: Side, mode: str) -> str:
        return _clause(side, mode, city, state, hedge_each and side in equal, state.year is None)

    text = say(tested[0], anchor)
    if agree:
        text += ", en " + _join([say(s, anchor) for s in agree])
    if differ:
        state.subject = None  # after "maar" the subject is named again
        text += ", maar " + _join([say(s, _mode(s, anchor)) for s in differ])
    if consensus:
        n = NUMBERS.get(len(tested), str(len(tested)))
        prefix = (
            f"op geen van de {n} kanten wijkt {city} duidelijk af van de groep: "
            if anchor == EQUAL
            else f"alle {n} kanten wijzen dezelfde kant op: "
        )
        text = prefix + text
        if anchor == EQUAL:
            rest.insert(0, "de verschillen kunnen toeval zijn")
    elif len(equal) > 1:
        rest.insert(
            0, f"de verschillen bij {_join([s.spec.noun for s in equal])} kunnen toeval zijn"
        )
    if rest:
        text += "; " + "; ".join(rest)
    return _upper_first(text) + "."


# ---------------------------------------------------------------- tables and text
def latest_frame(sides: list[Side], city: str) -> pd.DataFrame:
    """The four sides in their latest year: the gemeente, its group and the verdict."""
    rows = []
    for s in sides:
        year = s.latest
        rows.append(
            {
                "Kant": s.spec.title,
                "Jaar": year or "–",
                city: point_text(s.own[year]) if year else "–",
                "Groep": s.peer_labels.get(year, "–") if year else "–",
                "Groepswaarde": point_text(s.peer[year]) if year else "–",
                "Positie": benchmark.MARK.get(s.verdict, s.verdict),
                "Eenheid": s.unit or "–",
            }
        )
    return pd.DataFrame(rows)


def series_frame(sides: list[Side], city: str) -> pd.DataFrame:
    """Every year of every side: the text alternative of the figure."""
    rows = [
        {
            "Kant": s.spec.title,
            "Jaar": period,
            city: point_text(s.own[period]),
            "Groep": s.peer_labels.get(period, ""),
            "Groepswaarde": point_text(s.peer[period]),
        }
        for s in sides
        for period in sorted(s.own)
        if s.own[period].ok or s.peer[period].ok
    ]
    return pd.DataFrame(rows, columns=["Kant", "Jaar", city, "Groep", "Groepswaarde"])


def alt_text(sides: list[Side], city: str, sentence: str) -> str:
    """A plain-text description of the four panels for a screen reader."""
    parts = []
    for s in sides:
        years = sorted(p for p in s.own if s.own[p].ok)
        if not years:
            parts.append(f"{s.spec.title}: geen cijfers")
            continue
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]
        brk = f", reeksbreuk {s.series_break}" if s.series_break else ""
        parts.append(f"{s.spec.title} ({s.unit}, {span}{brk})")
    return (
        f"Vier grafieken naast elkaar, elk met een eigen schaal: {city} (doorgetrokken lijn, "
        f"met foutmarges) en de groep (stippellijn). {'; '.join(parts)}. {sentence}"
    )


METHOD_TEXT = """\
- **Geregistreerde misdrijven:** misdrijven die de politie registreerde, per 1.000 inwoners.
  Groepswaarde: het gewone gemiddelde van de andere gemeenten van de groep. Toets: wijkt het
  aantal misdrijven meer af dan je door toeval mag verwachten (Poisson-toets, 95% zekerheid)?
- **Slachtofferschap, overlast en zich onveilig voelen:** wat inwoners (15 jaar en ouder)
  antwoorden in de Veiligheidsmonitor, een enquête. Groepswaarde: het cijfer dat CBS zelf
  publiceert voor de G32 (tot en met 2017) en de G40 (vanaf 2019); bij andere groepen het
  gemiddelde van de andere gemeenten. Toets: valt 0 buiten de foutmarge van het verschil
  (95% zekerheid)?
- **Reeksbreuk 2021:** de Veiligheidsmonitor is in 2021 vernieuwd; de lijn loopt daarom niet
  door van 2019 naar 2021.
- **Eigen schaal per kant:** vergelijk in elke grafiek de twee lijnen, niet de hoogte van de
  grafieken met elkaar. Het oordeel geldt het laatste jaar van elke kant: de politiecijfers en
  de enquête verschijnen niet in dezelfde jaren.
"""

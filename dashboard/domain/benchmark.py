"""The G32 footprint: the gemeente against a peer group per indicator, in two years, with
verdicts that account for chance. Pure functions; the page fetches the data.

Rules (also shown on the page in plain Dutch):

- Peer value: the aggregate CBS publishes for the group (G32, G40) where it exists; otherwise the
  unweighted mean of the group's gemeenten, without the gemeente itself.
- Registered-crime rates (a count per 1.000 inwoners): the gemeente's count is compared with the
  count expected at the peer rate (exact two-sided Poisson test, 5%). The development compares
  the gemeente's rate ratio (latest / base) with the peers' (z-test on the log ratio; Poisson
  variance of both counts).
- Survey figures with a 95% interval: a ± half-width (Veiligheidsmonitor 2012-2019) or a lower
  and an upper bound that need not be symmetric (2021 onwards). The interval of a difference
  is built from the intervals of its terms (Newcombe's MOVER method: for each term the side of
  its interval that points towards the other figure); the difference is significant when that
  interval does not contain 0. For a symmetric margin this is |d| > sqrt(m1² + m2²). The
  development compares the two changes the same way, with all four intervals.
- A series break (the Veiligheidsmonitor changed in 2021): no development across it.
- A boundary that changed between the two years (`dashboard.domain.indeling`): no development
  for the gemeente; a peer mean of the development counts only the members whose boundary is
  the same in both years (a CBS aggregate counts each member in the boundaries of its year).
- Otherwise no test is possible and no verdict is given ("geen toets").
- "beter"/"slechter" follow the indicator's direction; a neutral indicator gets no verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from scipy import stats

from dashboard.domain import explain
from dashboard.domain.fmt import fmt_number
from dashboard.domain.indeling import CHANGED

ALPHA = 0.05
Z = stats.norm.ppf(1 - ALPHA / 2)
BETER, GELIJK, SLECHTER, GEEN = "beter", "gelijk", "slechter", "geen toets"
NO_DATA = "nog geen gegevens — importeer de Veiligheidsmonitor"
MISSING = "geen gegevens"
BREAK = "reeksbreuk"
BOUNDARY = CHANGED  # "indeling gewijzigd": the gemeente's boundary changed between the years
AGGREGATES = {"g32": "G32", "g40": "G40"}


@dataclass
class Point:
    """One value of the gemeente or of the peers in one period."""

    value: float | None
    margin: float | None = None  # 95% half-width, when the interval is symmetric
    count: float | None = None
    exposure: float | None = None  # inhabitants behind a rate per 1.000
    n: int = 0  # peers behind a mean
    source: str = ""  # "CBS-aggregaat" or "gemiddelde van n gemeenten"
    lower: float | None = None  # 95% interval, possibly asymmetric
    upper: float | None = None

    def __post_init__(self):
        if self.margin is not None and self.value is not None and self.lower is None:
            self.lower, self.upper = self.value - self.margin, self.value + self.margin
        elif self.margin is None and self.lower is not None and self.upper is not None:
            down, up = self.value - self.lower, self.upper - self.value
            if abs(down - up) < 1e-9:
                self.margin = up

    @property
    def ok(self) -> bool:
        return self.value is not None and not _nan(self.value)

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None

    def reach(self, towards_higher: bool) -> float:
        """Half-width of the interval on one side (0 for a figure without an interval)."""
        if not self.has_interval:
            return 0.0
        return (self.upper - self.value) if towards_higher else (self.value - self.lower)


@dataclass
class Comparison:
    indicator_id: str
    name: str
    unit: str
    better: str
    base: str
    latest: str
    own: dict[str, Point] = field(default_factory=dict)
    peer: dict[str, Point] = field(default_factory=dict)
    rank: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    spread: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)  # base, latest, development
    series_break: int | None = None  # first year of a new series (no development across it)
    series_break_note: str = ""  # why, in plain Dutch
    note: str = ""  # why a row is empty, in plain Dutch
    # The peers behind the development: without members whose boundary changed in between.
    dev_peer: dict[str, Point] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        """The gemeente has a figure in the base year or the latest year."""
        return self.own[self.base].ok or self.own[self.latest].ok


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def orient(sign: int, better: str) -> str:
    """sign > 0: the gemeente is higher (or rose more). Turn that into beter/slechter."""
    if sign == 0:
        return GELIJK
    if better == "neutraal":
        return GEEN
    higher_is_better = better == "hoger"
    return BETER if (sign > 0) == higher_is_better else SLECHTER


def poisson_position(own: Point, peer: Point, better: str) -> str:
    """Exact two-sided Poisson test of the gemeente's count against the peer rate."""
    if not (own.ok and peer.ok and own.count is not None and own.exposure):
        return GEEN
    expected = peer.value * own.exposure / 1000
    k = round(own.count)
    if expected <= 0:
        return GEEN
    p = stats.poisson.cdf(k, expected) if k < expected else stats.poisson.sf(k - 1, expected)
    p = min(1.0, 2 * p)
    if p >= ALPHA:
        return GELIJK
    return orient(1 if k > expected else -1, better)


def difference_interval(terms: list[tuple[int, Point]]) -> tuple[float, float, float]:
    """A sum of figures with signs (+1/-1) and its 95% interval (MOVER, Newcombe 1998 / Zou and
    Donner 2008): the lower limit takes, per term, the side of its interval that lowers the sum,
    the upper limit the side that raises it. Returns (sum, lower, upper)."""
    total = sum(sign * p.value for sign, p in terms)
    down = math.sqrt(sum(p.reach(towards_higher=sign < 0) ** 2 for sign, p in terms))
    up = math.sqrt(sum(p.reach(towards_higher=sign > 0) ** 2 for sign, p in terms))
    return total, total - down, total + up


def _interval_verdict(terms: list[tuple[int, Point]], better: str) -> str:
    total, low, high = difference_interval(terms)
    if low <= 0 <= high:
        return GELIJK
    return orient(1 if total > 0 else -1, better)


def margin_position(own: Point, peer: Point, better: str) -> str:
    """Survey figure: significant when the 95% interval of the difference leaves out 0."""
    if not (own.ok and peer.ok and own.has_interval):
        return GEEN
    return _interval_verdict([(1, own), (-1, peer)], better)


def poisson_development(a: Point, b: Point, pa: Point, pb: Point, better: str) -> str:
    """Rate ratio of the gemeente against the peers' ratio: z-test on log ratios."""
    if (
        not all(p.ok for p in (a, b, pa, pb))
        or not (a.count and b.count and a.exposure and b.exposure)
        or pa.value <= 0
        or pb.value <= 0
    ):
        return GEEN
    own_log = math.log((b.count / b.exposure) / (a.count / a.exposure))
    peer_log = math.log(pb.value / pa.value)
    se = math.sqrt(1 / a.count + 1 / b.count)
    z = (own_log - peer_log) / se
    if abs(z) <= Z:
        return GELIJK
    return orient(1 if z > 0 else -1, better)


def margin_development(a: Point, b: Point, pa: Point, pb: Point, better: str) -> str:
    """Difference of changes against the combined margin of all four figures."""
    if not all(p.ok for p in (a, b, pa, pb)) or not (a.has_interval and b.has_interval):
        return GEEN
    return _interval_verdict([(1, b), (-1, a), (-1, pb), (1, pa)], better)


def point_from_row(row) -> Point:
    if row is None:
        return Point(None)
    value = None if _nan(row["value"]) else float(row["value"])
    lower = upper = None
    if not _nan(row.get("upper")) and not _nan(row.get("lower")) and value is not None:
        lower, upper = float(row["lower"]), float(row["upper"])
    count = None if _nan(row.get("count")) else float(row["count"])
    exposure = None
    if not _nan(row.get("denominator")):
        exposure = float(row["denominator"])
    elif count is not None and value:
        exposure = count / value * 1000  # rate published with its count (CBS 83648NED)
    return Point(value, None, count, exposure, source="gemeente", lower=lower, upper=upper)


def peer_point(
    values: pd.DataFrame, members: list[str], own_code: str, period: str, aggregate: str | None
) -> Point:
    """CBS's aggregate for the group if published, else the mean of the other members."""
    if aggregate:
        agg = values[(values["area_code"] == aggregate) & (values["period"] == period)]
        if not agg.empty and not _nan(agg.iloc[0]["value"]):
            p = point_from_row(agg.iloc[0])
            p.source, p.count, p.exposure = f"CBS-aggregaat {aggregate}", None, None
            return p
    sub = values[
        values["area_code"].isin(members)
        & (values["area_code"] != own_code)
        & (values["period"] == period)
    ].dropna(subset=["value"])
    if sub.empty:
        return Point(None)
    return Point(
        float(sub["value"].mean()),
        None,
        None,
        None,
        n=len(sub),
        source=f"gemiddelde van {len(sub)} gemeenten",
    )


def rank_of(
    values: pd.DataFrame, members: list[str], own_code: str, period: str, better: str
) -> tuple[int, int] | None:
    sub = values[
        values["area_code"].isin(set(members) | {own_code}) & (values["period"] == period)
    ].dropna(subset=["value"])
    if own_code not in set(sub["area_code"]) or better == "neutraal":
        return None
    # Ties in code order, so every database gives the same place (as explain.ranking_rows).
    ordered = sub.sort_values(
        ["value", "area_code"], ascending=[better == "lager", True], kind="stable"
    )["area_code"].tolist()
    return ordered.index(own_code) + 1, len(ordered)


def compare(
    meta: dict,
    values: pd.DataFrame,
    members: list[str],
    own_code: str,
    base: str,
    latest: str,
    group: str,
    unchanged: set[str] | None = None,
) -> Comparison:
    """All numbers and the three verdicts for one indicator. `unchanged`: the codes whose
    boundary is the same in both years (None: all); only they count in the development."""
    comp = Comparison(meta["id"], meta["name"], meta["unit"], meta["better"], base, latest)
    brk = meta.get("series_break")
    comp.series_break = None if _nan(brk) else int(brk)
    comp.series_break_note = str(meta.get("series_break_note") or "") if comp.series_break else ""
    aggregate = AGGREGATES.get(group)
    same = members if unchanged is None else [m for m in members if m in unchanged]
    for period in (base, latest):
        own = values[(values["area_code"] == own_code) & (values["period"] == period)]
        comp.own[period] = point_from_row(own.iloc[0] if not own.empty else None)
        comp.peer[period] = peer_point(values, members, own_code, period, aggregate)
        comp.dev_peer[period] = (
            comp.peer[period]
            if unchanged is None
            else peer_point(values, same, own_code, period, aggregate)
        )
        comp.rank[period] = rank_of(values, members, own_code, period, meta["better"])
        sub = values[values["area_code"].isin(members) & (values["period"] == period)]["value"]
        sub = sub.dropna()
        comp.spread[period] = (float(sub.min()), float(sub.max())) if not sub.empty else None
    counts = all(
        comp.own[p].count is not None and comp.own[p].exposure
        for p in (base, latest)
        if comp.own[p].ok
    )
    position = poisson_position if counts and meta.get("kind") == "per_1000" else margin_position
    development = (
        poisson_development if counts and meta.get("kind") == "per_1000" else margin_development
    )
    for key, period in (("base", base), ("latest", latest)):
        comp.verdicts[key] = (
            position(comp.own[period], comp.peer[period], meta["better"])
            if comp.own[period].ok
            else MISSING
        )
    both = comp.own[base].ok and comp.own[latest].ok
    comp.verdicts["development"] = (
        BREAK
        if crosses_break(comp.series_break, base, latest)
        else MISSING
        if not both
        else BOUNDARY
        if unchanged is not None and own_code not in unchanged
        else development(
            comp.own[base],
            comp.own[latest],
            comp.dev_peer[base],
            comp.dev_peer[latest],
            meta["better"],
        )
    )
    if not comp.has_data:
        comp.verdicts = {k: NO_DATA for k in ("base", "latest", "development")}
    return comp


def published_group(latest: str) -> str:
    """The comparison group whose aggregate CBS publishes for a year: the G32 up to 2017, the
    G40 (the network since 2018) from then on."""
    return "g40" if latest and int(latest[:4]) >= 2018 else "g32"


def crosses_break(series_break: int | None, base: str, latest: str) -> bool:
    """True when the two years lie on either side of a series break."""
    if not series_break or not base or not latest:
        return False
    a, b = sorted((int(base[:4]), int(latest[:4])))
    return a < series_break <= b


def comparable_pairs(
    series_break: int, base: str, latest: str, periods: list[str]
) -> list[tuple[str, str]]:
    """For two years across a break: the pair before the break starting at `base` and the
    pair after it ending at `latest`, from the years that have figures (fewer when a side has
    only one year)."""
    a, b = sorted((base, latest))
    before = sorted(p for p in periods if a <= p and int(p[:4]) < series_break)
    after = sorted(p for p in periods if p <= b and int(p[:4]) >= series_break)
    pairs = []
    if len(before) >= 2:
        pairs.append((before[0], before[-1]))
    if len(after) >= 2:
        pairs.append((after[0], after[-1]))
    return pairs


def missing_reason(
    comp: Comparison,
    first_period: str | None,
    publisher: str,
    city: str,
    group_label: str,
    survey: bool,
) -> str:
    """Why a footprint row has no figure for the gemeente in either year, in plain Dutch.
    `first_period`: the first period any gemeente has a figure (None: nothing imported);
    `survey`: the figures come with intervals (a survey suppresses small samples)."""
    if comp.has_data:
        return ""
    if first_period is None:
        return NO_DATA
    years = f"{comp.base} en {comp.latest}" if comp.base != comp.latest else comp.latest
    if comp.latest < first_period:
        return f"{publisher} publiceerde dit niet per gemeente vóór {first_period[:4]}"
    peers = any(comp.peer[p].ok for p in (comp.base, comp.latest))
    if survey and peers:
        return (
            f"{publisher} publiceert voor {city} geen cijfer over {years} (te weinig "
            f"respondenten); voor de {group_label} wel"
        )
    return f"geen cijfer voor {city} over {years}"


def footprint_rows(comps: list[Comparison], footprint_ids: set[str]) -> list[Comparison]:
    """The footprint indicators always (also without data, saying so), others only when the
    gemeente has a value in at least one of the two years."""
    return [c for c in comps if c.indicator_id in footprint_ids or c.has_data]


def sentence(comp: Comparison, city: str, group_label: str) -> str:
    """A Dutch line for a briefing, hedged where a difference is not significant."""
    b, a = comp.own[comp.latest], comp.own[comp.base]
    pb, pa = comp.peer[comp.latest], comp.peer[comp.base]
    if not b.ok:
        return f"{comp.name}: voor {city} zijn er nog geen cijfers over {comp.latest}."
    digits = explain.decimals([p.value for p in (a, b, pa, pb) if p.ok], comp.unit)
    digits = max(digits, 1)
    fmt = lambda v: fmt_number(v, digits)  # noqa: E731
    mean, group = explain.group_mean(group_label), explain.group_name(group_label)
    verdict = comp.verdicts["latest"]
    pos = {
        BETER: f"scoort in {comp.latest} significant beter dan",
        SLECHTER: f"scoort in {comp.latest} significant slechter dan",
        GELIJK: f"verschilt in {comp.latest} niet significant van",
    }.get(verdict, f"heeft in {comp.latest} geen toetsbaar verschil met")
    text = f"{comp.name}: {city} {pos} {mean}"
    text += f" ({fmt(b.value)} tegen {fmt(pb.value)})" if pb.ok else ""
    if a.ok and comp.verdicts["development"] == BOUNDARY:
        text += (
            f"; {comp.base} en {comp.latest} zijn niet te vergelijken: de grens van {city} is "
            "in die tijd gewijzigd"
        )
    elif a.ok and pa.ok and comp.base != comp.latest:
        move = (
            "daling" if b.value < a.value else "stijging" if b.value > a.value else "gelijkblijven"
        )
        dev = {
            BETER: f"gunstiger dan die van {group}",
            SLECHTER: f"ongunstiger dan die van {group}",
            GELIJK: f"niet significant anders dan die van {group}",
        }.get(comp.verdicts["development"], f"niet te toetsen tegen die van {group}")
        text += f"; de {move} sinds {comp.base} is {dev}"
    return text + "."


MARK = {
    BETER: "▲ beter",
    GELIJK: "● gelijk",
    SLECHTER: "▼ slechter",
    GEEN: "○ geen toets",
    MISSING: "– geen gegevens",
    NO_DATA: "– nog geen gegevens",
    BREAK: "≠ reeksbreuk",
    BOUNDARY: "≠ indeling gewijzigd",
}
# Okabe-Ito: blue for better, vermillion for worse, grey for equal; always with a word.
COLOURS = {
    BETER: ("#0072B2", "#ffffff"),
    SLECHTER: ("#D55E00", "#000000"),
    GELIJK: ("#DDDDDD", "#000000"),
}


def footprint_frame(comps: list[Comparison], city: str, group_label: str) -> pd.DataFrame:
    """The footprint as a table: one row per indicator, the three verdicts as words."""
    rows = []
    for c in comps:
        a, b = c.base, c.latest
        rank = c.rank.get(b)
        rows.append(
            {
                "Indicator": c.name,
                f"Positie {a}": MARK.get(c.verdicts["base"], c.verdicts["base"]),
                f"Positie {b}": MARK.get(c.verdicts["latest"], c.verdicts["latest"]),
                f"Ontwikkeling {a}–{b}": MARK.get(
                    c.verdicts["development"], c.verdicts["development"]
                ),
                f"{city} {a}": point_text(c.own[a]),
                f"{group_label} {a}": point_text(c.peer[a]),
                f"{city} {b}": point_text(c.own[b]),
                f"{group_label} {b}": point_text(c.peer[b]),
                f"Plaats {b}": f"{rank[0]} van {rank[1]}" if rank else "",
                "Eenheid": c.unit,
                "Toelichting": c.note,
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty and not frame["Toelichting"].astype(bool).any():
        frame = frame.drop(columns="Toelichting")
    return frame


def point_text(p: Point) -> str:
    """A figure with its interval: "7,4 ± 0,1" (symmetric) or "14,7 (11,1–19,4)"."""
    if not p.ok:
        return "–"
    text = fmt_number(p.value, 1)
    if p.margin is not None:
        return f"{text} ± {fmt_number(p.margin, 1)}"
    if p.has_interval:
        return f"{text} ({fmt_number(p.lower, 1)}–{fmt_number(p.upper, 1)})"
    return text


def first_tested(comps: list[Comparison], base: str, latest: str) -> int:
    """Index of the first comparison with figures in both years and a verdict (else 0): the
    indicator a page opens with."""
    return next(
        (
            i
            for i, c in enumerate(comps)
            if c.own[base].ok and c.own[latest].ok and c.verdicts["latest"] != GEEN
        ),
        0,
    )


def verdict_columns(columns) -> list[str]:
    """The columns of a footprint table that hold verdicts (position and development)."""
    return [c for c in columns if str(c).startswith(("Positie", "Ontwikkeling"))]


def verdict_style(text: str) -> str:
    """CSS for a verdict cell (pandas Styler)."""
    for verdict, (bg, fg) in COLOURS.items():
        if str(text).endswith(verdict):
            return f"background-color: {bg}; color: {fg}; font-weight: 600"
    return "color: #555555"


RULE_TEXT = """\
- **Met welk cijfer vergelijken we?** Met het cijfer dat CBS zelf voor de groep publiceert
  (G32, G40), als dat er is. Anders met het gewone gemiddelde van de andere gemeenten in de groep.
- **Misdrijven per 1.000 inwoners:** we kijken of het aantal misdrijven meer afwijkt van het
  groepscijfer dan je door toeval mag verwachten (Poisson-toets, 95% zekerheid).
- **Enquêtecijfers (Veiligheidsmonitor):** elk cijfer heeft een foutmarge (95% zekerheid).
  - **2012-2019:** CBS geeft een marge (± halve breedte, zoals "7,4 ± 0,1"). Het verschil is
    echt (significant) als het groter is dan de twee marges samen (√(m₁² + m₂²)).
  - **Vanaf 2021:** CBS geeft een onder- en een bovengrens, zoals "14,7 (11,1–19,4)"; die
    liggen niet altijd even ver van het cijfer. We rekenen met de kant van elke grens die naar
    het andere cijfer wijst. Ligt 0 buiten de foutmarge van het verschil, dan is het verschil
    echt.
  - **Gelijke cijfers** zijn altijd "gelijk".
- **Reeksbreuk 2021:** CBS heeft de Veiligheidsmonitor in 2021 vernieuwd. Cijfers van 2021 en
  later zijn niet te vergelijken met die van 2012-2019; een ontwikkeling rekenen we alleen binnen
  één reeks (bijvoorbeeld 2013–2015, 2015–2019 of 2021–2023).
- **Welke groep per jaar?** CBS publiceert de G32 tot en met 2017 en de G40 vanaf 2019.
- **Ontwikkeling:** we vergelijken de verandering tussen de twee jaren met de verandering in de
  groep, met dezelfde toetsen.
- **Beter of slechter** hangt af van de indicator: bij misdrijven is lager beter, bij
  tevredenheid hoger.
- **Geen toets:** zonder aantallen of foutmarges is niet te zeggen of een verschil toeval is; dan
  geven we geen oordeel.
- **Rangorde:** 1 is de gunstigste gemeente van de groep.
"""

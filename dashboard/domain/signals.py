"""Signals ("Opvallend"): the latest figure of a series against the one before and against the
area's own earlier level, tested for chance, with control of false alarms over all tests of one
run. Pure functions; the view fetches the series.

Rules (the same in plain Dutch in `RULE`):

- A series is one indicator for one area in one period type (years, months, quarters, half
  years), in today's boundaries, without document variants; periods of another type are
  another series.
- Two comparisons per series: the latest period against the previous period with a figure
  ("vorige"), and against the mean of up to `EARLIER` periods before it ("eigen niveau"; at
  least two, else it is the first comparison again). Never across a series break.
- Counts of events (registered crimes; a rate per 1.000 inwoners is tested on its count and
  inhabitants): exact conditional test of two Poisson counts. With k counts over exposure e in
  the latest period and m counts over exposure f in the earlier period(s), k given k + m is
  binomial with chance e / (e + f) when the rate did not change (two-sided binomial test). A
  count without an exposure counts each period as exposure 1.
- Survey figures with a 95% interval: the interval of the difference from the intervals of
  its terms (`benchmark.difference_interval`; a mean of n periods is a sum of terms of 1/n
  each); the p-value is the normal one of the difference over the half-width on the side of
  zero, so p < 5% exactly when that interval leaves out 0.
- Only series that still run: the latest year at most `STALE_YEARS` before the newest year
  of the run.
- Benjamini-Hochberg over all tests of one run (the gemeente with all its wijken and buurten,
  every indicator, both comparisons): a test is a signal when its adjusted p is at most `Q`.
- The direction follows the indicator: "lager is beter" makes a rise "ongunstig"; a neutral
  indicator says only "hoger" or "lager".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from scipy import stats

from dashboard.domain import benchmark
from dashboard.domain.benchmark import Point
from dashboard.domain.fmt import fmt_number

Q = 0.05  # false discovery rate over one run (Benjamini-Hochberg)
EARLIER = 3  # periods behind the comparison with the area's own level
STALE_YEARS = 2  # a series whose latest year is older than this before the newest is not tested
PREVIOUS, LEVEL = "vorige", "niveau"
POISSON, MARGIN = "poisson", "marge"
GUNSTIG, ONGUNSTIG, HOGER, LAGER = "gunstig", "ongunstig", "hoger", "lager"

TEST_NAMES = {
    POISSON: "exacte toets op twee Poisson-aantallen (voorwaardelijk binomiaal)",
    MARGIN: "95%-betrouwbaarheidsmarges van de enquête",
}
COMPARISON_NAMES = {PREVIOUS: "vorige periode", LEVEL: "eigen eerdere niveau"}
RULE = (
    "Opvallend is een verandering die waarschijnlijk geen toeval is. Per wijk, buurt en de "
    "hele gemeente vergelijken we het laatste cijfer van elke reeks met het cijfer daarvoor "
    f"en met het gemiddelde van de {EARLIER} perioden daarvoor (jaren met jaren, maanden met "
    "maanden; nooit over een breuk in de reeks). Een reeks waarvan het laatste cijfer meer dan "
    f"{STALE_YEARS} jaar ouder is dan het nieuwste cijfer, toetsen we niet meer. Aantallen "
    "misdrijven toetsen we met een exacte "
    "toets voor aantallen (Poisson), rekening houdend met het aantal inwoners; cijfers uit een "
    "enquête met hun foutmarges. Omdat we zo veel tegelijk toetsen, houden we het aantal valse "
    "alarmen klein met de methode van Benjamini-Hochberg: van de getoonde signalen is naar "
    f"verwachting hooguit {fmt_number(Q * 100, 0)}% toeval."
)
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@dataclass(frozen=True)
class Series:
    """One area's figures of one indicator, in one period type, oldest first."""

    area_code: str
    indicator_id: str
    better: str
    kind: str
    periods: tuple[str, ...]
    points: tuple[Point, ...]
    series_break: int | None = None


@dataclass(frozen=True)
class Test:
    area_code: str
    indicator_id: str
    comparison: str  # PREVIOUS or LEVEL
    method: str  # POISSON or MARGIN
    latest: str
    earlier: tuple[str, ...]
    figure: float  # the latest value (a rate for counts with an exposure)
    reference: float  # the previous value or the mean of the earlier ones
    count: float | None  # the latest count (counts only)
    reference_count: float | None  # the mean count of the earlier periods (counts only)
    p: float
    direction: int  # +1 rise, -1 fall, 0 equal
    verdict: str  # gunstig / ongunstig / hoger / lager / "" (equal)
    q: float | None = None  # Benjamini-Hochberg adjusted p over the run
    signal: bool = False


# ---------------------------------------------------------------- periods
def period_type(period: str) -> str:
    """'2024' -> 'jaar'; '2024-03' -> 'maand'; '2024-K2' -> 'kwartaal'; '2024-H1' -> 'halfjaar'."""
    if len(period) == 4:
        return "jaar"
    return {"K": "kwartaal", "H": "halfjaar"}.get(period[5:6], "maand")


def period_label(period: str) -> str:
    """'2024' -> '2024'; '2024-03' -> 'maart 2024'; '2024-K2' -> '2e kwartaal 2024'."""
    kind = period_type(period)
    if kind == "jaar":
        return period
    if kind == "maand":
        return f"{MONTHS[int(period[5:]) - 1]} {period[:4]}"
    return f"{period[6:]}e {kind} {period[:4]}"


def periods_label(periods: tuple[str, ...]) -> str:
    """('2021', '2022', '2023') -> '2021–2023'; ('2019', '2022', '2023') -> '2019, 2022 en
    2023' (the figures there are: a gap is shown)."""
    labels = [period_label(p) for p in periods]
    years = [int(p) for p in periods if period_type(p) == "jaar"]
    if len(years) == len(periods) > 2 and years == list(range(years[0], years[0] + len(years))):
        return f"{labels[0]}–{labels[-1]}"
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} en {labels[-1]}"


# ---------------------------------------------------------------- tests
def poisson_p(k: float, e: float, m: float, f: float) -> float:
    """Two-sided exact p that k counts over exposure e and m over f share one rate."""
    k, m = round(k), round(m)
    if k + m == 0 or e <= 0 or f <= 0:
        return 1.0
    return float(stats.binomtest(k, k + m, e / (e + f)).pvalue)


def margin_p(latest: Point, earlier: list[Point]) -> tuple[float, float]:
    """(difference, p) of the latest survey figure against the mean of the earlier ones, from
    the 95% intervals (`benchmark.difference_interval`)."""
    n = len(earlier)
    terms = [(1, latest)] + [(-1, _scaled(p, 1 / n)) for p in earlier]
    diff, low, high = benchmark.difference_interval(terms)
    half = (diff - low) if diff > 0 else (high - diff)
    if diff == 0:
        return 0.0, 1.0
    if half <= 0:
        return diff, 0.0
    z = abs(diff) / (half / benchmark.Z)
    return diff, float(2 * stats.norm.sf(z))


def _scaled(p: Point, factor: float) -> Point:
    return replace(
        p, value=p.value * factor, lower=p.lower * factor, upper=p.upper * factor, margin=None
    )


def verdict(direction: int, better: str) -> str:
    """A rise where lower is better is 'ongunstig'; a neutral indicator: 'hoger' or 'lager'."""
    if direction == 0:
        return ""
    if better not in ("hoger", "lager"):
        return HOGER if direction > 0 else LAGER
    return GUNSTIG if (direction > 0) == (better == "hoger") else ONGUNSTIG


def _is_count(p: Point) -> bool:
    return p.count is not None


def _has_interval(p: Point) -> bool:
    return p.ok and p.has_interval


def testable(series: Series) -> str | None:
    """Which test fits every figure the comparisons use (the latest and up to `EARLIER`
    before it): POISSON, MARGIN or None."""
    used = series.points[-(EARLIER + 1) :]
    if used and all(_is_count(p) for p in used):
        return POISSON
    if used and all(_has_interval(p) for p in used):
        return MARGIN
    return None


def _exposures(points: list[Point]) -> list[float | None]:
    """The inhabitants behind each figure. A rate of 0 (no events) does not tell them: such a
    period takes the mean of the other periods' (inhabitants change slowly)."""
    known = [p.exposure for p in points if p.exposure]
    if not known:
        return [None] * len(points)
    fill = sum(known) / len(known)
    return [p.exposure or (fill if p.count == 0 else None) for p in points]


def _compare(series: Series, method: str, i_earlier: list[int], comparison: str) -> Test:
    latest = series.points[-1]
    earlier = [series.points[i] for i in i_earlier]
    if method == POISSON:
        # Inhabitants as the exposure when every period has them, else one per period.
        points = [latest, *earlier]
        exposures = _exposures(points)
        exposed = all(exposures)
        k, m = latest.count, sum(p.count for p in earlier)
        e = exposures[0] if exposed else 1.0
        f = sum(exposures[1:]) if exposed else float(len(earlier))
        p_value = poisson_p(k, e, m, f)
        rate_now, rate_before = k / e, m / f
        # Shown in the figure's own unit (per 1.000, per 10.000, %): the published value
        # over the count's rate, of the latest period with a count above 0; else 1.000.
        scale = 1.0
        if exposed:
            scale = next(
                (
                    p.value / (p.count / x)
                    for p, x in zip(points, exposures, strict=True)
                    if p.ok and p.count
                ),
                1000.0,
            )
        figure, reference = rate_now * scale, rate_before * scale
        count, ref_count = k, m / len(earlier)
        diff = rate_now - rate_before
    else:
        diff, p_value = margin_p(latest, earlier)
        figure = latest.value
        reference = sum(p.value for p in earlier) / len(earlier)
        count = ref_count = None
    direction = 0 if diff == 0 else (1 if diff > 0 else -1)
    return Test(
        area_code=series.area_code,
        indicator_id=series.indicator_id,
        comparison=comparison,
        method=method,
        latest=series.periods[-1],
        earlier=tuple(series.periods[i] for i in i_earlier),
        figure=float(figure),
        reference=float(reference),
        count=count,
        reference_count=ref_count,
        p=p_value,
        direction=direction,
        verdict=verdict(direction, series.better),
    )


def tests_for(series: Series) -> list[Test]:
    """Both comparisons of one series (none when it has one period or no counts or margins)."""
    method = testable(series)
    if method is None or len(series.periods) < 2:
        return []
    last = len(series.periods) - 1
    same_side = [
        i
        for i in range(last)
        if not benchmark.crosses_break(series.series_break, series.periods[i], series.periods[last])
    ]
    out = []
    if last - 1 in same_side:
        out.append(_compare(series, method, [last - 1], PREVIOUS))
    level = same_side[-EARLIER:]
    if len(level) >= 2 and level[-1] == last - 1:
        out.append(_compare(series, method, level, LEVEL))
    return out


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Adjusted p-values (step-up, Benjamini and Hochberg 1995), in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


def current(series: list[Series], stale_years: int = STALE_YEARS) -> list[Series]:
    """The series that still run: their latest period at most `stale_years` before the newest
    period of the run (a series that stopped years ago is history, not a signal)."""
    if not series:
        return []
    newest = max(int(s.periods[-1][:4]) for s in series if s.periods)
    return [s for s in series if s.periods and int(s.periods[-1][:4]) >= newest - stale_years]


def run(series: list[Series], q: float = Q) -> list[Test]:
    """Every test of one run (the series that still run), with its adjusted p and whether it
    is a signal."""
    tests = [t for s in current(series) for t in tests_for(s)]
    adjusted = benjamini_hochberg([t.p for t in tests])
    return [
        replace(t, q=a, signal=a <= q and t.direction != 0)
        for t, a in zip(tests, adjusted, strict=True)
    ]


def split_types(
    area_code: str,
    indicator_id: str,
    better: str,
    kind: str,
    rows: list[tuple[str, Point]],
    series_break: int | None = None,
) -> list[Series]:
    """One series per period type from (period, point) rows of one area and indicator."""
    by_type: dict[str, list[tuple[str, Point]]] = {}
    for period, point in sorted(rows, key=lambda r: r[0]):
        if point.ok or point.count is not None:
            by_type.setdefault(period_type(period), []).append((period, point))
    return [
        Series(
            area_code,
            indicator_id,
            better,
            kind,
            tuple(p for p, _ in items),
            tuple(pt for _, pt in items),
            series_break,
        )
        for items in by_type.values()
    ]


# ---------------------------------------------------------------- words
def p_text(p: float) -> str:
    """0.0123 -> '0,012'; below 0.001 -> '< 0,001'."""
    return "< 0,001" if p < 0.001 else fmt_number(p, 3)


def change_words(test: Test) -> str:
    """'hoger (ongunstig)', 'lager (gunstig)', 'hoger' for a neutral indicator."""
    word = HOGER if test.direction > 0 else LAGER
    return word if test.verdict in (HOGER, LAGER, "") else f"{word} ({test.verdict})"


def test_words(test: Test) -> str:
    """The test and its p-values in plain Dutch."""
    q = "" if test.q is None else f", na correctie voor het aantal toetsen {p_text(test.q)}"
    return f"{TEST_NAMES[test.method]}: p = {p_text(test.p)}{q}"


def no_signals_text(place: str, tested: int) -> str:
    """What to say when nothing stands out, with the rule in one line."""
    if tested == 0:
        return (
            f"Geen opvallende veranderingen in {place}: er is geen reeks met aantallen of "
            "foutmarges met meer dan één periode om te toetsen."
        )
    return (
        f"Geen opvallende veranderingen in {place}: geen van de {fmt_number(tested, 0)} "
        "toetsen (laatste cijfer tegen het vorige en tegen het eigen eerdere niveau) wijst na "
        f"correctie voor het aantal toetsen (Benjamini-Hochberg, {fmt_number(Q * 100, 0)}%) op "
        "meer dan toeval."
    )


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))

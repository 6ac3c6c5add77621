"""Signals (Opvallend): table-driven on series whose right answer is known, Benjamini-Hochberg
on known p-value lists, and the run on the shipped data of Hengelo and Enschede."""

import random

import pytest

from dashboard.domain import signals as sig
from dashboard.domain.benchmark import Point
from dashboard.ingest.importer import import_file
from dashboard.views import briefing
from dashboard.views import signals as view


def counts(*values, exposures=None) -> tuple[Point, ...]:
    exposures = exposures or [None] * len(values)
    return tuple(
        Point(None if e else float(v), count=float(v), exposure=e)
        for v, e in zip(values, exposures, strict=True)
    )


def series(points, better="lager", periods=None, kind="aantal", brk=None) -> sig.Series:
    periods = periods or tuple(str(2024 - len(points) + 1 + i) for i in range(len(points)))
    return sig.Series("GM0001", "x", better, kind, tuple(periods), tuple(points), brk)


def survey(*triples) -> tuple[Point, ...]:
    return tuple(Point(v, lower=lo, upper=hi) for v, lo, hi in triples)


@pytest.mark.parametrize(
    ("k", "e", "m", "f", "low", "high"),
    [
        (40, 1, 20, 1, 0.005, 0.02),  # doubled: p = 0,013
        (22, 1, 20, 1, 0.8, 1.0),  # noise: p = 0,88
        (20, 1, 20, 1, 1.0, 1.0),  # equal
        (0, 1, 0, 1, 1.0, 1.0),  # nothing to test
        (10, 1, 30, 3, 1.0, 1.0),  # 10 against a mean of 10 over three periods
        (30, 1, 30, 3, 0.0, 0.001),  # 30 against a mean of 10
        (200, 2, 100, 1, 1.0, 1.0),  # twice the count with twice the inhabitants
    ],
)
def test_poisson_p(k, e, m, f, low, high):
    assert low <= sig.poisson_p(k, e, m, f) <= high


@pytest.mark.parametrize(
    ("p_values", "expected"),
    [
        ([0.01, 0.04, 0.03, 0.005], [0.02, 0.04, 0.04, 0.02]),
        ([0.5], [0.5]),
        ([0.01, 0.01], [0.01, 0.01]),
        ([0.9, 0.02, 0.03], [0.9, 0.045, 0.045]),  # step-up: the larger p lifts the smaller
        ([0.04, 0.5, 0.6, 0.7], [0.16, 0.7, 0.7, 0.7]),  # alone significant, not after BH
        ([], []),
    ],
)
def test_benjamini_hochberg(p_values, expected):
    assert sig.benjamini_hochberg(p_values) == pytest.approx(expected)


# (points, better, periods, series break) -> {comparison: verdict} of the signals
CASES = [
    (
        "40 vs 20: signal",
        counts(20, 20, 20, 40),
        "lager",
        None,
        None,
        {sig.PREVIOUS: sig.ONGUNSTIG, sig.LEVEL: sig.ONGUNSTIG},
    ),
    ("22 vs 20: none", counts(20, 20, 20, 22), "lager", None, None, {}),
    (
        "a fall where lower is better",
        counts(60, 60, 60, 20),
        "lager",
        None,
        None,
        {sig.PREVIOUS: sig.GUNSTIG, sig.LEVEL: sig.GUNSTIG},
    ),
    (
        "a rise where higher is better",
        counts(20, 20, 20, 45),
        "hoger",
        None,
        None,
        {sig.PREVIOUS: sig.GUNSTIG, sig.LEVEL: sig.GUNSTIG},
    ),
    (
        "neutral: only the direction",
        counts(20, 20, 20, 45),
        "neutraal",
        None,
        None,
        {sig.PREVIOUS: sig.HOGER, sig.LEVEL: sig.HOGER},
    ),
    # 25 after 40 is within chance of 40, but far above the earlier level of 10
    (
        "only against the own level",
        counts(10, 10, 40, 60),
        "lager",
        None,
        None,
        {sig.LEVEL: sig.ONGUNSTIG},
    ),
    ("one period: nothing to compare", counts(40), "lager", None, None, {}),
    (
        "two periods: no own level",
        counts(20, 45),
        "lager",
        None,
        None,
        {sig.PREVIOUS: sig.ONGUNSTIG},
    ),
    ("never across the break", counts(20, 20, 20, 45), "lager", None, 2024, {}),
    (
        "the break leaves one period before",
        counts(20, 20, 20, 45),
        "lager",
        None,
        2023,
        {sig.PREVIOUS: sig.ONGUNSTIG},
    ),
    (
        "the same count with more inhabitants: none",
        counts(100, 100, 200, exposures=[50_000, 50_000, 100_000]),
        "lager",
        None,
        None,
        {},
    ),
    (
        "months: April doubles",
        counts(20, 22, 19, 45),
        "lager",
        ("2024-01", "2024-02", "2024-03", "2024-04"),
        None,
        {sig.PREVIOUS: sig.ONGUNSTIG, sig.LEVEL: sig.ONGUNSTIG},
    ),
    ("survey: margins overlap", survey((30, 27, 33), (31, 28, 34)), "lager", None, None, {}),
    (
        "survey: 20 to 30 with margins of 3",
        survey((20, 17, 23), (30, 27, 33)),
        "lager",
        None,
        None,
        {sig.PREVIOUS: sig.ONGUNSTIG},
    ),
    (
        "survey: asymmetric intervals",
        survey((10, 8, 12.5), (10.5, 8.3, 13), (16, 13.5, 19)),
        "hoger",
        None,
        None,
        {sig.PREVIOUS: sig.GUNSTIG, sig.LEVEL: sig.GUNSTIG},
    ),
    ("no counts, no margins: no test", (Point(5.0), Point(9.0)), "lager", None, None, {}),
]


@pytest.mark.parametrize(
    ("points", "better", "periods", "brk", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_known_series(points, better, periods, brk, expected):
    tests = sig.run([series(points, better, periods, brk=brk)])
    assert {t.comparison: t.verdict for t in tests if t.signal} == expected


def test_an_old_figure_without_a_count_does_not_stop_the_test():
    points = (Point(50.0), *counts(20, 20, 20, 40))  # the oldest has no count
    assert {t.comparison for t in sig.run([series(points)]) if t.signal} == {
        sig.PREVIOUS,
        sig.LEVEL,
    }


def test_margin_p_agrees_with_the_interval():
    """p < 5% exactly when the MOVER interval of the difference leaves out 0."""
    for a, b, expect in [(20, 25, True), (20, 24, False)]:  # sqrt(3² + 3²) = 4,24
        _, p = sig.margin_p(Point(b, margin=3.0), [Point(a, margin=3.0)])
        assert (p < 0.05) is expect


def test_noise_gives_no_signal_after_correction():
    """200 series of pure Poisson noise around one rate: no signal after BH."""
    rng = random.Random(16)

    def poisson(mean: float) -> int:  # Knuth; the standard library has no Poisson draw
        limit, k, prod = 2.718281828459045**-mean, 0, rng.random()
        while prod > limit:
            k, prod = k + 1, prod * rng.random()
        return k

    noise = [series(counts(*[poisson(30) for _ in range(5)])) for _ in range(200)]
    tests = sig.run(noise)
    assert len(tests) == 400
    assert sum(t.p < 0.05 for t in tests) > 0  # unadjusted, chance alone gives some
    assert not any(t.signal for t in tests)


def test_stale_series_are_not_tested():
    old = series(counts(20, 20, 45), periods=("2015", "2016", "2017"))
    new = series(counts(20, 21), periods=("2023", "2024"))
    assert {t.latest for t in sig.run([old, new])} == {"2024"}


def test_split_types_keeps_years_and_months_apart():
    rows = [("2023", Point(10.0, count=10.0)), ("2024-01", Point(2.0, count=2.0))]
    rows += [("2024", Point(11.0, count=11.0)), ("2024-02", Point(3.0, count=3.0))]
    made = sig.split_types("GM0001", "x", "lager", "aantal", rows)
    assert sorted(s.periods for s in made) == [("2023", "2024"), ("2024-01", "2024-02")]


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("2024", "2024"),
        ("2024-03", "maart 2024"),
        ("2024-K2", "2e kwartaal 2024"),
        ("2024-H1", "1e halfjaar 2024"),
    ],
)
def test_period_label(period, label):
    assert sig.period_label(period) == label


@pytest.mark.parametrize(
    ("periods", "label"),
    [
        (("2023",), "2023"),
        (("2021", "2022", "2023"), "2021–2023"),
        (("2019", "2022", "2023"), "2019, 2022 en 2023"),
        (("2024-01", "2024-02"), "januari 2024 en februari 2024"),
    ],
)
def test_periods_label(periods, label):
    assert sig.periods_label(periods) == label


@pytest.mark.parametrize(("p", "text"), [(0.0123, "0,012"), (0.0004, "< 0,001"), (1.0, "1,000")])
def test_p_text(p, text):
    assert sig.p_text(p) == text


# ---------------------------------------------------------------- on the shipped data
@pytest.mark.parametrize("gemeente", ["GM0164", "GM0153"])
def test_shipped_gemeente_has_its_own_signals(db, gemeente):
    engine, _, _ = db
    run = view.build_run(engine, gemeente)
    own = run.signals(gemeente)
    assert own, "the shipped police series give the gemeente signals"
    assert all(t.q <= sig.Q for t in own)
    section = view.opvallend(run, limit=4)
    assert 1 <= len(section.lines) <= 4
    for text in section.lines:  # figures, periods and test named
        assert "2024" in text and "p na correctie" in text and "toets" in text.lower()
    assert set(section.frame.columns) == set(view.COLUMNS)
    assert not section.frame["Bron"].eq("").any()
    assert any("periode" in s for s in section.sources)


def test_shipped_wijk_without_series_says_so(db):
    engine, _, _ = db
    run = view.build_run(engine, "GM0164")
    section = view.opvallend(run, "WK016400")
    assert section.frame.empty and not section.lines
    assert section.empty_text.startswith("Geen opvallende veranderingen in ")


def import_months(
    engine, tmp_path, values: dict[str, tuple[int, ...]], name: str = "Meldingen van overlast"
) -> None:
    """A gemeente's own monthly file (politie periods 2024MM01...) in the template format."""
    header = "indicator,gebied,periode,waarde,aantal,naam,eenheid,beter\n"
    quoted = '"' + name.replace('"', '""') + '"'
    rows = [
        f"overlast_meldingen,{code},2024MM{m:02d},{n},{n},{quoted},meldingen,lager"
        for code, counts_ in values.items()
        for m, n in enumerate(counts_, start=1)
    ]
    path = tmp_path / "maanden.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    import_file(engine, path)


def test_imported_month_series_of_a_wijk_and_a_buurt(db, tmp_path):
    engine, _, _ = db
    import_months(
        engine,
        tmp_path,
        {"WK015300": (20, 22, 19, 45), "WK015301": (20, 22, 19, 21), "BU01640000": (9, 8, 30)},
    )
    run = view.build_run(engine, "GM0153")
    wijk = view.opvallend(run, "WK015300")
    assert len(wijk.lines) == 1
    assert "april 2024" in wijk.lines[0] and "maart 2024" in wijk.lines[0]
    assert "hoger (ongunstig)" in wijk.lines[0]
    assert view.opvallend(run, "WK015301").frame.empty  # 21 after 19-22: noise
    buurt = view.opvallend(view.build_run(engine, "GM0164"), "BU01640000")
    assert len(buurt.frame) == 2 and "maart 2024" in buurt.lines[0]


def test_briefing_has_a_section_opvallend(db):
    engine, _, _ = db
    text = briefing.pdf_text(briefing.briefing_pdf(engine, "GM0153", ("beeld",)))
    assert "Opvallend in Enschede" in text and "Opvallende veranderingen" in text
    assert "Benjamini-Hochberg" in text and "Poisson-toets" in text
    without = briefing.pdf_text(briefing.briefing_pdf(engine, "GM0153", ("themas",)))
    assert "Opvallend" not in without  # the section belongs to the Veiligheidsbeeld


def test_a_period_without_events_keeps_the_rate_in_its_unit():
    """0 crimes publish a rate of 0, from which no inhabitants follow: that period takes the
    other periods' inhabitants, so 12 crimes among 80.000 show as 0,15 per 1.000, not as 12."""
    before = Point(0.0, count=0.0)  # rate 0: exposure unknown
    now = Point(0.15, count=12.0, exposure=80_000.0)
    tests = sig.tests_for(series((before, now), kind="per_1000"))
    assert tests, "the pair is tested"
    previous = next(t for t in tests if t.comparison == sig.PREVIOUS)
    assert previous.figure == pytest.approx(0.15) and previous.reference == 0.0
    assert previous.p == pytest.approx(sig.poisson_p(12, 80_000, 0, 80_000))
    # The latest without events: the scale comes from the earlier period with a count.
    flipped = sig.tests_for(series((now, before), kind="per_1000"))
    last = next(t for t in flipped if t.comparison == sig.PREVIOUS)
    assert last.figure == 0.0 and last.reference == pytest.approx(0.15)

"""The footprint verdicts: table-driven, including the edge cases."""

import pandas as pd
import pytest

from dashboard.domain import benchmark as bm
from dashboard.domain.benchmark import BETER, GEEN, GELIJK, SLECHTER, Point


@pytest.mark.parametrize(
    ("own", "peer", "better", "expected"),
    [
        # Hengelo 2017: 4.090 misdrijven at 50,6 per 1.000 against a peer rate of 57,0
        (Point(50.6, count=4090, exposure=80830), Point(57.0), "lager", BETER),
        (Point(50.6, count=4090, exposure=80830), Point(57.0), "hoger", SLECHTER),
        (Point(57.0, count=4607, exposure=80830), Point(57.0), "lager", GELIJK),  # equal
        (Point(1.2, count=3, exposure=2500), Point(0.4), "lager", GELIJK),  # tiny count
        (Point(12.0, count=30, exposure=2500), Point(4.0), "lager", SLECHTER),
        (Point(50.6), Point(57.0), "lager", GEEN),  # no count: no Poisson test
        (Point(None), Point(57.0), "lager", GEEN),
        (Point(50.6, count=4090, exposure=80830), Point(None), "lager", GEEN),
        (Point(50.6, count=4090, exposure=80830), Point(57.0), "neutraal", GEEN),
    ],
)
def test_poisson_position(own, peer, better, expected):
    assert bm.poisson_position(own, peer, better) == expected


@pytest.mark.parametrize(
    ("own", "peer", "better", "expected"),
    [
        (Point(25.5, margin=2.0), Point(29.4, margin=0.7), "hoger", SLECHTER),  # 3,9 > 2,12
        (Point(32.0, margin=5.7), Point(33.7, margin=0.7), "hoger", GELIJK),
        (Point(29.4, margin=2.0), Point(29.4, margin=0.7), "hoger", GELIJK),  # equal values
        (Point(10.0, margin=1.0), Point(7.0, margin=1.0), "lager", SLECHTER),
        (Point(10.0, margin=1.0), Point(7.0, margin=1.0), "hoger", BETER),
        (Point(10.0), Point(7.0, margin=1.0), "hoger", GEEN),  # no margin for the gemeente
        (Point(10.0, margin=1.0), Point(7.0), "hoger", BETER),  # peer mean without margin
    ],
)
def test_margin_position(own, peer, better, expected):
    assert bm.margin_position(own, peer, better) == expected


@pytest.mark.parametrize(
    ("a", "b", "pa", "pb", "better", "expected"),
    [
        # both fall by the same share: equal development
        (
            Point(60, count=600, exposure=10000),
            Point(48, count=480, exposure=10000),
            Point(80),
            Point(64),
            "lager",
            GELIJK,
        ),
        # Hengelo falls by 30 %, peers by 10 %: better (lower is better)
        (
            Point(60, count=6000, exposure=100000),
            Point(42, count=4200, exposure=100000),
            Point(80),
            Point(72),
            "lager",
            BETER,
        ),
        (
            Point(60, count=6000, exposure=100000),
            Point(42, count=4200, exposure=100000),
            Point(80),
            Point(72),
            "hoger",
            SLECHTER,
        ),
        (
            Point(None),
            Point(42, count=4200, exposure=100000),
            Point(80),
            Point(72),
            "lager",
            GEEN,
        ),  # missing year
    ],
)
def test_poisson_development(a, b, pa, pb, better, expected):
    assert bm.poisson_development(a, b, pa, pb, better) == expected


@pytest.mark.parametrize(
    ("a", "b", "pa", "pb", "expected"),
    [
        (
            Point(25.5, margin=2.0),
            Point(32.0, margin=5.7),
            Point(29.4, margin=0.7),
            Point(33.7, margin=0.7),
            GELIJK,
        ),
        (
            Point(20, margin=1),
            Point(30, margin=1),
            Point(20, margin=0.5),
            Point(21, margin=0.5),
            BETER,
        ),
    ],
)
def test_margin_development(a, b, pa, pb, expected):
    assert bm.margin_development(a, b, pa, pb, "hoger") == expected


def frame(rows):
    return pd.DataFrame(
        rows, columns=["area_code", "period", "value", "lower", "upper", "count", "denominator"]
    )


def test_compare_prefers_cbs_aggregate_and_excludes_itself():
    values = frame(
        [
            ("GM1", "2013", 25.5, 23.5, 27.5, None, None),
            ("GM1", "2017", 32.0, 26.3, 37.7, None, None),
            ("G32", "2013", 29.4, 28.7, 30.1, None, None),
            ("G32", "2017", 33.7, 33.0, 34.4, None, None),
            ("GM2", "2013", 10.0, None, None, None, None),
            ("GM2", "2017", 10.0, None, None, None, None),
        ]
    )
    meta = {"id": "x", "name": "X", "unit": "%", "better": "hoger", "kind": "percentage"}
    comp = bm.compare(meta, values, ["GM1", "GM2"], "GM1", "2013", "2017", "g32")
    assert comp.peer["2013"].value == 29.4 and comp.peer["2013"].source == "CBS-aggregaat G32"
    assert comp.verdicts == {"base": SLECHTER, "latest": GELIJK, "development": GELIJK}
    twente = bm.compare(meta, values, ["GM1", "GM2"], "GM1", "2013", "2017", "twente")
    assert twente.peer["2013"].value == 10.0 and twente.peer["2013"].n == 1  # GM1 left out


def test_compare_tiny_group_and_missing_year():
    values = frame(
        [
            ("GM1", "2017", 50.6, None, None, 4090, None),
            ("GM2", "2017", 70.0, None, None, 700, 10000),
        ]
    )
    meta = {"id": "x", "name": "X", "unit": "per 1.000", "better": "lager", "kind": "per_1000"}
    comp = bm.compare(meta, values, ["GM2"], "GM1", "2013", "2017", "twente")
    assert comp.verdicts["base"] == bm.MISSING and comp.verdicts["development"] == bm.MISSING
    assert comp.verdicts["latest"] == BETER
    assert comp.rank["2017"] == (1, 2)


def test_no_data_says_import_the_survey():
    meta = {"id": "vm", "name": "Rapportcijfer", "unit": "", "better": "hoger", "kind": "score"}
    comp = bm.compare(meta, frame([]), ["GM2"], "GM1", "2013", "2017", "g32")
    assert set(comp.verdicts.values()) == {bm.NO_DATA}
    assert "importeer de Veiligheidsmonitor" in bm.NO_DATA


@pytest.mark.parametrize(
    ("verdicts", "fragment"),
    [
        (
            {"base": BETER, "latest": BETER, "development": GELIJK},
            "scoort in 2017 significant beter dan het G32-gemiddelde (50,6 tegen 57,0); de daling "
            "sinds 2013 is niet significant anders dan die van de G32.",
        ),
        (
            {"base": BETER, "latest": GELIJK, "development": SLECHTER},
            "verschilt in 2017 niet significant van het G32-gemiddelde",
        ),
    ],
)
def test_sentence(verdicts, fragment):
    comp = bm.Comparison(
        "x",
        "Misdrijven per 1.000 inwoners",
        "",
        "lager",
        "2013",
        "2017",
        own={"2013": Point(68.5), "2017": Point(50.6)},
        peer={"2013": Point(80.2), "2017": Point(57.0)},
        verdicts=verdicts,
    )
    assert fragment in bm.sentence(comp, "Hengelo", "G32")


def test_sentence_names_every_group_in_plain_dutch_and_shows_small_rates():
    comp = bm.Comparison(
        "x",
        "Diefstal van motorvoertuigen, per 1.000 inwoners",
        "per 1.000 inwoners",
        "lager",
        "2017",
        "2024",
        own={"2017": Point(0.31), "2024": Point(0.024)},
        peer={"2017": Point(0.52), "2024": Point(0.061)},
        verdicts={"base": BETER, "latest": BETER, "development": GELIJK},
    )
    text = bm.sentence(comp, "Hengelo", "alle gemeenten")
    assert "significant beter dan het gemiddelde van alle gemeenten" in text
    assert "niet significant anders dan die van alle gemeenten." in text
    assert "(0,02 tegen 0,06)" in text  # not "(0,0 tegen 0,1)"
    assert "die van de Twentse gemeenten" in bm.sentence(comp, "Hengelo", "Twente")


# ---------------------------------------------------------------- intervals (2021 onwards)
def iv(value, lower, upper):
    return Point(value, lower=lower, upper=upper)


@pytest.mark.parametrize(
    ("own", "peer", "better", "expected"),
    [
        # Hengelo 2023 against the G40: onveilig in de buurt 14,7 (11,1-19,4) vs 17,8 (17,3-18,3):
        # the side towards the G40 is 4,7 wide, the difference 3,1: equal.
        (iv(14.7, 11.1, 19.4), iv(17.8, 17.3, 18.3), "lager", GELIJK),
        # Asymmetric: 10 (9-16) vs 13,5 (13-14). Downwards only 1 wide, upwards 6 wide.
        # Towards the peer (upwards) the reach is sqrt(6² + 0,5²) = 6,02 > 3,5: equal...
        (iv(10.0, 9.0, 16.0), iv(13.5, 13.0, 14.0), "lager", GELIJK),
        # ...while a symmetric ± 1 would call the same gap significant.
        (Point(10.0, margin=1.0), Point(13.5, margin=0.5), "lager", BETER),
        # The other way round: the peer lies on the narrow side (9-16 reaches down 1 only).
        (iv(10.0, 9.0, 16.0), iv(7.5, 7.0, 8.0), "lager", SLECHTER),
        # Equal values are equal, whatever the intervals (also zero-width ones).
        (iv(7.5, 7.4, 7.7), iv(7.5, 7.5, 7.5), "hoger", GELIJK),
        (iv(7.5, 7.5, 7.5), iv(7.5, 7.5, 7.5), "hoger", GELIJK),
        # Exactly at the boundary is not significant: 7,7 (7,5-7,8) vs 7,5 (7,5-7,5): 0,2 = 0,2.
        (iv(7.7, 7.5, 7.8), iv(7.5, 7.5, 7.5), "hoger", GELIJK),
        (iv(7.7, 7.6, 7.8), iv(7.5, 7.5, 7.5), "hoger", BETER),
        (Point(7.7), iv(7.5, 7.5, 7.5), "hoger", GEEN),  # no interval for the gemeente
    ],
)
def test_interval_position(own, peer, better, expected):
    assert bm.margin_position(own, peer, better) == expected


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        # Symmetric margins: the classic sqrt(m1² + m2²).
        ([(1, Point(10.0, margin=3.0)), (-1, Point(6.0, margin=4.0))], (4.0, -1.0, 9.0)),
        # Asymmetric: lower limit uses own downward reach (1) and the peer's upward reach (2).
        ([(1, iv(10.0, 9.0, 16.0)), (-1, iv(6.0, 5.0, 8.0))], (4.0, 4.0 - 5**0.5, 4.0 + 37**0.5)),
    ],
)
def test_difference_interval(terms, expected):
    assert bm.difference_interval(terms) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("a", "b", "pa", "pb", "expected"),
    [
        # Hengelo rose by 4 more than the group, the intervals are wide: equal.
        (
            iv(10.3, 7.2, 14.4),
            iv(14.7, 11.1, 19.4),
            iv(16.6, 16.1, 17.1),
            iv(17.8, 17.3, 18.3),
            GELIJK,
        ),
        # Narrow intervals, a fall of 3 while the group stays: better (lower is better).
        (
            iv(20.0, 19.5, 20.6),
            iv(17.0, 16.6, 17.5),
            iv(18.0, 17.9, 18.1),
            iv(18.0, 17.9, 18.1),
            BETER,
        ),
        # Same change as the group: equal.
        (
            iv(20.0, 19.5, 20.6),
            iv(17.0, 16.6, 17.5),
            iv(18.0, 17.9, 18.1),
            iv(15.0, 14.9, 15.1),
            GELIJK,
        ),
    ],
)
def test_interval_development(a, b, pa, pb, expected):
    assert bm.margin_development(a, b, pa, pb, "lager") == expected


@pytest.mark.parametrize(
    ("base", "latest", "crosses"),
    [
        ("2013", "2015", False),
        ("2015", "2019", False),
        ("2021", "2023", False),
        ("2019", "2021", True),
        ("2017", "2023", True),
        ("2023", "2017", True),
    ],
)
def test_series_break(base, latest, crosses):
    assert bm.crosses_break(2021, base, latest) is crosses


def test_comparable_pairs():
    periods = ["2013", "2014", "2015", "2016", "2017", "2019", "2021", "2023"]
    assert bm.comparable_pairs(2021, "2017", "2023", periods) == [
        ("2017", "2019"),
        ("2021", "2023"),
    ]
    assert bm.comparable_pairs(2021, "2019", "2021", periods) == []  # one year on each side


def test_interval_shown_as_published():
    assert bm.point_text(Point(7.4, margin=0.1)) == "7,4 ± 0,1"
    assert bm.point_text(iv(14.7, 11.1, 19.4)) == "14,7 (11,1–19,4)"

"""The four sides of safety: the group per year, the verdicts and the sentence on the gap."""

import pandas as pd
import pytest

from dashboard.domain import sides
from dashboard.domain.benchmark import BETER, GEEN, GELIJK, MISSING, SLECHTER, Point

CRIME, VICTIM, NUISANCE, UNSAFE = sides.SIDES
PCT = "% van de inwoners (15+)"


def side(spec, verdict, year="2023", own=None, peer=None, label="G40"):
    """A side with one year; values chosen to fit the verdict unless given."""
    if verdict == MISSING:
        return sides.Side(spec, unit=PCT if spec.survey else "per 1.000 inwoners")
    own = own if own is not None else {BETER: 10.0, SLECHTER: 30.0}.get(verdict, 19.0)
    peer = peer if peer is not None else 20.0
    return sides.Side(
        spec,
        unit=PCT if spec.survey else "per 1.000 inwoners",
        own={year: Point(own)},
        peer={year: Point(peer)},
        peer_labels={year: label},
        latest=year,
        verdict=verdict,
    )


EXAMPLE = (
    "In 2023 registreert de politie in Hengelo minder misdrijven per 1.000 inwoners dan "
    "gemiddeld in de G40-gemeenten (44,9 tegen 53,7), maar inwoners voelen zich niet minder "
    "vaak onveilig in hun buurt (14,7% tegen 17,8%; het verschil kan toeval zijn); over "
    "slachtofferschap en overlast zijn er geen cijfers van Hengelo tot en met 2023."
)

CASES = [
    # The example of the issue: fewer registered crimes, feeling unsafe not lower.
    (
        [
            side(CRIME, BETER, own=44.9, peer=53.7),
            side(VICTIM, MISSING),
            side(NUISANCE, MISSING),
            side(UNSAFE, GELIJK, own=14.7, peer=17.8),
        ],
        "2023",
        EXAMPLE,
    ),
    # All lower: no gap.
    (
        [side(CRIME, BETER), side(VICTIM, BETER), side(NUISANCE, BETER), side(UNSAFE, BETER)],
        "2023",
        "Alle vier kanten wijzen dezelfde kant op: in 2023 registreert de politie in Hengelo "
        "minder misdrijven per 1.000 inwoners dan gemiddeld in de G40-gemeenten (10,0 tegen "
        "20,0), en inwoners worden minder vaak slachtoffer van criminaliteit (10,0% tegen "
        "20,0%), ervaren minder vaak overlast in hun buurt (10,0% tegen 20,0%) en voelen zich "
        "minder vaak onveilig in hun buurt (10,0% tegen 20,0%).",
    ),
    # No signal: every side equal to the group.
    (
        [side(CRIME, GELIJK), side(VICTIM, GELIJK), side(NUISANCE, GELIJK), side(UNSAFE, GELIJK)],
        "2023",
        "Op geen van de vier kanten wijkt Hengelo duidelijk af van de groep: in 2023 "
        "registreert de politie in Hengelo ongeveer evenveel misdrijven per 1.000 inwoners als "
        "gemiddeld in de G40-gemeenten (19,0 tegen 20,0), en inwoners worden even vaak "
        "slachtoffer van criminaliteit (19,0% tegen 20,0%), ervaren even vaak overlast in hun "
        "buurt (19,0% tegen 20,0%) en voelen zich even vaak onveilig in hun buurt (19,0% tegen "
        "20,0%); de verschillen kunnen toeval zijn.",
    ),
    # More crime registered, survey sides mixed; each side in its own year and group.
    (
        [
            side(CRIME, SLECHTER, year="2024", own=45.1, peer=28.6, label="Twente"),
            side(VICTIM, GELIJK, label="Twente"),
            side(NUISANCE, BETER, label="Twente"),
            side(UNSAFE, SLECHTER, label="Twente"),
        ],
        "2024",
        "In 2024 registreert de politie in Hengelo meer misdrijven per 1.000 inwoners dan "
        "gemiddeld in de Twentse gemeenten (45,1 tegen 28,6), en in 2023 voelen inwoners zich "
        "vaker onveilig in hun buurt (30,0% tegen 20,0%), maar inwoners worden niet vaker "
        "slachtoffer van criminaliteit (19,0% tegen 20,0%; het verschil kan toeval zijn) en "
        "ervaren minder vaak overlast in hun buurt (10,0% tegen 20,0%).",
    ),
    # Crime equal, the survey lower, in another year against another group.
    (
        [
            side(CRIME, GELIJK, year="2024", label="G32"),
            side(VICTIM, BETER),
            side(NUISANCE, GEEN),
            side(UNSAFE, GELIJK),
        ],
        "2024",
        "In 2024 registreert de politie in Hengelo ongeveer evenveel misdrijven per 1.000 "
        "inwoners als gemiddeld in de G32-gemeenten (19,0 tegen 20,0), en in 2023 voelen "
        "inwoners zich even vaak onveilig in hun buurt als gemiddeld in de G40-gemeenten (19,0% "
        "tegen 20,0%), maar inwoners worden minder vaak slachtoffer van criminaliteit (10,0% "
        "tegen 20,0%); de verschillen bij geregistreerde misdrijven en onveiligheidsgevoel "
        "kunnen toeval zijn; bij overlast is geen toets tegen de groep mogelijk.",
    ),
    # Without registered crime: the first survey side leads and names the city.
    (
        [
            side(CRIME, MISSING),
            side(VICTIM, MISSING),
            side(NUISANCE, SLECHTER),
            side(UNSAFE, GELIJK),
        ],
        "2023",
        "In 2023 ervaren inwoners van Hengelo vaker overlast in hun buurt dan gemiddeld in de "
        "G40-gemeenten (30,0% tegen 20,0%), maar inwoners voelen zich niet vaker onveilig in "
        "hun buurt (19,0% tegen 20,0%; het verschil kan toeval zijn); over geregistreerde "
        "misdrijven en slachtofferschap zijn er geen cijfers van Hengelo tot en met 2023.",
    ),
    # One side only.
    (
        [side(CRIME, BETER, year="2015"), *(side(s, MISSING) for s in (VICTIM, NUISANCE, UNSAFE))],
        "2015",
        "In 2015 registreert de politie in Hengelo minder misdrijven per 1.000 inwoners dan "
        "gemiddeld in de G40-gemeenten (10,0 tegen 20,0); over slachtofferschap, overlast en "
        "onveiligheidsgevoel zijn er geen cijfers van Hengelo tot en met 2015.",
    ),
    # Nothing to compare.
    (
        [side(s, MISSING) for s in sides.SIDES],
        "2009",
        "Over geregistreerde misdrijven, slachtofferschap, overlast en onveiligheidsgevoel zijn "
        "er geen cijfers van Hengelo tot en met 2009: de vier kanten zijn nog niet te "
        "vergelijken.",
    ),
    (
        [side(CRIME, GEEN), *(side(s, MISSING) for s in (VICTIM, NUISANCE, UNSAFE))],
        "2023",
        "Over slachtofferschap, overlast en onveiligheidsgevoel zijn er geen cijfers van Hengelo "
        "tot en met 2023; bij geregistreerde misdrijven is geen toets tegen de groep mogelijk: "
        "de vier kanten zijn nog niet te vergelijken.",
    ),
]


@pytest.mark.parametrize(("given", "upto", "expected"), CASES)
def test_gap_sentence(given, upto, expected):
    assert sides.gap_sentence(given, "Hengelo", upto) == expected


def rows(area, values, lower=None, upper=None, count=None):
    """Observation rows of one area: {period: value}."""
    return [
        {
            "area_code": area,
            "period": p,
            "value": v,
            "lower": None if lower is None else v - lower,
            "upper": None if upper is None else v + upper,
            "count": None if count is None else v * count / 1000,
            "denominator": None,
        }
        for p, v in values.items()
    ]


SURVEY_META = {"name": "Onveilig", "unit": PCT, "better": "lager", "kind": "percentage"}


def survey_values():
    return pd.DataFrame(
        rows("GM1", {"2015": 15.0, "2019": 11.0, "2023": 14.7}, 3.0, 4.0)
        + rows("G32", {"2015": 21.5}, 0.7, 0.7)
        + rows("G40", {"2019": 17.1, "2023": 17.8}, 0.5, 0.5)
        + rows("GM2", {"2015": 30.0, "2019": 30.0, "2023": 30.0}, 5.0, 5.0)
    )


@pytest.mark.parametrize(
    ("group", "upto", "latest", "labels", "verdict", "series"),
    [
        # The G32 and the G40: CBS's aggregate of the year, G32 up to 2017, G40 from 2019.
        (
            "g32",
            "2023",
            "2023",
            {"2015": "G32", "2019": "G40", "2023": "G40"},
            GELIJK,
            "G32 (t/m 2015), G40 (vanaf 2019)",  # the years with figures
        ),
        ("g40", "2019", "2019", {"2015": "G32", "2019": "G40", "2023": "G40"}, BETER, None),
        # Another group: the mean of the other members (GM2), every year.
        ("twente", "2016", "2015", {"2015": "Twente", "2019": "Twente"}, BETER, "Twente"),
    ],
)
def test_survey_side_group_per_year(group, upto, latest, labels, verdict, series):
    values = {**SURVEY_META, "series_break": 2021}
    side = sides.build_side(
        sides.SIDES[3], values, survey_values(), ["GM1", "GM2"], "GM1", group, "Twente", upto
    )
    assert side.latest == latest
    assert {p: side.peer_labels[p] for p in labels} == labels
    assert side.verdict == verdict
    assert side.series_break == 2021
    if series:
        assert side.series_label() == series
    if group == "twente":
        assert side.peer["2015"].value == 30.0 and side.peer["2015"].n == 1


def test_crime_side_uses_the_poisson_test_and_the_members_mean():
    meta = {"name": "Misdrijven", "unit": "per 1.000 inwoners", "better": "lager"}
    meta |= {"kind": "per_1000", "series_break": None}
    values = pd.DataFrame(
        rows("GM1", {"2023": 44.9, "2024": 45.1}, count=82_000)
        + rows("GM2", {"2023": 53.0, "2024": 53.3}, count=100_000)
        + rows("GM3", {"2023": 54.4, "2024": 53.3}, count=100_000)
    )
    side = sides.build_side(
        sides.SIDES[0], meta, values, ["GM1", "GM2", "GM3"], "GM1", "g32", "G32", "2024"
    )
    assert side.latest == "2024" and side.verdict == BETER
    assert side.peer["2023"].value == pytest.approx(53.7)
    assert side.peer_labels["2024"] == "G32"  # no aggregate of registered crime
    frame = sides.latest_frame([side], "Hengelo")
    assert frame.iloc[0].to_dict() == {
        "Kant": "Geregistreerde misdrijven",
        "Jaar": "2024",
        "Hengelo": "45,1",
        "Groep": "G32",
        "Groepswaarde": "53,3",
        "Positie": "▲ beter",
        "Eenheid": "per 1.000 inwoners",
    }


def test_missing_indicator_and_years_after_upto():
    assert sides.build_side(sides.SIDES[1], None, pd.DataFrame(), [], "GM1", "g32", "G32", "2023")
    side = sides.build_side(
        sides.SIDES[3], SURVEY_META, survey_values(), ["GM2"], "GM1", "g32", "G32", "2014"
    )
    assert side.latest is None and side.verdict == MISSING
    assert "2015" in side.own  # the figure still shows every year
    frame = sides.latest_frame([side], "Hengelo")
    assert frame.iloc[0]["Positie"] == "– geen gegevens"

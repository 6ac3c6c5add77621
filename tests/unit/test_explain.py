"""The plain-language captions and text alternatives of the figures: concrete Dutch sentences
with Dutch numbers, table-driven where the rules are."""

import subprocess
import sys

import pandas as pd
import pytest

from dashboard.domain import explain, wijkbeeld
from tests.conftest import ROOT

CITY = "Hengelo (O.)"
RATE = {
    "name": "Geregistreerde misdrijven, totaal, per 1.000 inwoners",
    "unit": "per 1.000 inwoners",
    "better": "lager",
    "kind": "per_1000",
}


def test_no_streamlit():
    """Pure Python: the texts can be built in a test or a script without Streamlit."""
    code = "import sys, dashboard.domain.explain; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("values", "unit", "kind", "expected"),
    [
        ([45.1, 286.7], "per 1.000 inwoners", "per_1000", 1),
        ([3512.0, 717.0], "misdrijven", "aantal", 0),
        ([0.0247, 0.0120], "per 1.000 inwoners", "", 3),  # '0,025', not '0,0'
        ([0.64, 0.11], "per 1.000 inwoners", "", 2),
        ([-0.092, 0.016], "score", "score", 3),  # Leefbaarometer deviations
        ([4.12, 4.22], "score", "score", 2),
        ([0.0, None, float("nan")], "per 1.000 inwoners", "", 1),  # nothing to go by
        ([], "%", "", 1),
    ],
)
def test_decimals(values, unit, kind, expected):
    assert explain.decimals(values, unit, kind) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 wijken"), (1, "1 wijk"), (10, "10 wijken"), (1234, "1.234 wijken")]
)
def test_count_text(n, expected):
    assert explain.count_text(n, "wijk", "wijken") == expected


@pytest.mark.parametrize(
    ("periods", "values", "digits", "expected"),
    [
        (
            ["2012", "2017", "2024"],
            [60.1, 40.26, 45.1],
            1,
            "gedaald van 60,1 in 2012 naar 45,1 in 2024; het laagst was 40,3 in 2017",
        ),
        (
            ["2024", "2012"],  # any order: read by period
            [6.0, 0.2],
            1,
            "gestegen van 0,2 in 2012 naar 6,0 in 2024",
        ),
        (["2017", "2018"], [35.0, 35.0], 0, "gelijk gebleven: 35 in 2017 en in 2018"),
        (["2023"], [1234.5], 1, "1.234,5 in 2023"),
        (
            ["2012", "2013", "2014", "2015"],
            [7.4, 9.9, None, 7.0],  # a missing year is skipped, the peak is named
            1,
            "gedaald van 7,4 in 2012 naar 7,0 in 2015; het hoogst was 9,9 in 2013",
        ),
        (["2012", "2013", "2014"], [1.0, 0.96, 1.04], 1, "gelijk gebleven: 1,0 in 2012 en in 2014"),
        ([], [], 1, "geen cijfers"),
    ],
)
def test_trend_words(periods, values, digits, expected):
    assert explain.trend_words(periods, values, digits) == expected


@pytest.mark.parametrize(
    ("meta", "niveau", "expected"),
    [
        (RATE, "wijk", "Hoe donkerder de wijk, hoe meer misdrijven per 1.000 inwoners"),
        (
            {"name": "Leefbaarometer-score", "unit": "score", "better": "hoger", "kind": "score"},
            "buurt",
            "Hoe donkerder de buurt, hoe lager de score (donker is ongunstig).",
        ),
        (
            {"name": "Aantal inwoners", "unit": "inwoners", "better": "neutraal", "kind": "aantal"},
            "wijk",
            "Hoe donkerder de wijk, hoe meer inwoners (dat is niet goed of slecht).",
        ),
        (
            {"name": "Onveilig", "unit": "% van de inwoners", "better": "lager", "kind": ""},
            "wijk",
            "Hoe donkerder de wijk, hoe hoger het percentage (donker is ongunstig).",
        ),
    ],
)
def test_map_caption(meta, niveau, expected):
    text = explain.map_caption(meta, niveau)
    assert text.startswith(expected)
    assert text.endswith(f"Klik op een {niveau} voor alle cijfers van die {niveau}.")


def shaded_buurten() -> pd.DataFrame:
    """Five buurten through the real colouring: a business park, one without data."""
    areas = pd.DataFrame(
        {
            "code": ["BU1", "BU2", "BU3", "BU4", "BU5"],
            "name": ["Centrum", "Noord", "Es", "Bedrijventerrein", "Veld"],
        }
    )
    values = pd.DataFrame(
        {
            "area_code": ["BU1", "BU2", "BU3", "BU4"],
            "value": [612.8, 7.44, 1234.5, 2000.0],
            "count": [717, 90, 2469, 30],
            "denominator": [1170, 12097, 2000, 15],  # BU4: 15 inhabitants
        }
    )
    return wijkbeeld.shade(values, areas, RATE)[0]


def test_map_summary_names_highest_lowest_and_gaps():
    text = explain.map_summary(shaded_buurten(), RATE, "buurt", "2023", CITY, 44.07)
    assert text == (
        "Kaart van 5 buurten van Hengelo (O.): Geregistreerde misdrijven, totaal, per 1.000 "
        "inwoners, 2023. Het hoogst: Es (1.234,5 per 1.000 inwoners). Het laagst: Noord "
        "(7,4 per 1.000 inwoners). Hengelo (O.) als geheel: 44,1 per 1.000 inwoners. Geen "
        "cijfer voor 1 buurt met minder dan 200 inwoners. Geen gegevens voor 1 buurt."
    )  # the business park's 2.000 is not the highest: too few inhabitants


def test_map_summary_without_city_value_and_one_area():
    shaded = shaded_buurten()
    text = explain.map_summary(shaded[shaded["name"] == "Noord"], RATE, "wijk", "2023", CITY)
    assert "Alleen Noord heeft een cijfer (7,4 per 1.000 inwoners)." in text
    assert "als geheel" not in text and "Het hoogst" not in text


def values_frame() -> pd.DataFrame:
    rows = [
        ("GM0164", 7.44),
        ("GM0001", 3.0),
        ("GM0002", 1234.5),
        ("GM0003", 9.1),
        ("GM0004", None),  # no value: not ranked
        ("GM0005", 5.0),
        ("GM0999", 0.1),  # not a member
    ]
    df = pd.DataFrame(rows, columns=["area_code", "value"])
    df["indicator_id"], df["period"] = "x", "2017"
    other = df.assign(indicator_id="y", value=100.0)  # another indicator
    older = df.assign(period="2013", value=1.0)  # another year
    return pd.concat([df, other, older], ignore_index=True)


MEMBERS = ["GM0001", "GM0002", "GM0003", "GM0004", "GM0005"]  # without the gemeente itself
NAMES = {"GM0164": CITY, "GM0001": "Aa", "GM0002": "Bee", "GM0003": "Cee", "GM0005": "Ee"}


def rows(better: str) -> pd.DataFrame:
    return explain.ranking_rows(values_frame(), MEMBERS, "GM0164", "x", "2017", NAMES, better)


def test_ranking_rows_best_first():
    low = rows("lager")
    assert low["name"].tolist() == ["Aa", "Ee", CITY, "Cee", "Bee"]
    assert low["place"].tolist() == [1, 2, 3, 4, 5]
    assert rows("hoger")["name"].tolist() == ["Bee", "Cee", CITY, "Ee", "Aa"]
    assert rows("neutraal")["place"].isna().all()


def test_ranking_table_dutch_numbers():
    table = explain.ranking_table(rows("lager"), "per 1.000 inwoners")
    assert table.columns.tolist() == ["Plaats", "Gemeente", "Waarde (per 1.000 inwoners)"]
    assert table.iloc[2].tolist() == ["3", CITY, "7,4"]
    assert table.iloc[4].tolist() == ["5", "Bee", "1.234,5"]
    neutral = explain.ranking_table(rows("neutraal"), "aantal")
    assert neutral.columns.tolist() == ["Gemeente", "Waarde (aantal)"]  # no ranking order


def test_ranking_sentence():
    text = explain.ranking_sentence(
        rows("lager"), "GM0164", CITY, "G32", "2017", "per 1.000 inwoners", 57.04
    )
    assert text == (
        "Hengelo (O.) staat in 2017 op plaats 3 van 5 (1 = het gunstigst), met 7,4 per 1.000 "
        "inwoners. Het gunstigst is Aa (3,0). Het minst gunstig is Bee (1.234,5). Het "
        "G32-gemiddelde is 57,0; Hengelo (O.) zit eronder."
    )


def test_ranking_sentence_neutral_and_missing():
    text = explain.ranking_sentence(rows("neutraal"), "GM0164", CITY, "Twente", "2017", "x", 7.4)
    assert text.startswith("Hengelo (O.) heeft in 2017 7,4 x. Het hoogst is Bee (1.234,5).")
    assert text.endswith("Het Twente-gemiddelde is 7,4; Hengelo (O.) zit erop.")
    text = explain.ranking_sentence(rows("lager"), "GM0404", CITY, "G40", "2017", "x", None)
    assert text.startswith("Voor Hengelo (O.) is er geen cijfer over 2017.")
    assert "gemiddelde" not in text
    empty = rows("lager").iloc[0:0]
    assert explain.ranking_sentence(empty, "GM0164", CITY, "Twente", "2017", "x", None) == (
        "Voor 2017 zijn er geen cijfers van de Twentse gemeenten."
    )


@pytest.mark.parametrize(
    ("label", "name", "mean"),
    [
        ("G32", "de G32", "het G32-gemiddelde"),
        ("Twente", "de Twentse gemeenten", "het Twente-gemiddelde"),
        ("alle gemeenten", "alle gemeenten", "het gemiddelde van alle gemeenten"),
    ],
)
def test_group_words(label, name, mean):
    assert explain.group_name(label) == name
    assert explain.group_mean(label) == mean
    assert f"gemeente van {name}." in explain.ranking_caption(CITY, label, "lager")


OWN = pd.DataFrame({"period": ["2012", "2013", "2024"], "value": [60.1, 58.0, 45.1]})
PEERS = pd.DataFrame(
    {
        "period": ["2012", "2024"],
        "mean": [70.0, 57.04],
        "min": [31.0, 20.55],
        "max": [1234.5, 98.0],
    }
)


def test_trend_sentence():
    text = explain.trend_sentence(OWN, PEERS, CITY, "G32", "per 1.000 inwoners")
    assert text == (
        "Hengelo (O.): gedaald van 60,1 in 2012 naar 45,1 in 2024 (per 1.000 inwoners). Het "
        "G32-gemiddelde: gedaald van 70,0 in 2012 naar 57,0 in 2024. In 2024 ligt Hengelo (O.) "
        "onder het G32-gemiddelde (45,1 tegen 57,0)."
    )
    alone = explain.trend_sentence(OWN, None, CITY, "G32", "per 1.000 inwoners")
    assert alone == "Hengelo (O.): gedaald van 60,1 in 2012 naar 45,1 in 2024 (per 1.000 inwoners)."


def test_trend_table_has_every_year_of_both_lines():
    table = explain.trend_table(OWN, PEERS, CITY, "G32", "per 1.000 inwoners")
    assert table.columns.tolist() == [
        "Jaar",
        CITY,
        "G32: gemiddelde",
        "G32: laagste",
        "G32: hoogste",
    ]
    assert table["Jaar"].tolist() == ["2012", "2013", "2024"]
    assert table.iloc[0].tolist() == ["2012", "60,1", "70,0", "31,0", "1.234,5"]
    assert table.iloc[1].tolist() == ["2013", "58,0", "–", "–", "–"]  # no group value that year
    assert table.iloc[2].tolist() == ["2024", "45,1", "57,0", "20,6", "98,0"]


def test_profile_trend_words_next_to_the_sparkline():
    own = pd.DataFrame(
        {
            "indicator_id": ["lbm", "lbm", "lbm", "inw"],
            "period": ["2024", "2002", "2014", "2024"],
            "value": [4.22, 4.12, 4.05, 3010.0],
        }
    )
    table = pd.DataFrame(
        {"indicator_id": ["inw", "lbm"], "unit": ["inwoners", "score"], "kind": ["aantal", "score"]}
    )
    view = pd.DataFrame({"Indicator": ["Inwoners", "Score"], "Verloop": [[], [4.12, 4.05, 4.22]]})
    out = explain.with_trend_words(view, table, own)
    assert out.columns.tolist() == ["Indicator", "Verloop", explain.TREND_WORDS]
    assert out[explain.TREND_WORDS].tolist() == [
        "alleen 2024",
        "gestegen van 4,12 in 2002 naar 4,22 in 2024; het laagst was 4,05 in 2014",
    ]
    assert explain.TREND_WORDS in explain.SPARKLINE_CAPTION


def test_series_sentence_and_table_show_small_rates():
    values = pd.DataFrame({"period": ["2012", "2019", "2024"], "value": [0.0247, 0.037, 0.012]})
    text = explain.series_sentence(values, CITY, "per 1.000 inwoners")
    assert text == (
        "Hengelo (O.): gedaald van 0,025 in 2012 naar 0,012 in 2024; het hoogst was 0,037 in "
        "2019 (per 1.000 inwoners)."
    )
    table = explain.series_table(values, "per 1.000 inwoners")
    assert table.to_dict("list") == {
        "Jaar": ["2012", "2019", "2024"],
        "Waarde (per 1.000 inwoners)": ["0,025", "0,037", "0,012"],
    }


def test_tree_and_progress_texts():
    acts = pd.DataFrame(
        {
            "theme_code": ["T1", "T1", "T2"],
            "doel_code": ["T1.D1", "T1.D2", None],  # an actie hung under its theme
            "status": ["loopt", "afgerond", "loopt"],
        }
    )
    status = "3 acties: 1 afgerond (33%), 2 loopt (67%)."
    assert explain.tree_alt(acts, status) == (
        "Doelenboom: 2 thema's, 2 doelen en 3 acties. 3 acties: 1 afgerond (33%), 2 loopt (67%)."
    )
    assert explain.tree_alt(acts.iloc[:1], "").startswith("Doelenboom: 1 thema, 1 doel en 1 actie.")
    assert explain.progress_caption("Doel").startswith("Elke balk is een doel.")
    assert explain.progress_alt("Thema", status).endswith(
        "per thema het deel van de acties per stand. " + status
    )


def test_captions_are_short():
    """B1: one to three short sentences, no sentence longer than 25 words."""
    texts = [
        explain.map_caption(RATE, "wijk"),
        explain.locator_caption("Wijk 00 Binnenstad", "wijk", CITY),
        explain.footprint_caption(CITY, "G32"),
        explain.ranking_caption(CITY, "G32", "lager"),
        explain.trend_caption(CITY, "G32"),
        explain.group_map_caption(CITY, "G32", "lager"),
        explain.progress_caption("Thema"),
        explain.TREE_CAPTION,
        explain.indicators_caption(CITY),
        explain.SPARKLINE_CAPTION,
    ]
    for text in texts:
        sentences = [s for s in text.replace("(O.)", "").split(". ") if s]
        assert 1 <= len(sentences) <= 3, text
        assert all(len(s.split()) <= 25 for s in sentences), text


def test_children_table_shows_leefbaarometer_deviations_with_three_decimals():
    children = pd.DataFrame({"code": ["BU01640100", "BU01640101"], "name": ["Noord", "Zuid"]})
    values = pd.DataFrame(
        {
            "indicator_id": ["lbm_overlast_onveiligheid"] * 2 + ["lbm_score"] * 2,
            "area_code": ["BU01640100", "BU01640101"] * 2,
            "period": ["2024"] * 4,
            "value": [-0.0041, 0.092, 4.0123, 3.9],
            "count": [None] * 4,
            "denominator": [None] * 4,
        }
    )
    table = wijkbeeld.children_table(children, values)
    deviation = "Overlast en onveiligheid (Leefbaarometer) (2024)"
    assert table[deviation].tolist() == ["-0,004", "0,092"]
    assert table["Leefbaarometer (2024)"].tolist() == ["4,01", "3,90"]

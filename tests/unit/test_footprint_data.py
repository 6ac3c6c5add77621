"""The Veiligheidsmonitor footprint on the shipped data: every row's figure comes from the CBS
column documented in data/referentie/veiligheidsmonitor_footprint_kolommen.csv, the blocks
and groups per year, and the reasons of the empty rows."""

import csv
from pathlib import Path

import pytest

from dashboard.domain import benchmark
from dashboard.settings import DATA_DIR
from dashboard.store.schema import make_engine
from dashboard.views import agenda

REFERENCE = DATA_DIR / "referentie" / "veiligheidsmonitor_footprint_kolommen.csv"
SOURCES = DATA_DIR / "bronnen" / "indicatoren"
# The 19 rows of the 2016 analysis (seed 001) and the catalogue's indicator for each.
ROWS = {
    "Rapportcijfer leefbaarheid": "vm_rapportcijfer_leefbaarheid",
    "Buurt gaat achteruit": "vm_buurt_achteruit",
    "Functioneren gemeente": "vm_functioneren_gemeente",
    "Sociale cohesie": "vm_sociale_cohesie",
    "Fysieke voorzieningen": "vm_fysieke_voorzieningen",
    "Overlast totaal": "vm_overlast_totaal",
    "Fysieke verloedering": "vm_fysieke_verloedering",
    "Verkeersoverlast": "vm_verkeersoverlast",
    "Sociale overlast": "vm_sociale_overlast",
    "Rapportcijfer veiligheid": "vm_rapportcijfer_veiligheid",
    "Onveiligheid algemeen": "vm_onveilig_algemeen",
    "Onveiligheid buurt": "vm_onveilig_buurt",
    "Slachtofferschap totaal": "vm_slachtofferschap_totaal",
    "Geweldsdelicten": "vm_slachtoffer_geweld",
    "Vermogensdelicten": "vm_slachtoffer_vermogen",
    "Vernielingen": "vm_slachtoffer_vernieling",
    "Tevredenheid contact politie": "vm_tevreden_contact_politie",
    "Oordeel functioneren politie": "vm_politie_tevreden_functioneren",
    "Preventie": "vm_preventie",
}
# 81928NED was shipped before the reference file: its two columns as the catalogue maps them.
EARLIER = {
    "Tevredenheid contact politie": "Totaal_21",
    "Oordeel functioneren politie": "TotaleFunctionerenTevreden_38",
}
SHIPPED_81928 = "cbs_81928NED_politie_en_burger_regio_2012-2019.csv"


def reference_rows():
    with REFERENCE.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["file"] == "NOT FOUND":
                continue
            name = Path(r["file"]).name
            column = r["column"].split(" / ")[0]
            if "81928NED" in name:
                column = EARLIER[r["footprint_indicator"]]
            yield pytest.param(
                r["footprint_indicator"],
                SHIPPED_81928 if "81928NED" in name else name,
                column,
                id=f"{r['footprint_indicator']}-{r['period_block']}",
            )


def raw_values(file_name: str, column: str, region_names: set[str]) -> dict[str, tuple]:
    """Per period: (value, lower, upper) of a gemeente in the downloaded CSV, as CBS wrote it."""
    path = SOURCES / file_name
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > 1 else ","
    out: dict[str, dict] = {}
    for r in csv.DictReader(text.splitlines(), delimiter=delimiter):
        if r["RegioS"].strip() not in region_names or not r[column].strip():
            continue
        kind = r["Marges"].lower()
        slot = out.setdefault(r["Perioden"].strip(), {})
        key = "lower" if "ondergrens" in kind else "upper" if "bovengrens" in kind else None
        if key is None:
            key = "margin" if kind.startswith("betrouwbaar") else "value"
        slot[key] = float(r[column])
    return out


@pytest.fixture(scope="module")
def engine(built_db):
    eng = make_engine(built_db)
    yield eng
    eng.dispose()


def test_nineteen_rows_in_the_catalogue(engine):
    inds = agenda.queries.benchmark_indicators(engine, "GM0164")
    footprint = inds[inds["footprint"].notna()].sort_values("footprint")
    assert list(footprint["id"]) == list(ROWS.values())


@pytest.mark.parametrize(("row", "file_name", "column"), list(reference_rows()))
def test_footprint_row_comes_from_the_documented_column(engine, row, file_name, column):
    raw = raw_values(file_name, column, {"Hengelo (O.)", "Hengelo (O.) (GM)"})
    if row != "Tevredenheid contact politie" or "85146NED" not in file_name:
        assert raw, f"geen cijfers voor Hengelo in {file_name}, kolom {column}"
    stored = agenda.queries.group_values(engine, [ROWS[row]], ["GM0164", "G32", "G40"], sorted(raw))
    hengelo = stored[stored["area_code"] == "GM0164"].set_index("period")
    checked = 0
    for period, cell in raw.items():
        if period not in hengelo.index or "value" not in cell:
            continue
        got = hengelo.loc[period]
        assert got["value"] == pytest.approx(cell["value"]), (row, period)
        if "margin" in cell:
            assert got["upper"] - got["value"] == pytest.approx(cell["margin"])
        if "lower" in cell:
            assert (got["lower"], got["upper"]) == pytest.approx((cell["lower"], cell["upper"]))
        checked += 1
    # Hengelo's own figures, except where CBS publishes none for Hengelo (too few respondents).
    assert checked or row == "Tevredenheid contact politie"


def by_id(comps):
    return {c.indicator_id: c for c in comps}


def test_footprint_2013_2015_against_the_g32(engine):
    comps, _ = agenda.footprint(engine, "GM0164", "g32", "2013", "2015")
    rows = by_id(comps)
    filled = [i for i in ROWS.values() if rows[i].has_data]
    assert len(filled) == 15
    for i in ("vm_slachtofferschap_totaal", "vm_slachtoffer_geweld", "vm_slachtoffer_vermogen"):
        assert rows[i].note == "CBS publiceerde dit niet per gemeente vóór 2021"
    # The figures the 2016 letter to the council quotes (seed 001).
    assert rows["vm_rapportcijfer_leefbaarheid"].own["2015"].value == 7.4
    assert rows["vm_rapportcijfer_veiligheid"].own["2015"].value == 7.1
    for i in filled:
        for year in ("2013", "2015"):
            assert rows[i].peer[year].source == "CBS-aggregaat G32", (i, year)
            assert rows[i].verdicts["base"] in (
                benchmark.BETER,
                benchmark.GELIJK,
                benchmark.SLECHTER,
            )
        assert rows[i].verdicts["development"] != benchmark.BREAK


def test_footprint_2021_2023_against_the_g40(engine):
    comps, _ = agenda.footprint(engine, "GM0164", "g40", "2021", "2023")
    rows = by_id(comps)
    assert sum(rows[i].has_data for i in ROWS.values()) == 18
    contact = rows["vm_tevreden_contact_politie"]
    assert not contact.has_data and contact.peer["2023"].ok
    assert "te weinig respondenten" in contact.note and "importeer" not in contact.note
    onveilig = rows["vm_onveilig_buurt"].own["2023"]
    assert (onveilig.value, onveilig.lower, onveilig.upper) == (14.7, 11.1, 19.4)
    assert rows["vm_onveilig_buurt"].peer["2023"].source == "CBS-aggregaat G40"


def test_no_development_across_the_break(engine):
    comps, data = agenda.footprint(engine, "GM0164", "g32", "2017", "2023")
    rows = by_id(comps)
    for i in ROWS.values():
        if rows[i].own["2017"].ok and rows[i].own["2023"].ok:
            assert rows[i].verdicts["development"] == benchmark.BREAK, i
    # Registered crime has no break: its development is tested.
    assert rows["misdrijven_totaal_per1000"].verdicts["development"] != benchmark.BREAK
    pairs = benchmark.comparable_pairs(2021, "2017", "2023", data["survey_periods"])
    assert pairs == [("2017", "2019"), ("2021", "2023")]


def test_crime_series_without_gaps(engine):
    series = agenda.queries.series(engine, "misdrijven_totaal_per1000", ["GM0164"])
    assert list(series["period"]) == [str(y) for y in range(2010, 2025)]
    cleared = agenda.queries.series(engine, "misdrijven_opgehelderd_aandeel", ["GM0164"])
    assert len(cleared) == 15


def test_buurt_crime_2018_per_type(engine):
    values = agenda.queries.group_values(
        engine, ["mwb_totaal", "mwb_totaal_per1000", "mwb_fiets"], ["BU01640000"], ["2018"]
    ).set_index("indicator_id")
    # Binnenstad-Centrum in 84468NED: 767 registrations, 880 inwoners, 872 per 1.000.
    assert values.loc["mwb_totaal", "value"] == 767
    assert values.loc["mwb_totaal_per1000", "value"] == 872
    assert values.loc["mwb_totaal_per1000", "denominator"] == 880
    assert values.loc["mwb_fiets", "value"] == 391


def test_two_sources_of_one_figure_show_as_a_conflict(engine):
    conf = agenda.queries.conflicts(engine, "GM0164")
    crime = conf[(conf["name"] == "Geregistreerde misdrijven, totaal") & (conf["period"] == "2023")]
    assert sorted(crime["value"]) == [3671, 3695]
    assert set(crime["variant"]) == {"", "politie, som van de buurtcijfers"}

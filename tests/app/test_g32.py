"""The G32 page under AppTest, and the survey path end to end with synthetic numbers."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.importer import import_file
from tests.conftest import ROOT, chart_alt, charts, components, tables

APP = str(ROOT / "app.py")


@pytest.fixture
def app(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.engine = engine
    return at


def open_g32(at, **params):
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/g32.py").run()
    assert not at.exception, at.exception
    # The footprint is a wrapping table of escaped markdown; figures keep together with
    # non-breaking spaces. Read it as the user does.
    table = tables(at)[0].map(shown_text)
    table.columns = [shown_text(c) for c in table.columns]
    return table


def shown_text(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "").replace("\u00a0", " ")


def test_footprint_2013_2017(app):
    table = open_g32(app, vergelijking="g32", basisjaar="2013", jaar="2017")
    row = table[table["Indicator"] == "Geregistreerde misdrijven, totaal, per 1.000 inwoners"]
    assert row.iloc[0]["Hengelo (O.) 2017"] == "50,6"
    assert row.iloc[0]["G32 2017"] == "57,0"  # mean of the 37 other G32 gemeenten
    assert row.iloc[0]["Positie 2017"] == "▲ beter"
    police = table[
        table["Indicator"].str.startswith(
            "Tevreden over het functioneren van de politie in het algemeen"
        )
    ]
    assert police.iloc[0]["Hengelo (O.) 2013"] == "25,5 ± 2,0"
    assert police.iloc[0]["G32 2013"] == "29,4 ± 0,7"  # CBS's own G32 aggregate
    assert police.iloc[0]["Positie 2013"] == "▼ slechter"
    # The survey's figures take part; the victimisation rows say why they are empty.
    leefbaar = table[table["Indicator"] == "Rapportcijfer leefbaarheid woonbuurt"].iloc[0]
    assert (leefbaar["Hengelo (O.) 2017"], leefbaar["G32 2017"]) == ("7,6 ± 0,2", "7,4 ± 0,0")
    victims = table[table["Indicator"].str.startswith("Slachtofferschap")]
    assert len(victims) == 4
    assert set(victims["Toelichting"]) == {"CBS publiceerde dit niet per gemeente vóór 2021"}
    verdicts = table[["Positie 2017"]].iloc[:, 0]
    with_data = table[table["Hengelo (O.) 2017"] != "–"]
    assert all(
        v.split()[1] in {"beter", "gelijk", "slechter", "geen"} for v in with_data["Positie 2017"]
    )
    assert len(verdicts) == len(table)
    sentences = " ".join(m.value for m in app.markdown)
    assert "significant beter dan het G32\\-gemiddelde" in sentences


def test_other_groups_and_years(app):
    table = open_g32(app, vergelijking="twente", basisjaar="2012", jaar="2024")
    assert "Twente 2024" in table.columns
    table = open_g32(app, vergelijking="bestaat_niet", jaar="1900")
    # Invalid values fall back to the defaults: the group CBS publishes for the default years
    # (G40) and the Veiligheidsbeeld's latest year (2023, the Veiligheidsmonitor's).
    assert "G40 2023" in table.columns


def test_default_years_are_those_of_the_veiligheidsbeeld(app):
    """/g32 from the sidebar shows the same two years as the home page links to: the latest
    comparable years of the Veiligheidsmonitor (2021 and 2023), against the group CBS
    publishes for them (the G40)."""
    table = open_g32(app)
    assert {"Positie 2021", "Positie 2023", "G40 2023"} <= set(table.columns)


def test_imported_survey_takes_part(app, tmp_path):
    """Clearly synthetic figures, only in tests: a gemeente imports its own survey results."""
    path = tmp_path / "veiligheidsmonitor_proef.csv"
    path.write_text(
        "indicator;gebied;periode;waarde;marge;toelichting\n"
        "vm_rapportcijfer_leefbaarheid;GM0164;2013;7,4;0,1;SYNTHETISCH\n"
        "vm_rapportcijfer_leefbaarheid;GM0164;2017;7,5;0,1;SYNTHETISCH\n"
        "vm_rapportcijfer_leefbaarheid;G32;2013;7,0;0,05;SYNTHETISCH\n"
        "vm_rapportcijfer_leefbaarheid;G32;2017;7,4;0,05;SYNTHETISCH\n",
        encoding="utf-8",
    )
    import_file(app.engine, path)
    table = open_g32(app, vergelijking="g32", basisjaar="2013", jaar="2017")
    row = table[table["Indicator"] == "Rapportcijfer leefbaarheid woonbuurt"].iloc[0]
    assert row["Positie 2013"] == "▲ beter"  # 0,4 > sqrt(0,1² + 0,05²)
    assert row["Positie 2017"] == "● gelijk"  # 0,1 within the margins
    assert row["Ontwikkeling 2013–2017"] == "▼ slechter"  # +0,1 against +0,4


def test_charts_have_a_sentence_and_a_table(app):
    """Ranking and trend: a Dutch sentence (also the chart's alt text) and a table with the
    same numbers; the place in the sentence is the footprint's place."""
    table = open_g32(
        app,
        vergelijking="g32",
        basisjaar="2013",
        jaar="2017",
        indicator="misdrijven_totaal_per1000",
    )
    row = table[table["Indicator"] == "Geregistreerde misdrijven, totaal, per 1.000 inwoners"]
    place = row.iloc[0]["Plaats 2017"]  # "13 van 38"
    # The four sides of safety come first (tests/app/test_four_sides.py); then ranking, trend.
    drawn = charts(app)
    assert chart_alt(drawn[0]).startswith("Vier grafieken")
    trend = chart_alt(drawn[1])
    bars = next(h.proto.body for h in app.get("html") if 'class="vb-rang"' in h.proto.body)
    ranking = html.unescape(re.search(r'aria-label="([^"]*)"', bars).group(1))
    assert len(re.findall(r'class="vb-r[ "]', bars)) == int(place.split()[-1])  # one per gemeente
    assert 'class="vb-r vb-own" title="Hengelo (O.): 50,6"' in bars
    assert ranking.startswith(f"Hengelo (O.) staat in 2017 op plaats {place} (1 = het gunstigst)")
    assert "met 50,6 per 1.000 inwoners" in ranking
    assert "Het G32-gemiddelde is 57,0; Hengelo (O.) zit eronder." in ranking
    assert trend.startswith("Hengelo (O.): gedaald van") and "G32-gemiddelde" in trend
    texts = " ".join(m.value for m in app.markdown).replace("\\", "")
    assert ranking in texts and trend in texts  # shown, not only read out
    assert [e.label for e in app.expander].count("Tabel bij deze grafiek") == 3
    # Each table is built only when opened: open the ranking's and the trend's.
    assert not app.dataframe
    app.session_state["rangorde-tabel"] = app.session_state["verloop-tabel"] = True
    app.run()
    ranks = app.dataframe[0].value
    own = ranks[ranks["Gemeente"] == "Hengelo (O.)"].iloc[0]
    assert f"{own['Plaats']} van {len(ranks)}" == place
    assert own["Waarde (per 1.000 inwoners)"] == "50,6"
    years = app.dataframe[1].value
    assert years.loc[years["Jaar"] == "2017", "Hengelo (O.)"].iloc[0] == "50,6"
    assert years.loc[years["Jaar"] == "2017", "G32: gemiddelde"].iloc[0] == "57,0"
    captions = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "De bovenste balk is de gunstigste gemeente." in captions
    svg = components(app, "svgkaart")[0]["svg"]
    alt = re.search(r'role="img" aria-label="([^"]*)"', svg).group(1)
    assert alt.startswith("Kaart van de G32. Hengelo (O.) staat in 2017 op plaats")

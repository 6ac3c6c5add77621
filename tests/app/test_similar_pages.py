"""Similar areas under AppTest: the Wijkprofiel of a wijk and of a buurt shows its similar
areas and their figures; the Kaart's option 't.o.v. vergelijkbare gebieden' is in the URL."""

import re

import pytest
from sqlalchemy import delete
from streamlit.testing.v1 import AppTest

from dashboard.store.schema import observation
from tests.conftest import ROOT, components

APP = str(ROOT / "app.py")


@pytest.fixture
def app(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.engine = engine
    return at


def open_page(at, page, **params):
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def frames(at):
    return [df.value for df in at.dataframe]


@pytest.mark.parametrize(
    ("params", "title", "first", "neighbour_prefix"),
    [
        ({"gebied": "WK016400"}, "Vergeleken met vergelijkbare wijken", "WK016400", "WK"),
        ({"gebied": "BU01640000"}, "Vergeleken met vergelijkbare buurten", "BU01640000", "BU0164"),
        (
            {"gebied": "WK015300", "gemeente": "GM0153"},
            "Vergeleken met vergelijkbare wijken",
            "WK015300",
            "WK",
        ),
    ],
)
def test_wijkprofiel_shows_similar_areas_and_their_figures(
    app, params, title, first, neighbour_prefix
):
    at = open_page(app, "pages/wijkprofiel.py", **params)
    assert title in [s.value for s in at.subheader]
    method = " ".join(m.value for m in at.markdown)
    assert "standaardscore" in method and "Hoe kleiner de afstand" in method
    areas = next(df for df in frames(at) if "Afstand" in df.columns)
    assert areas["Code"].iloc[0] == first and len(areas) == 6
    assert all(c.startswith(neighbour_prefix) for c in areas["Code"])
    figures = next(
        df for df in frames(at) if any(c.startswith("Gemiddelde vergelijkbare") for c in df.columns)
    )
    assert {"Indicator", "Periode", "Bron", "Gebieden met cijfer"} <= set(figures.columns)
    assert "Aantal inwoners" in set(figures["Indicator"])
    assert any("kenmerken" in c.value and "85984NED" in c.value for c in at.caption)
    if first.startswith("BU"):
        assert "Voor buurten zijn alleen" in method


def test_the_scope_can_be_the_gemeente(app):
    at = open_page(app, "pages/wijkprofiel.py", gebied="WK016400")
    radio = next(r for r in at.radio if r.label == "Vergelijkbare gebieden zoeken in")
    assert radio.value == "twente"
    radio.set_value("gemeente").run()
    assert not at.exception
    areas = next(df for df in frames(at) if "Afstand" in df.columns)
    assert all(c.startswith("WK0164") for c in areas["Code"])


def test_wijkprofiel_without_characteristics_says_so_in_dutch(app):
    with app.engine.begin() as conn:
        conn.execute(delete(observation).where(observation.c.area_code.like("WK0153%")))
    at = open_page(app, "pages/wijkprofiel.py", gebied="WK015300", gemeente="GM0153")
    assert any("te weinig CBS" in i.value and "kenmerken" in i.value for i in at.info)


def test_kaart_option_against_similar_areas(app):
    at = open_page(app, "pages/kaart.py", indicator="inwoners", jaar="2024")
    toggle = next(t for t in at.toggle if t.label == "t.o.v. vergelijkbare gebieden")
    assert not toggle.value and "vergelijking" not in at.query_params
    toggle.set_value(True).run()
    assert not at.exception
    assert at.query_params["vergelijking"] in ("vergelijkbaar", ["vergelijkbaar"])
    assert any(c.value.startswith("Kleur: het verschil") for c in at.caption)
    svg = components(at, "svgkaart")[0]["svg"]
    tips = re.findall(r'data-code="([^"]*)".*?<title>(.*?)</title>', svg, re.S)
    assert len({code for code, _ in tips}) == 10
    assert any("vergelijkbare" in tip for _, tip in tips)


def test_kaart_opens_the_option_from_the_url(app):
    at = open_page(app, "pages/kaart.py", vergelijking="vergelijkbaar", niveau="buurt")
    toggle = next(t for t in at.toggle if t.label == "t.o.v. vergelijkbare gebieden")
    assert toggle.value
    assert "verschil met vergelijkbare" in " ".join(m.value for m in at.markdown)

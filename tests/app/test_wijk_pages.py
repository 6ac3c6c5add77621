"""Kaart and Wijkprofiel under AppTest: the must-show figures and escaping."""

import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.importer import import_file
from tests.conftest import ROOT, buurt_geojson, chart_alt, components

APP = str(ROOT / "app.py")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def app(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.engine = engine
    return at


def open_page(at, page, **params):
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def kaart_svg(at) -> str:
    maps = components(at, "svgkaart")
    assert maps, "no map"
    return maps[0]["svg"]


def map_paths(svg: str) -> dict[str, dict]:
    """Each area of the SVG map by code: its attributes, and `tip`, the lines of its tooltip
    (name and code, value, period and source)."""
    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for el in ET.fromstring(svg).iter(f"{ns}path"):
        if el.get("class") == "gebied":
            out[el.get("data-code")] = {**el.attrib, "tip": el.find(f"{ns}title").text.split("\n")}
    return out


def map_areas(svg: str) -> dict[str, list[str]]:
    return {code: attrs["tip"] for code, attrs in map_paths(svg).items()}


@pytest.mark.parametrize(("niveau", "n"), [("wijk", 10), ("buurt", 62)])
def test_kaart_draws_every_area_with_legend(app, niveau, n):
    at = open_page(app, "pages/kaart.py", niveau=niveau)
    assert len(map_areas(kaart_svg(at))) == n
    legend = " ".join(m.value for m in at.markdown)
    assert "Legenda" in legend and "of meer" in legend
    assert any(c.value.startswith("Bron:") for c in at.caption)


def test_kaart_url_selects_indicator_and_year(app):
    at = open_page(
        app, "pages/kaart.py", niveau="buurt", indicator="lbm_overlast_onveiligheid", jaar="2014"
    )
    assert at.selectbox[0].value == "lbm_overlast_onveiligheid"
    assert at.selectbox[1].value == "2014"
    tips = map_areas(kaart_svg(at))
    assert tips["BU01640706"][1] == "geen gegevens"  # absent in the Leefbaarometer source


def test_kaart_business_park_not_applicable(app):
    at = open_page(app, "pages/kaart.py", niveau="buurt")
    paths = map_paths(kaart_svg(at))
    small = [c for c, p in paths.items() if p["tip"][1].startswith("n.v.t.")]
    assert small, "buurten with fewer than 200 inhabitants are shown as n.v.t."
    assert {(paths[c]["fill"], paths[c]["fill-opacity"]) for c in small} == {
        ("rgb(255,255,255)", "0.922")  # deck colour [255, 255, 255, 235]
    }


def test_profile_binnenstad_centrum(app):
    at = open_page(app, "pages/wijkprofiel.py", gebied="BU01640000")
    assert "Binnenstad-Centrum" in at.title[0].value.replace("\\", "")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Geregistreerde misdrijven, 2023"] == "717"
    assert metrics["Misdrijven per 1.000 inwoners, 2023"] == "612,8"
    table = at.dataframe[0].value
    row = table[table["Indicator"] == "Geregistreerde misdrijven, totaal, per 1.000 inwoners"]
    assert row.iloc[0]["Waarde"] == "612,8 per 1.000 inwoners"
    assert row.iloc[0]["Hengelo (O.)"] == "44,1 per 1.000 inwoners"


def test_profile_wijk_lists_its_buurten(app):
    at = open_page(app, "pages/wijkprofiel.py", gebied="WK016400")
    buurten = at.dataframe[1].value
    assert set(buurten["Code"]) == {"BU01640000", "BU01640001", "BU01640002"}
    assert "Binnenstad-Centrum" in set(buurten["Buurt"])


def test_profile_unknown_area_says_so(app):
    at = open_page(app, "pages/wijkprofiel.py", gebied="BU99999999")
    assert any("bestaat niet" in i.value for i in at.info)


def test_html_in_area_name_stays_text(app, tmp_path):
    path = buurt_geojson(tmp_path / "buurt_2024.geojson", "BU01640099", HOSTILE)
    import_file(app.engine, path)
    at = open_page(app, "pages/kaart.py", niveau="buurt")
    svg = kaart_svg(at)
    # Escaped once as the SVG is written: parsed, the name is the text as it came.
    assert map_areas(svg)["BU01640099"][0] == f"{HOSTILE} (BU01640099)"
    assert "<img" not in svg
    at = open_page(app, "pages/wijkprofiel.py", gebied="BU01640099")
    assert "&lt;img" in at.title[0].value  # markdown shows it as text


def test_profile_lists_actions_tagged_to_its_wijk(app):
    """'Where we act' next to 'where it hurts': an update tagged to a wijk shows in its
    profile and in the profiles of its buurten; action text with HTML stays text."""
    from datetime import date

    from dashboard.store import plans

    plans.register_update(
        app.engine,
        plan_id="ivb-hengelo-2024-2026",
        action_code="T1.D1.X1",
        status="loopt",
        owner="<b>Wijkteam</b> Binnenstad",
        note="Gestart met de buurtaanpak <script>x</script>",
        user="redacteur-test",
        role="redacteur",
        update_date=date(2026, 11, 1),
        wijken=["WK016400"],
        gemeente="GM0164",
        today=date(2026, 11, 23),
    )
    for gebied in ("WK016400", "BU01640000"):
        at = open_page(app, "pages/wijkprofiel.py", gebied=gebied)
        acties = at.dataframe[-1].value
        assert list(acties["Status"]) == ["loopt"]
        assert acties.iloc[0]["Eigenaar of partner"] == "<b>Wijkteam</b> Binnenstad"
        assert acties.iloc[0]["Laatste update"] == "1 november 2026"
    at = open_page(app, "pages/wijkprofiel.py", gebied="WK016401")
    assert any("Nog geen acties" in c.value for c in at.caption)


def test_kaart_explains_itself(app):
    """How to read the map (B1), and what it shows as a sentence that is also its alt text."""
    at = open_page(app, "pages/kaart.py", niveau="wijk")
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert (
        "Hoe donkerder de wijk, hoe meer misdrijven per 1.000 inwoners (donker is ongunstig). "
        "Klik op een wijk voor alle cijfers van die wijk."
    ) in captions
    summary = chart_alt(kaart_svg(at))
    assert summary.startswith("Kaart van 10 wijken van Hengelo (O.)")
    assert "Het hoogst: Wijk 00 Binnenstad (286,7 per 1.000 inwoners)." in summary
    assert "Hengelo (O.) als geheel: 44,1 per 1.000 inwoners." in summary
    assert summary in captions
    assert "Tabel bij deze kaart" in [e.label for e in at.expander]


def test_profile_sparkline_in_words(app):
    at = open_page(app, "pages/wijkprofiel.py", gebied="WK016400")
    table = at.dataframe[0].value
    columns = table.columns.tolist()
    assert columns.index("Verloop in woorden") == columns.index("Verloop") + 1
    words = dict(zip(table["Indicator"], table["Verloop in woorden"], strict=True))
    assert words["Leefbaarometer-score"] == "gestegen van 4,12 in 2002 naar 4,22 in 2024"
    assert words["Aantal inwoners"] == "alleen 2024"
    assert at.get("deck_gl_json_chart")[0].proto.alt == (
        "Kaartje van de wijken van Hengelo (O.); Wijk 00 Binnenstad is blauw gekleurd."
    )
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Op het kaartje is Wijk 00 Binnenstad blauw." in captions
    assert "Het lijntje bij Verloop toont alle jaren" in captions

"""Every page works for every gemeente in the database, and one deployment serves several
(issue 13, parts 1 and 4): the 14 Twente gemeenten, a real gemeente with nothing but its
border (Harenkarspel) and one with nothing but its name; `?gemeente=` opens another gemeente,
a page switch keeps it, the sidebar chooses it, `GEMEENTEN` limits it."""

from __future__ import annotations

import csv
import json
import re

import pytest
import streamlit as st
from sqlalchemy import delete, insert
from streamlit.testing.v1 import AppTest

from dashboard.store.schema import area, make_engine, observation
from dashboard.views import briefing
from tests.conftest import ROOT, copy_db, pg_drop

APP = str(ROOT / "app.py")
PAGES = [
    "pages/veiligheidsbeeld.py",
    "pages/kaart.py",
    "pages/wijkprofiel.py",
    "pages/g32.py",
    "pages/themas.py",
    "pages/data.py",
]
with (ROOT / "data" / "referentie" / "vergelijkingsgroepen.csv").open(encoding="utf-8") as fh:
    TWENTE = [r["gemeentecode"] for r in csv.DictReader(fh) if r["groep"] == "twente"]
# Harenkarspel (merged in 2013): a border of 2012; its CBS crime figures of 2010-2012 are
# removed on the module's copy below, so that it has a border and nothing else.
BORDER_ONLY = "GM0395"
NAME_ONLY = "GM9990"  # added below: a name, nothing else
LACKING = {"GM0141": "Almelo", "GM1700": "Twenterand", "GM0183": "Tubbergen"}


@pytest.fixture(scope="module")
def module_db(built_db, tmp_path_factory):
    """One copy for the module (the caches are keyed by its URL, so the pages share them),
    with a gemeente that has only a name."""
    url = copy_db(built_db, tmp_path_factory.mktemp("any-gemeente"))
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            insert(area).values(code=NAME_ONLY, indeling=2024, name="Naamstad", level="gemeente")
        )
        conn.execute(delete(observation).where(observation.c.area_code == BORDER_ONLY))
    engine.dispose()
    yield url
    if not url.startswith("sqlite"):
        pg_drop(url)


@pytest.fixture
def deployment(module_db, monkeypatch):
    """An AppTest for a deployment: `deployment("GM0153")` sets GEMEENTE (and GEMEENTEN)."""

    def make(gemeente: str | None = None, gemeenten: str | None = None) -> AppTest:
        monkeypatch.setenv("DATABASE_URL", module_db)
        for name, value in (("GEMEENTE", gemeente), ("GEMEENTEN", gemeenten)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return AppTest.from_file(APP, default_timeout=90)

    return make


def text(at) -> str:
    """The visible text of the main area (markdown escapes removed)."""
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "warning")
        for e in getattr(at, kind)
    ]
    parts += [m.label for m in at.metric]
    return " ".join(str(p) for p in parts).replace("\\", "").replace("&amp;", "&")


def visit(at, page: str, **params) -> AppTest:
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, f"{page}: {at.exception}"
    assert not at.error, f"{page}: {[e.value for e in at.error]}"
    assert at.title, f"{page}: no title"
    return at


@pytest.mark.parametrize("gemeente", [*TWENTE, BORDER_ONLY, NAME_ONLY])
def test_every_page_draws_for_every_gemeente(deployment, gemeente):
    assert len(TWENTE) == 14
    at = deployment(gemeente).run()
    assert not at.exception, at.exception
    for page in PAGES:
        visit(at, page)


@pytest.mark.parametrize("gemeente", ["GM0153", BORDER_ONLY, NAME_ONLY])
def test_every_slide_draws_for_every_kind_of_gemeente(deployment, gemeente):
    for page in PAGES:  # a new session per slide, as a projector opens a link
        at = deployment(gemeente)
        at.query_params["modus"] = "presentatie"
        at.run()
        visit(at, page, modus="presentatie")
        assert any(c.value.startswith("Bron:") for c in at.caption), page


def test_enschede_veiligheidsbeeld_names_enschede_and_draws_its_wijk_map(deployment):
    at = deployment("GM0153").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Veiligheidsbeeld Enschede"
    maps = at.get("bidi_component")
    assert maps, "no wijk map"
    svg = json.loads(maps[0].proto.json)["svg"]
    assert set(re.findall(r'data-code="([^"]+)"', svg)) == {f"WK01530{i}" for i in range(10)}
    page = text(at)
    # Enschede has no crime per wijk: the map shows what it has and names what is missing.
    assert "Bevolkingsdichtheid per wijk, 2024" in page
    assert "Misdrijven per wijk of buurt van Enschede zijn nog niet ingelezen" in page
    assert "47018NED" in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Misdrijven per 1.000 inwoners, 2024"]
    assert metrics["Wijken"] == "10"  # no buurten: no "10 en 0"


def test_enschede_wijkprofiel_of_wk015300_is_binnensingelgebied(deployment):
    at = deployment("GM0153").run()
    visit(at, "pages/wijkprofiel.py", gebied="WK015300")
    assert "Binnensingelgebied" in at.title[0].value
    assert at.get("deck_gl_json_chart"), "locator map"
    # Enschede's buurten are not loaded: the section says so instead of an empty table.
    captions = " ".join(c.value for c in at.caption)
    assert "nog geen buurten ingelezen" in captions.replace("\\", "")


@pytest.mark.parametrize("gemeente", list(LACKING))
def test_smaller_gemeenten_say_what_they_lack(deployment, gemeente):
    at = deployment(gemeente).run()
    name = LACKING[gemeente]
    assert at.title[0].value == f"Veiligheidsbeeld {name}"
    assert f"Misdrijven per wijk of buurt van {name} zijn nog niet ingelezen" in text(at)
    visit(at, "pages/kaart.py")
    assert f"Voor de buurten van {name} zijn nog geen cijfers ingelezen" in text(at)
    assert at.radio[0].options == ["Wijken"]


@pytest.mark.parametrize("gemeente", [BORDER_ONLY, NAME_ONLY])
def test_a_gemeente_without_data_names_what_is_missing_and_where_to_get_it(deployment, gemeente):
    at = deployment(gemeente).run()
    page = text(at)
    assert "Nog geen cijfers over geregistreerde misdrijven voor" in page
    assert "Nog geen cijfers per wijk of buurt" in page and "85984NED" in page
    assert "Data & bronnen" in page
    assert {m.label: m.value for m in at.metric}["Wijken en buurten"] == "nog geen"
    visit(at, "pages/kaart.py")
    assert "Nog geen wijken of buurten van" in text(at)
    visit(at, "pages/g32.py")
    assert "als gemeente, dus geen vergelijking met andere gemeenten" in text(at)


@pytest.mark.parametrize("page", ["pages/veiligheidsbeeld.py", "pages/kaart.py"])
def test_url_parameter_opens_another_gemeente_on_a_hengelo_deployment(deployment, page):
    at = deployment()  # GEMEENTE unset: Hengelo
    at.run()
    visit(at, page, gemeente="GM0153")
    assert "Enschede" in at.title[0].value
    assert at.query_params["gemeente"] == "GM0153"


def test_the_gemeente_stays_across_page_switches(deployment):
    at = deployment()
    at.query_params["gemeente"] = "GM0153"
    at.run()
    assert at.title[0].value == "Veiligheidsbeeld Enschede"
    at.query_params.clear()  # a click in the navigation brings no parameters
    visit(at, "pages/kaart.py")
    assert at.title[0].value == "Kaart van Enschede"
    assert at.query_params["gemeente"] == "GM0153"  # and the URL has it again
    visit(at, "pages/g32.py")
    assert at.title[0].value.startswith("Enschede vergeleken met")


def test_unknown_gemeente_gets_a_dutch_warning_and_the_default(deployment):
    at = deployment()
    at.query_params["gemeente"] = "GM9998"
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("Gemeente 'GM9998' is in dit dashboard niet beschikbaar" in w for w in warnings)
    assert at.title[0].value.replace("\\", "") == "Veiligheidsbeeld Hengelo (O.)"
    assert "gemeente" not in at.query_params


def test_the_sidebar_chooser_switches_the_gemeente(deployment):
    at = deployment().run()
    chooser = at.sidebar.selectbox[0]
    assert chooser.label == "Gemeente" and chooser.value == "GM0164"
    chooser.select("GM0153").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Veiligheidsbeeld Enschede"
    assert at.query_params["gemeente"] == "GM0153"
    assert at.sidebar.selectbox[0].value == "GM0153"
    at.sidebar.selectbox[0].select("GM0164").run()  # back to the default: a clean URL
    assert at.title[0].value.replace("\\", "") == "Veiligheidsbeeld Hengelo (O.)"
    assert "gemeente" not in at.query_params


def test_gemeenten_setting_limits_what_the_deployment_offers(deployment):
    at = deployment(gemeenten="GM0164, gm0141, GM9998")  # GM9998: not in the database
    at.query_params["gemeente"] = "GM0153"  # in the database, not offered here
    at.run()
    assert at.title[0].value.replace("\\", "") == "Veiligheidsbeeld Hengelo (O.)"
    assert at.warning, "a notice for the gemeente that is not offered"
    assert at.sidebar.selectbox[0].options == ["Hengelo (O.)", "Almelo"]
    at.query_params["gemeente"] = "GM0141"
    at.run()
    assert at.title[0].value == "Veiligheidsbeeld Almelo"


def test_one_gemeente_offered_shows_no_chooser(deployment):
    at = deployment(gemeenten="GM0164").run()
    assert not at.sidebar.selectbox


def test_presentation_keeps_the_gemeente_from_slide_to_slide(deployment):
    at = deployment()
    at.query_params.update({"modus": "presentatie", "gemeente": "GM0153"})
    at.run()
    assert at.title[0].value == "Veiligheidsbeeld Enschede"
    at.button(key="presentatie-Right").click().run()
    assert not at.exception, at.exception
    assert "(WK0153" in at.title[0].value  # the wijk slide is one of Enschede's wijken
    assert at.query_params["gemeente"] == "GM0153"


def test_briefing_download_is_for_the_gemeente_in_view(deployment, monkeypatch):
    """The sidebar's PDF is made for the gemeente in view (its file name and its text)."""
    made = []
    original = st.download_button

    def spy(label, data, **kwargs):
        made.append((kwargs["file_name"], data))
        return original(label, data, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = deployment()
    at.query_params["gemeente"] = "GM0153"
    at.run()
    assert not at.exception, at.exception
    name, data = next((n, d) for n, d in made if n.endswith(".pdf"))
    assert name.startswith("briefing-GM0153-")
    text = " ".join(briefing.pdf_text(data()).split())
    assert "Veiligheidsbeeld Enschede" in text and "Hengelo" not in text.split("Bronnen:")[0]

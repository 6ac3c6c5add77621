"""Every registered page runs under AppTest without exception; roles gate the upload form."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain import auth
from tests.conftest import ROOT, tables

APP = str(ROOT / "app.py")
PAGES = re.findall(r'st\.Page\(\s*"([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


@pytest.fixture
def app(db, monkeypatch):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    return at


def test_pages_are_registered():
    assert "pages/data.py" in PAGES and len(PAGES) >= 2


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title, "page has a title"


def test_home_shows_headline_figures(app):
    app.run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Misdrijven per 1.000 inwoners, 2024"] == "45,1"
    assert metrics["Wijken en buurten"] == "10 en 62"
    assert metrics["Acties met geregistreerde voortgang"] == "0 van 63"
    assert app.get("bidi_component"), "the wijk map"
    found = tables(app)  # tables that wrap: every column in view
    assert {"Indicator", "Positie", "Ontwikkeling"} in [set(t.columns) for t in found]
    assert any(c.value.startswith("Bron:") for c in app.caption)


def test_home_focuses_on_a_chosen_wijk(app):
    app.run()
    app.query_params["gebied"] = "WK016400"
    app.run()
    text = " ".join(m.value for m in [*app.markdown, *app.caption]).replace("\\", "")
    assert "Wijk 00 Binnenstad" in text and "286,7 per 1.000 inwoners" in text


def test_data_page_lists_sources(app):
    app.run()
    app.switch_page("pages/data.py").run()
    text = " ".join(str(df.to_dict()) for df in tables(app))
    for owner in ("CBS (StatLine)", "Politie (data.politie.nl)", "83648NED", "CC BY 4.0"):
        assert owner in text


def test_data_page_shows_both_conflicting_figures_in_dutch(app):
    app.run()
    app.switch_page("pages/data.py")
    app.session_state["data-tab"] = "Tegenstrijdige cijfers"
    app.run()
    assert not app.exception
    conflicts = tables(app)[0]
    violence = conflicts[conflicts["Indicator"] == "Geweldsmisdrijven"]
    assert sorted(violence["Waarde"]) == ["4,7", "4,9"]  # both documents, none picked
    notes = " ".join(conflicts["Opmerking"]).replace("\\", "")
    assert "TEGENSTRIJDIG met de waarde 4,7 uit het andere document" in notes
    assert "CONFLICT" not in notes and " col)" not in " ".join(conflicts["Document"])


def test_viewer_sees_no_upload_form(app):
    app.secrets["users"] = {
        "anna": {"password_hash": auth.hash_password("x", iterations=1000), "role": "beheerder"}
    }
    app.run()
    app.switch_page("pages/data.py").run()
    assert not any(u for u in app.get("file_uploader"))
    assert any("alleen een beheerder" in c.value for c in app.caption)


def test_beheerder_logs_in_and_sees_upload_form(app):
    app.secrets["users"] = {
        "anna": {"password_hash": auth.hash_password("x", iterations=1000), "role": "beheerder"}
    }
    app.run()
    app.sidebar.text_input[0].input("anna")
    app.sidebar.text_input[1].input("x")
    app.sidebar.button[0].click().run()
    assert app.session_state["role"] == "beheerder"
    app.switch_page("pages/data.py").run()
    assert len(app.get("file_uploader")) == 1


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_presentation_mode(app, page):
    """No sidebar content and no widget but the hidden agenda buttons; a title and a source."""
    app.query_params["modus"] = "presentatie"
    app.run()
    app.switch_page(page)
    app.query_params["modus"] = "presentatie"
    app.run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title, "slide has a title"
    assert len(app.sidebar) == 0, "sidebar in presentation mode"
    assert all(b.key.startswith("presentatie-") for b in app.button)
    for kind in ("selectbox", "multiselect", "text_input", "radio", "checkbox", "toggle"):
        assert not getattr(app, kind), f"{kind} in presentation mode"
    assert any(c.value.startswith("Bron:") for c in app.caption)


def test_next_key_button_goes_to_the_next_agenda_step(app):
    app.query_params["modus"] = "presentatie"
    app.run()
    app.button(key="presentatie-Right").click().run()
    assert not app.exception, app.exception
    assert app.title[0].value.endswith(")")  # "Wijk 00 Binnenstad (WK016400)"
    assert "(WK0164" in app.title[0].value


@pytest.mark.parametrize(
    ("page", "params"),
    [(p, {}) for p in PAGES]
    + [("pages/wijkprofiel.py", {"gebied": "WK016400"})]
    + [
        ("pages/data.py", {"data-tab": t}) for t in ("Indicatoren", "Dekking", "Importgeschiedenis")
    ],
)
def test_every_grid_is_offered_as_excel(app, page, params):
    """Every `st.dataframe` (its toolbar downloads CSV) has a "Tabel als Excel" beside it
    (`params`: query parameters, and the tab to open on the Data page)."""
    app.run()
    app.switch_page(page)
    for key, value in params.items():
        if key == "data-tab":
            app.session_state[key] = value
        else:
            app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    buttons = [b for b in app.get("download_button") if b.proto.label == "Tabel als Excel"]
    grids = len(app.dataframe)
    if page == "pages/data.py" and not params:  # Bronnen: a table to read, with its Excel
        assert not grids and tables(app)
        grids = 1
    assert len(buttons) == grids
    assert grids or page != "pages/data.py", "every tab of the Data page has a grid"
    assert all(b.proto.deferred_file_id for b in buttons), "built when pressed, not every run"

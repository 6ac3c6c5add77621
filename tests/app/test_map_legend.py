"""The map legend explains the marks of uncertain areas and the numbers on the map."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app(db, monkeypatch):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    return AppTest.from_file(APP, default_timeout=60)


def legend_text(app) -> str:
    return " ".join([m.value for m in app.markdown] + [h.proto.body for h in app.get("html")])


def test_kaart_legend_explains_the_hatching(app):
    app.query_params["niveau"] = "buurt"
    app.run()
    app.switch_page("pages/kaart.py").run()
    assert not app.exception
    text = legend_text(app)
    assert "gearceerd: onzeker (minder dan 10 gebeurtenissen)" in text
    assert "kruislings gearceerd: n.v.t. (minder dan 200 inwoners)" in text


def test_veiligheidsbeeld_legend_and_key(app):
    app.run()
    assert not app.exception
    text = legend_text(app)
    assert "minder dan 27,0" in text and "61,0 of meer" in text  # the colours, in Dutch
    # The wijken whose name does not fit at the 1920x1080 size are numbered, with a key.
    key = text.split("Nummers op de kaart:</b> ", 1)[1].split("</span>", 1)[0]
    assert key.startswith("1 ") and "Groot Driene" in key
    assert "gearceerd" not in text  # no wijk is uncertain: no mark to explain

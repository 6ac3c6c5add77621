"""Opvallend under AppTest: the Veiligheidsbeeld shows the gemeente's own signals with their
test (Hengelo and Enschede), the Wijkprofiel of a wijk and of a buurt its section, and names
from data files stay text."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.unit.test_signals import import_months

APP = str(ROOT / "app.py")
HOSTILE = "<img src=x onerror=alert(1)> **vet**"


@pytest.fixture
def app(db, monkeypatch):
    def make(gemeente: str = "GM0164") -> AppTest:
        engine, _, url = db
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("GEMEENTE", gemeente)
        at = AppTest.from_file(APP, default_timeout=90)
        at.engine = engine
        return at

    return make


def visit(at, page: str, **params) -> AppTest:
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def popovers(at) -> list[str]:
    return [p.proto.popover.label for p in at.get("popover")]


@pytest.mark.parametrize("gemeente", ["GM0164", "GM0153"])
def test_veiligheidsbeeld_shows_the_gemeentes_own_signals(app, gemeente):
    at = visit(app(gemeente), "pages/veiligheidsbeeld.py")
    assert any(label.startswith("Opvallend (") for label in popovers(at)), popovers(at)
    lines = [c.value for c in at.caption if "p na correctie" in c.value]
    assert 1 <= len(lines) <= 2
    assert all("2024" in line and "toets" in line for line in lines)
    # Behind the button: the rule in plain Dutch and every signal with its test.
    assert any("Benjamini-Hochberg" in m.value.replace("\\", "") for m in at.markdown)
    every = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert every and every[0].count("p na correctie") >= len(lines)


def test_wijkprofiel_of_a_wijk_without_series_says_why(app):
    at = visit(app(), "pages/wijkprofiel.py", gebied="WK016400")
    assert "Opvallend in Wijk 00 Binnenstad" in [s.value for s in at.subheader]
    assert any(i.value.startswith("Geen opvallende veranderingen") for i in at.info)


def test_wijkprofiel_of_a_buurt_shows_its_signals_as_text(app, db, tmp_path):
    engine, _, _ = db
    import_months(engine, tmp_path, {"BU01640000": (9, 8, 30)}, name=HOSTILE)
    at = visit(app(), "pages/wijkprofiel.py", gebied="BU01640000")
    heads = [s.value for s in at.subheader]
    assert any(h.startswith("Opvallend in ") for h in heads), heads
    signals = [m.value for m in at.markdown if "p na correctie" in m.value]
    assert signals, [m.value for m in at.markdown]
    plain = signals[0].replace("\\", "")
    assert "maart 2024" in plain and "hoger (ongunstig)" in plain
    assert "<img" not in signals[0] and "\\*\\*vet\\*\\*" in signals[0]  # text, not markup

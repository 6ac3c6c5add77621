"""The section "Vier kanten van veiligheid" on the G32 page under AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_g32 import shown_text
from tests.conftest import ROOT, chart_alt, charts, tables

APP = str(ROOT / "app.py")


@pytest.fixture
def app(db, monkeypatch):
    _engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    return AppTest.from_file(APP, default_timeout=120)


def open_g32(at, **params):
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/g32.py").run()
    assert not at.exception, at.exception
    return at


def sides_table(at):
    table = next(t for t in tables(at) if "Kant" in [shown_text(c) for c in t.columns])
    table = table.map(shown_text)
    table.columns = [shown_text(c) for c in table.columns]
    return table


@pytest.mark.parametrize(
    ("params", "sentence", "rows"),
    [
        (
            {"vergelijking": "g40", "basisjaar": "2021", "jaar": "2023"},
            "In 2023 registreert de politie in Hengelo (O.) minder misdrijven per 1.000 inwoners "
            "dan gemiddeld in de G40-gemeenten (44,9 tegen 53,7), maar inwoners worden niet "
            "minder vaak slachtoffer",
            {"Geregistreerde misdrijven": ("2023", "G40", "▲ beter")},
        ),
        (
            {"vergelijking": "g32", "basisjaar": "2013", "jaar": "2015"},
            "In 2015 registreert de politie in Hengelo (O.) minder misdrijven per 1.000 inwoners "
            "dan gemiddeld in de G32-gemeenten (59,5 tegen 68,7)",
            {
                "Slachtofferschap": ("–", "–", "– geen gegevens"),
                "Zich onveilig voelen": ("2015", "G32", "● gelijk"),
            },
        ),
    ],
)
def test_four_sides_section(app, params, sentence, rows):
    at = open_g32(app, **params)
    assert "Vier kanten van veiligheid" in [h.value for h in at.subheader]
    texts = [shown_text(m.value) for m in at.markdown]
    gap = next(t for t in texts if t.startswith("**In "))
    assert gap.strip("*").startswith(sentence)
    table = sides_table(at).set_index("Kant")
    for kant, (year, group, verdict) in rows.items():
        assert tuple(table.loc[kant, ["Jaar", "Groep", "Positie"]]) == (year, group, verdict)
    assert not any("Poisson-toets" in t for t in texts)  # the method: written when opened
    at.session_state["vier-kanten-uitleg"] = True
    at.run()
    method = " ".join(shown_text(m.value) for m in at.markdown)
    assert "Poisson-toets" in method and "G32 (tot en met 2017) en de G40 (vanaf 2019)" in method
    captions = " ".join(shown_text(c.value) for c in at.caption)
    assert "83648NED (2010–2024)" in captions and "85146NED (2021–2023)" in captions
    four = charts(at)[0]
    assert chart_alt(four).startswith("Vier grafieken naast elkaar")
    assert four.count("<svg") == 4
    assert all(f"<figcaption>{kant}<span>" in four for kant in rows)


def test_the_table_of_all_years_is_built_when_opened(app):
    """Collapsed, the table under the four charts costs nothing; opened, it has every side per
    year and its Excel download."""
    open_g32(app, vergelijking="g32")
    before = len(app.dataframe)
    app.session_state["vier-kanten-tabel"] = True
    app.run()
    assert not app.exception, app.exception
    assert len(app.dataframe) == before + 1
    years = app.dataframe[0].value
    assert "Jaar" in years.columns and len(years) > 5
    buttons = [b.proto.label for b in app.get("download_button")]
    assert buttons.count("Tabel als Excel") == len(app.dataframe)

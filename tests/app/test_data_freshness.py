"""The Data page shows each source's age and marks one older than its expected cycle; after
`ophalen` of a recent month the politie source is current again."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.odata import ophalen
from tests.conftest import ROOT, tables
from tests.unit import odata_feed

APP = str(ROOT / "app.py")


@pytest.fixture
def app(db, monkeypatch):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    return AppTest.from_file(APP, default_timeout=60)


def _sources(app) -> dict[str, dict]:
    app.run()
    app.switch_page("pages/data.py").run()
    assert not app.exception, app.exception
    frame = tables(app)[0]  # the sources: a table to read, not a grid
    return {row["Tabel"] + " " + row["Periode"]: row for row in frame.to_dict("records")}


def test_data_page_shows_age_and_marks_old_sources(app):
    rows = _sources(app)
    politie = rows["47018NED 2023"]
    assert politie["Ouderdom"].startswith("nieuwste periode 2023: ")
    assert politie["Verwachte cyclus"] == "elke maand"
    assert politie["Actueel?"] == "verouderd"
    assert rows["85146NED 2021–2023"]["Verwachte cyclus"] == "elke twee jaar"
    assert rows["Integraal veiligheidsbeleid Hengelo 2024-2026 "]["Actueel?"] == "–"
    captions = " ".join(c.value for c in app.caption)
    assert "Ouderdom: vanaf het einde van de nieuwste periode" in captions


def test_a_fresh_fetch_makes_the_source_current(app, db, monkeypatch):
    engine, _, _ = db
    today = date.today()
    last = date.fromordinal(today.replace(day=1).toordinal() - 1)  # last month
    table = odata_feed.politie_47018()
    for row in table.rows:
        row["Perioden"] = f"{last.year}MM{last.month:02d}"
    with odata_feed.Feed({"47018NED": table}, page=20) as feed:
        monkeypatch.setenv("POLITIE_ODATA_URL", feed.url)
        ophalen(engine, "47018NED", "GM0164")
    rows = _sources(app)
    politie = next(r for k, r in rows.items() if k.startswith("47018NED"))
    assert politie["Periode"] == f"2023–{last.year}-{last.month:02d}"
    assert politie["Actueel?"] == "actueel"

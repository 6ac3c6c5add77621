"""The four sides of safety in the G32 view and in its page of the briefing PDF."""

import dataclasses
import shutil
import subprocess
from datetime import datetime

import pytest

from dashboard.views import agenda, briefing, four_sides

GM = "GM0164"
DAY = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def g32(built_db):
    from dashboard.store.schema import make_engine

    engine = make_engine(built_db)
    view = agenda.g32(engine, GM, "2017", "2024")
    pdf = briefing.briefing_pdf(engine, GM, ["g32"], created=DAY)
    yield engine, view, pdf
    engine.dispose()


def test_g32_view_has_the_four_sides_after_the_footprint(g32):
    _engine, view, _pdf = g32
    assert [t.key for t in view.tables] == ["footprint", "kanten"]
    table = view.table("kanten")
    assert list(table.frame["Kant"]) == [s.spec.title for s in view.sides.sides]
    # Each side in its own latest year: the police to 2024, the survey to 2023.
    assert list(table.frame["Jaar"]) == ["2024", "2023", "2023", "2023"]
    # 2024 is compared with the G40 (CBS publishes no G32 after 2017), crime and survey alike.
    assert list(table.frame["Groep"]) == ["G40", "G40", "G40", "G40"]
    assert table.note == view.sides.sentence
    assert table.note.startswith("In 2024 registreert de politie in Hengelo (O.) minder")
    assert "maar in 2023" in table.note
    assert any(s.startswith(four_sides.TITLE) and "85146NED (2021–2023)" in s for s in view.sources)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils ontbreekt")
def test_pdf_shows_the_four_sides_and_the_sentence(g32, tmp_path):
    engine, _view, pdf = g32
    view = agenda.g32(engine, GM, *agenda.footprint_years(engine, GM))  # the briefing's years
    path = tmp_path / "g32.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    text = " ".join(out.stdout.split())
    # The briefing's G32 step takes the default years: the survey's latest pair, 2021-2023.
    assert "Vier kanten van veiligheid, t/m 2023" in text
    for title in ("Geregistreerde misdrijven", "Slachtofferschap", "Overlast in de buurt"):
        assert title in text
    assert "Zich onveilig voelen" in text and "20,3 (16,1–25,4)" in text
    assert " ".join(view.sides.sentence.split()) in text


def test_sides_figure_is_an_image_without_mathtext(g32):
    _engine, view, _pdf = g32
    hostile = dataclasses.replace(view.sides, city="Hengelo $x^2$")  # a dollar, not a formula
    png, ratio = briefing.sides_png(hostile)
    assert png.startswith(b"\x89PNG") and 0.2 < ratio < 0.4

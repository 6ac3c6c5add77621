"""The briefing: the agenda's views from the database, the PDF (real text, sources, data
release, one page for the Veiligheidsbeeld), PNG per page, untrusted text kept as text."""

import re
import shutil
import subprocess
from datetime import datetime

import pandas as pd
import pytest

from dashboard.store import queries
from dashboard.views import agenda, briefing
from dashboard.web import presentation

GM = "GM0164"
DAY = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def brief(built_db):
    from dashboard.store.schema import make_engine

    engine = make_engine(built_db)
    views = agenda.build_views(engine, GM)
    pdf = briefing.briefing_pdf(engine, GM, created=DAY)
    yield engine, views, pdf
    engine.dispose()


def test_agenda_has_the_four_views_with_sources(brief):
    _engine, views, _pdf = brief
    assert [v.key for v in views] == list(agenda.STEPS)
    for view in views:
        assert view.sources, f"{view.key}: no source"
        assert view.explanation
    beeld = views[0]
    assert beeld.map is not None and len(beeld.map.fills) == 10  # Hengelo's ten wijken
    assert [t.key for t in beeld.tables] == ["kaart", "footprint", "themas"]


def test_headline_metric_is_the_latest_registered_crime_rate(brief):
    engine, views, _pdf = brief
    indicator_id, own = agenda.headline_series(engine, GM)
    assert indicator_id == "misdrijven_totaal_per1000"  # CBS 83648NED, 2010-2024
    last = own.sort_values("period").iloc[-1]
    metric = views[0].metrics[0]
    assert last["period"] in metric.label
    assert metric.value == f"{last['value']:.1f}".replace(".", ",")


def test_default_wijk_has_the_highest_rate(brief):
    engine, views, _pdf = brief
    year = views[0].map.period
    assert views[0].map.indicator == "geregistreerde_misdrijven_per1000"
    values = queries.level_values(engine, views[0].map.indicator, year, "wijk", GM)
    top = values.sort_values("value").iloc[-1]["area_code"]
    assert agenda.default_wijk(engine, GM) == top
    assert views[1].params == {"gebied": top}


def test_pdf_text_has_views_figures_sentences_sources_and_release(brief):
    engine, views, pdf = brief
    assert pdf.startswith(b"%PDF-")
    text = " ".join(briefing.pdf_text(pdf).split())
    assert "Veiligheidsbeeld" in text and "23 november 2026" in text
    assert views[0].metrics[0].value in text
    assert "Bronnen:" in text
    assert agenda.release_text(engine) in text
    g32 = next(v for v in views if v.key == "g32")
    assert g32.sentences and " ".join(g32.sentences[0].split()) in text
    assert "scoort in" in text or "verschilt in" in text


def test_veiligheidsbeeld_fits_one_page(brief):
    engine, _views, _pdf = brief
    pdf = briefing.briefing_pdf(engine, GM, ["beeld"], created=DAY)
    pngs = briefing.page_pngs(pdf, scale=0.5)
    # The Veiligheidsbeeld on one page, then its section 'Opvallend' on the next.
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    first, second = (page.get_textpage().get_text_range() for page in doc)
    doc.close()
    assert "Bronnen:" in first and "Datastand" in first and "pagina 1" in first
    assert "Opvallend" in second and "pagina 2" in second


def test_png_per_page(brief):
    _engine, _views, pdf = brief
    pngs = briefing.page_pngs(pdf, scale=0.4)
    pages = len(re.findall(r"pagina \d+\b", briefing.pdf_text(pdf)))
    assert len(pngs) == pages >= len(agenda.STEPS)
    assert all(p.startswith(b"\x89PNG") for p in pngs)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils ontbreekt")
def test_pdftotext_reads_the_briefing(brief, tmp_path):
    _engine, _views, pdf = brief
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    assert "Veiligheidsbeeld" in out.stdout and "Datastand: release" in out.stdout


def test_untrusted_text_stays_text():
    hostile = '<font color="red">X</font> & <b>vet</b> <img src="http://example.org/x.png"/>'
    view = agenda.View(
        key="g32",
        title=hostile,
        explanation=hostile,
        page="g32",
        params={},
        metrics=[agenda.Metric(hostile, "1.234", hostile)],
        tables=[agenda.Table(hostile, pd.DataFrame({hostile: [hostile, "▲ beter"]}))],
        sentences=[hostile],
        sources=[hostile],
    )
    pdf = briefing.render_pdf([view], {}, {}, hostile, hostile, DAY)
    text = " ".join(briefing.pdf_text(pdf).split())
    assert text.count('<font color="red">X</font> & <b>vet</b>') >= 5
    assert '<img src="http://example.org/x.png"/>' in text  # shown, never fetched


def test_step_target_walks_the_agenda_and_stops_at_the_ends():
    assert presentation.step_target("", "next") == "wijkprofiel"
    assert presentation.step_target("wijkprofiel", "next") == "g32"
    assert presentation.step_target("themas", "next") == "themas"
    assert presentation.step_target("", "prev") == ""
    assert presentation.step_target("g32", "prev") == "wijkprofiel"
    assert presentation.step_target("kaart", "next") == ""  # a page outside the agenda
    assert presentation.step_target("g32", "first") == ""
    assert presentation.step_target("", "last") == "themas"


def test_link_params_switch_the_mode_and_keep_the_selection():
    params = {"gebied": "WK016403", "modus": "presentatie", "jaar": "2017"}
    assert presentation.link_params(params, False) == {"gebied": "WK016403", "jaar": "2017"}
    assert presentation.link_params({"gebied": "WK016403"}, True) == {
        "gebied": "WK016403",
        "modus": "presentatie",
    }

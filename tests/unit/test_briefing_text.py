"""Text from data in the briefing's drawings. Apart from test_export.py, whose module fixture
keeps a connection to the template database (PostgreSQL cannot copy a template in use)."""

from datetime import datetime

from dashboard.views import briefing

GM = "GM0164"
DAY = datetime(2026, 11, 23, 9, 30)


def test_mathtext_in_a_wijk_name_stays_text(db):
    """A '$' in a name is no Matplotlib mathtext: the map labels draw and the PDF is made."""
    from sqlalchemy import update

    from dashboard.store.schema import area

    engine, _path, _url = db
    name = r"Wijk $\frac{1}{$ 00"
    with engine.begin() as conn:
        conn.execute(update(area).where(area.c.code == "WK016400").values(name=name))
    pdf = briefing.briefing_pdf(engine, GM, ["beeld"], created=DAY)
    assert pdf.startswith(b"%PDF")
    assert r"$\frac{1}{$ 00" in " ".join(briefing.pdf_text(pdf).split())

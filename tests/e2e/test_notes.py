"""Notes on the figures in headless Chromium: a signed-in wijkregisseur adds a note with
hostile text on the Wijkprofiel; it shows as text in the list and on the trend (hover), is in
the briefing PDF, survives a restart; a viewer sees it without the form; nothing is fetched
from elsewhere and no script runs."""

import shutil
import subprocess

import pytest

from dashboard.store import notes
from dashboard.store.schema import make_engine
from tests.conftest import ROOT, copy_db
from tests.e2e.conftest import PASSWORD, USER, check_page, settle, start_server, stop_server

pytestmark = pytest.mark.e2e
GM, WIJK = "GM0164", "WK016400"
HOSTILE = "<script>alert(1)</script> ![x](http://example.org/x.png) camera's sinds 2024"
SHOTS = ROOT / "tests" / "e2e" / "screenshots"


def new_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    pg = context.new_page()
    pg.hosts, pg.dialogs = set(), []
    pg.on("request", lambda r: pg.hosts.add(r.url.split("/")[2]))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    return pg


def main_text(pg) -> str:
    """The page's text; without the zero-width spaces that keep a URL from becoming a link."""
    pg.wait_for_selector(".vb-tabel-w", timeout=30_000)  # drawn after the run
    return " ".join(pg.inner_text('[data-testid="stMain"]').replace("\u200b", "").split())


def choose(pg, label: str, option: str) -> None:
    pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    pg.get_by_role("option", name=option, exact=True).click()


def note_hover(pg) -> str:
    """The tooltip of the note's diamond on the trend (its SVG <title>, which the browser
    shows on hover), as the browser holds it: text, never markup."""
    diamond = pg.locator("path.notitie").last
    diamond.scroll_into_view_if_needed()
    diamond.hover(force=True)
    assert diamond.locator("title").evaluate("t => t.children.length") == 0  # no elements
    return " ".join((diamond.locator("title").text_content() or "").split())


def stored(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        return notes.notes(engine, GM, [WIJK])["text"].tolist()
    finally:
        engine.dispose()


def test_wijkregisseur_adds_a_note_on_trend_and_pdf_that_survives_a_restart(
    built_db, browser, tmp_path
):
    url = copy_db(built_db, tmp_path)
    proc, base = start_server(url, tmp_path, role="wijkregisseur")
    try:
        pg = new_page(browser)
        pg.goto(f"{base}/wijkprofiel?gebied={WIJK}")
        settle(pg)
        assert pg.get_by_role("button", name="Notitie opslaan").count() == 0  # a viewer
        pg.get_by_text("Inloggen (beheer)").click()
        pg.get_by_label("Gebruikersnaam").fill(USER)
        pg.get_by_label("Wachtwoord").fill(PASSWORD)
        pg.get_by_role("button", name="Inloggen").click()
        settle(pg)
        pg.get_by_label("Notitie", exact=True).fill(HOSTILE)
        choose(pg, "Jaar van (optioneel)", "2024")
        pg.get_by_role("button", name="Notitie opslaan").click()
        pg.wait_for_timeout(500)
        settle(pg)
        text = main_text(pg)
        assert "opgeslagen" in text, text[text.find("Notities bij") :][:600]
        assert stored(url) == [HOSTILE]
        assert HOSTILE in text  # the list shows the text as typed
        assert pg.locator('[data-testid="stMain"] img[src*="example.org"]').count() == 0
        assert "1 notitie(s)" in text
        assert HOSTILE.split(" camera")[0] in note_hover(pg)  # the hover shows it as text
        pg.screenshot(path=str(SHOTS / "notities_wijkregisseur.png"))
        # The briefing of this wijk has the note, as text.
        pg.get_by_text("Briefing downloaden").click()
        with pg.expect_download(timeout=120_000) as info:
            pg.get_by_role("button", name="PDF").click()
        target = tmp_path / "briefing.pdf"
        info.value.save_as(target)
        assert shutil.which("pdftotext"), "pdftotext ontbreekt (poppler-utils)"
        pdf = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, check=True, text=True
        ).stdout
        pdf = " ".join(pdf.split())
        assert "Notities bij de cijfers" in pdf
        assert "<script>alert(1)</script>" in pdf and "![x](http://example.org/x.png)" in pdf
        check_page(pg, "notities_na_opslaan")  # only localhost, no dialog, no error box
    finally:
        stop_server(proc)
    proc, base = start_server(url, tmp_path)  # a restart: the note comes from the database
    try:
        pg = new_page(browser)
        pg.goto(f"{base}/wijkprofiel?gebied={WIJK}")
        settle(pg)
        text = main_text(pg)
        assert HOSTILE in text
        assert pg.get_by_role("button", name="Notitie opslaan").count() == 0  # viewer again
        assert HOSTILE.split(" camera")[0] in note_hover(pg)
        check_page(pg, "notities_na_herstart")
        assert not any("example.org" in h for h in pg.hosts)
    finally:
        stop_server(proc)

"""The app as a person sees it: every page in headless Chromium at 1920x1080."""

import re

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.e2e.conftest import PASSWORD, USER, check_page, settle

pytestmark = pytest.mark.e2e
PATHS = re.findall(r'url_path="([^"]*)"', (ROOT / "app.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "home")
def test_every_page_loads(server, page, path):
    page.goto(f"{server}/{path}")
    settle(page)
    assert page.locator("h1").count() >= 1
    check_page(page, path or "home")


def test_home_shows_figures_and_chart(server, page):
    page.goto(server)
    settle(page)
    assert "Veiligheidsbeeld" in page.locator("h1").first.inner_text()
    assert page.locator('[data-testid="stMetric"]').count() >= 3
    assert page.locator(".js-plotly-plot").count() >= 1
    assert "Bron:" in page.inner_text('[data-testid="stMain"]')


def test_beheerder_uploads_bad_then_good_file(server, page, tmp_path):
    page.goto(f"{server}/data")
    settle(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0  # viewer: no form
    page.get_by_text("Inloggen (beheer)").click()
    page.get_by_label("Gebruikersnaam").fill(USER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    settle(page)
    bad = tmp_path / "kapot.csv"
    bad.write_text("indicator,gebied,periode,waarde\ninwoners,GM9998,2024,1\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_role("button", name="Inlezen").click()
    settle(page)
    text = page.inner_text('[data-testid="stMain"]')
    assert "kapot.csv, rij 2, kolom 'gebied'" in text
    good = FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.get_by_role("button", name="Inlezen").click()
    settle(page)
    assert "Klaar: geïmporteerd" in page.inner_text('[data-testid="stMain"]')
    page.screenshot(path=str(ROOT / "tests" / "e2e" / "screenshots" / "data_upload.png"))

"""WCAG 2.1 A and AA (Besluit digitale toegankelijkheid overheid): axe-core on every page and
every slide, for two gemeenten, as a viewer and signed in; the document declares Dutch.

axe-core comes with `axe-playwright-python` (its axe.min.js is injected into the page): no
download at run time."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import ROOT
from tests.e2e.conftest import PASSWORD, USER, check_page, settle

pytestmark = pytest.mark.e2e
PATHS = re.findall(r'url_path="([^"]*)"', (ROOT / "app.py").read_text(encoding="utf-8"))
WCAG21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
WIJK = {"GM0164": "WK016401", "GM0153": "WK015301"}
AXE = Axe()


def violations(page) -> list[str]:
    """axe-core's violations on the page as it is now: rule, impact and the first element."""
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=30_000)
    found = AXE.run(page, options=WCAG21_AA).response["violations"]
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['target']} "
        f"{v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in found
    ]


def targets(gemeente: str) -> list[str]:
    """Every page, and the Wijkprofiel with a wijk chosen."""
    paths = [*PATHS, f"wijkprofiel?gebied={WIJK[gemeente]}"]
    return [f"{p}{'&' if '?' in p else '?'}gemeente={gemeente}" for p in paths]


@pytest.mark.parametrize("modus", ["", "presentatie"], ids=["pagina", "dia"])
@pytest.mark.parametrize("gemeente", sorted(WIJK))
def test_no_axe_violations_on_any_page_or_slide(server, page, gemeente, modus):
    found = {}
    for target in targets(gemeente):
        page.goto(f"{server}/{target}{'&modus=' + modus if modus else ''}")
        settle(page)
        if problems := violations(page):
            found[target] = problems
    assert not found, found


def test_forms_of_a_signed_in_beheerder_have_no_axe_violations(server, page):
    """The sign-in box, the import form (Data) and the progress form (Thema's)."""
    page.goto(f"{server}/data")
    settle(page)
    page.get_by_text("Inloggen (beheer)").click()
    assert not violations(page)
    page.get_by_label("Gebruikersnaam").fill(USER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    settle(page)
    page.locator('[data-testid="stFileUploader"]').wait_for(timeout=30_000)
    assert not violations(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Thema's").click()  # stays signed in
    page.get_by_role("button", name="Update opslaan").first.wait_for(timeout=30_000)
    settle(page)
    assert not violations(page)
    check_page(page, "themas_beheerder_toegankelijk")


def test_document_is_dutch(server, page):
    """The frame's script sets `lang`; on a cold first run it may come after the page looks
    settled, so wait for it (a page that never says "nl" fails here)."""
    page.goto(server)
    settle(page)
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "nl"

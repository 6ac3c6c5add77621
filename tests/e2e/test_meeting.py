"""The meeting room and the briefing in headless Chromium: presentation mode without sidebar or
controls, stepped with the keyboard; the briefing PDF downloaded from the sidebar."""

import shutil
import subprocess

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import check_page, settle

pytestmark = pytest.mark.e2e
# Everything a person could click or type into. Hidden elements do not count.
WIDGETS = (
    "button, input, select, textarea, [role='combobox'], [role='slider'], "
    "[data-testid='stPageLink'], [data-testid='stExpander'], [data-testid='stSidebar']"
)


VISIBLE = "e => e.offsetParent !== null && e.getClientRects().length"


def visible_widgets(page, timeout: int = 30_000) -> list[str]:
    """The widgets still visible once the run is over. Streamlit keeps the previous page's
    elements on screen until the new run has finished, so wait for them to go (a slow run on a
    busy machine is not a failure); what is still there after the timeout is returned."""
    try:
        page.wait_for_function(
            f"s => ![...document.querySelectorAll(s)].some({VISIBLE})",
            arg=WIDGETS,
            timeout=timeout,
        )
    except PlaywrightTimeout:  # the list below is the assertion's message
        pass
    return page.eval_on_selector_all(
        WIDGETS, f"els => els.filter({VISIBLE}).map(e => e.outerHTML.slice(0, 80))"
    )


def one_screen(page) -> bool:
    return page.locator('[data-testid="stMain"]').evaluate(
        "e => e.scrollHeight <= e.clientHeight + 2"
    )


def wait_for_title(page, part: str) -> str:
    page.wait_for_function(
        "p => [...document.querySelectorAll('[data-testid=\"stMain\"] h1')]"
        ".some(h => h.innerText.includes(p))",
        arg=part,
        timeout=30_000,
    )
    settle(page)
    return page.locator("h1").first.inner_text()


def test_presentation_hides_controls_and_steps_with_the_keyboard(server, page):
    page.goto(f"{server}/?modus=presentatie")
    wait_for_title(page, "Veiligheidsbeeld")
    page.wait_for_selector("canvas", timeout=30_000)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert visible_widgets(page) == []
    text = page.inner_text('[data-testid="stMain"]')
    assert "Bron:" in text and "Stap 1 van 4" in text and "Datastand" in text
    assert one_screen(page), "slide scrolls"
    check_page(page, "presentatie_1_beeld")

    # The agenda: Veiligheidsbeeld -> a wijk -> G32 footprint -> thema's, and back.
    expected = [
        ("ArrowRight", "/wijkprofiel", "(WK0164", 2),
        ("PageDown", "/g32", "vergeleken met de G40", 3),
        ("Space", "/themas", "Voortgang", 4),
        ("ArrowRight", "/themas", "Voortgang", 4),  # the last step stays
        ("PageUp", "/g32", "vergeleken met de G40", 3),
    ]
    for key, path, title, number in expected:
        page.keyboard.press(key)
        page.wait_for_url(f"**{path}?*modus=presentatie*", timeout=30_000)
        assert title in wait_for_title(page, title)
        text = page.inner_text('[data-testid="stMain"]')
        assert f"Stap {number} van 4" in text and "Bron:" in text
        assert visible_widgets(page) == []
        assert one_screen(page), f"slide {number} scrolls"
        check_page(page, f"presentatie_{number}_{path.strip('/')}_{key}")

    page.keyboard.press("Escape")  # leave: the same page with its controls
    page.wait_for_function("() => !location.search.includes('modus=presentatie')")
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
    page.wait_for_selector('[data-testid="stSelectbox"]', timeout=30_000)


def test_presentation_carries_the_chosen_wijk(server, page):
    page.goto(f"{server}/?modus=presentatie&gebied=WK016403")
    wait_for_title(page, "Veiligheidsbeeld")
    assert "Hasseler Es" in page.inner_text('[data-testid="stMain"]')
    page.keyboard.press("ArrowRight")
    assert "(WK016403)" in wait_for_title(page, "WK016403")
    check_page(page, "presentatie_gekozen_wijk")


def test_toggle_opens_presentation_of_the_same_page(server, page):
    page.goto(f"{server}/g32?basisjaar=2013&jaar=2017")
    settle(page)
    page.get_by_role("button", name="Presentatiemodus").click()
    page.wait_for_url("**/g32?*modus=presentatie*", timeout=30_000)
    assert "2013 en 2017" in wait_for_title(page, "G32")
    assert visible_widgets(page) == []


def test_briefing_pdf_downloads_from_the_sidebar(server, page, tmp_path):
    page.goto(server)
    settle(page)
    page.get_by_text("Briefing downloaden").click()
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="PDF").click()
    target = tmp_path / "briefing.pdf"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert info.value.suggested_filename.endswith(".pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
        ).stdout
        for part in ("Veiligheidsbeeld", "Bronnen:", "Datastand: release", "G32"):
            assert part in text
    check_page(page, "briefing_download")

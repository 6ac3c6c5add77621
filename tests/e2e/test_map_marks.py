"""Marks and labels as a person sees them at 1920x1080: the legend explains the hatching of
uncertain buurten, and the Veiligheidsbeeld names its numbered wijk beside the map."""

import pytest

from tests.e2e.conftest import check_page, settle

pytestmark = pytest.mark.e2e


def test_kaart_legend_explains_the_hatching(server, page):
    page.goto(f"{server}/kaart?niveau=buurt")
    settle(page)
    page.wait_for_selector("path.gebied", timeout=30_000)
    legend = page.locator('[aria-label="Legenda"]').first.inner_text()
    assert "gearceerd: onzeker (minder dan 10 gebeurtenissen)" in legend
    assert "kruislings gearceerd: n.v.t. (minder dan 200 inwoners)" in legend
    check_page(page, "kaart_markering")


def test_veiligheidsbeeld_legend_under_the_map(server, page):
    page.goto(server)
    settle(page)
    page.wait_for_selector("path.gebied", timeout=30_000)
    legend = page.locator('[aria-label="Legenda"]').first
    key = legend.inner_text().split("Nummers op de kaart: ", 1)[1]
    assert key.startswith("1 ") and "Groot Driene" in key  # names that do not fit: numbered
    canvas = page.locator('[data-testid="stMain"] svg[role="group"]').first.bounding_box()
    box = legend.bounding_box()
    assert box["y"] >= canvas["y"] + canvas["height"] - 1, "the legend sits under the map"
    assert box["y"] + box["height"] <= 1080, "and on the screen"


def test_veiligheidsbeeld_map_chooses_a_wijk_by_keyboard_and_by_click(server, page):
    """The SVG map: every wijk is a button with its name and figure; Enter on one, or a click,
    focuses the screen on it, and the map outlines it."""
    page.goto(server)
    settle(page)
    first = page.locator("path.gebied").first
    first.wait_for(timeout=30_000)
    name = first.get_attribute("aria-label")
    assert name and " per 1.000 inwoners" in name
    code = first.get_attribute("data-code")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**gebied={code}*", timeout=30_000)
    page.wait_for_selector("path.focusrand", timeout=30_000)
    other = page.locator("path.gebied").nth(1)
    second, second_name = other.get_attribute("data-code"), other.get_attribute("aria-label")
    other.click()
    page.wait_for_url(f"**gebied={second}*", timeout=30_000)
    settle(page)
    wijk = second_name.split(":")[0]  # "Wijk 01 Hengelose Es"
    assert f"{wijk}: " in page.inner_text('[data-testid="stMain"]'), "the sentence on the wijk"
    check_page(page, "veiligheidsbeeld_kaart_toetsenbord")

"""Marks and labels as a person sees them at 1920x1080: the legend explains the hatching of
uncertain buurten, and the Veiligheidsbeeld names its numbered wijk beside the map."""

import pytest

from tests.e2e.conftest import check_page, settle

pytestmark = pytest.mark.e2e


def test_kaart_legend_explains_the_hatching(server, page):
    page.goto(f"{server}/kaart?niveau=buurt")
    settle(page)
    page.wait_for_selector("canvas", timeout=30_000)
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

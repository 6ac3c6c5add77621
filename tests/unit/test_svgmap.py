"""The Veiligheidsbeeld's map as SVG: the deck's areas, colours and names, framed as the deck
frames them, text from data escaped, the context cut to the frame; and the area a click chose."""

import re
from xml.etree import ElementTree

import pytest

from dashboard.render import maps, svgmap
from dashboard.web import areamap

HOSTILE = '<img src=x onerror=alert(1)> "Wijk" & \'t Hof'
SVG = "{http://www.w3.org/2000/svg}"


def square(x, y, side):
    return [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]


def deck():
    main = [
        {
            "area_code": code,
            "polygon": square(x, 0, 1000),
            "fill": fill,
            **maps.tooltip_fields(name, code, "12,5 per 1.000", "2023", "Politie"),
        }
        for code, name, x, fill in (
            ("WK016401", HOSTILE, 0, "#fee5d9"),
            ("WK016402", "Noord", 1000, "#a50f15"),
        )
    ]
    far = {"polygon": square(-50_000, -50_000, 200_000)}  # a neighbour reaching far out
    labels = [{"name": "Noord\nOost", "position": [1500, 500]}]
    view = maps.fit_view(
        maps.gpd.GeoDataFrame(geometry=[maps.shapely.box(0, 0, 2000, 1000)]), 500, 350
    )
    return maps.choropleth(main, labels, [[far]], view)


def test_svg_draws_every_area_with_its_code_colour_and_escaped_tooltip():
    text = svgmap.svg(deck(), 500, 350, "Kaart van de wijken")
    root = ElementTree.fromstring(text)  # well-formed: every text from data escaped
    areas = root.findall(f".//{SVG}path[@class='gebied']")
    assert [a.get("data-code") for a in areas] == ["WK016401", "WK016402"]
    assert areas[1].get("fill") == "rgb(165,15,21)"
    tip = areas[0].find(f"{SVG}title").text
    assert tip.splitlines() == [f"{HOSTILE} (WK016401)", "12,5 per 1.000", "2023 · Politie"]
    assert "<img" not in text and "&lt;img" in text
    names = [t.text for t in root.iter(f"{SVG}tspan")]
    assert names == ["Noord", "Oost"]
    assert root.get("aria-label") == "Kaart van de wijken"


def test_svg_frames_as_the_deck_and_cuts_the_context_to_the_frame():
    text = svgmap.svg(deck(), 500, 350, "Kaart")
    root = ElementTree.fromstring(text)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width / height == pytest.approx(500 / 350, rel=0.01)
    context = root.find(f"{SVG}path")  # drawn first, under the areas
    start = [float(v) for v in re.match(r"M(-?\d+) (-?\d+)", context.get("d")).groups()]
    pad = 10 * width / 500
    assert all(-pad - 1 <= v <= max(width, height) + pad + 1 for v in start)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),  # the first run: no map yet
        ({}, None),  # nothing clicked
        ({"pick": None}, None),  # a trigger is reset after its run
        ({"pick": "WK016400"}, "WK016400"),
        ({"pick": ["WK016400"]}, None),  # not an area code
    ],
)
def test_picked(monkeypatch, state, expected):
    monkeypatch.setattr(areamap.st, "session_state", {} if state is None else {"beeldkaart": state})
    assert areamap.picked("beeldkaart") == expected


def test_a_map_drawn_per_pixel_keeps_its_frame_and_drops_what_is_smaller_than_its_unit():
    metres = ElementTree.fromstring(svgmap.svg(deck(), 500, 350, "Kaart", choose=False))
    coarse_text = svgmap.svg(deck(), 500, 350, "Kaart", choose=False, per_px=2)
    coarse = ElementTree.fromstring(coarse_text)  # well-formed
    _, _, width, height = (float(v) for v in coarse.get("viewBox").split())
    assert (width, height) == (1000, 700)  # two units per pixel of the full size
    _, _, w_m, h_m = (float(v) for v in metres.get("viewBox").split())
    assert width / height == pytest.approx(w_m / h_m, rel=0.01)
    areas = coarse.findall(f".//{SVG}path[@class='gebied']")
    assert [a.get("data-code") for a in areas] == ["WK016401", "WK016402"]
    assert len(coarse_text) < len(svgmap.svg(deck(), 500, 350, "Kaart", choose=False))
    # A ring within one unit draws nothing, rather than a broken "M x yl" that ends the path.
    assert svgmap._rel([(0, 0), (0.1, 0), (0.1, 0.1), (0, 0)], (0, 0), True, unit=1.0) == ""
    assert svgmap._rel([(0, 0), (5, 0), (5, 5), (0, 0)], (0, 5), True) == "M0 5l5 0 0 -5 -5 5z"

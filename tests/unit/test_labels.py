"""Readable labels: the placement rule on known overlaps, and the shipped wijk maps of Hengelo
and Enschede on the Veiligheidsbeeld (1920x1080), the slide, the Kaart and the PDF."""

import pytest

from dashboard.domain import labels
from dashboard.render import maps, marks
from dashboard.store import queries
from dashboard.views import agenda, briefing

Box = labels.Box
SIZE = 10.0  # font size of the rule tests
MEASURE = labels.estimate(SIZE)


@pytest.mark.parametrize(
    ("a", "b", "gap", "expected"),
    [
        (Box(0, 0, 10, 10), Box(5, 5, 15, 15), 0, True),
        (Box(0, 0, 10, 10), Box(10, 0, 20, 10), 0, False),  # touching edges
        (Box(0, 0, 10, 10), Box(11, 0, 20, 10), 2, True),  # closer than the gap
        (Box(0, 0, 10, 10), Box(0, 12, 10, 20), 2, False),
        (Box(0, 0, 10, 10), Box(2, 2, 4, 4), 0, True),  # one inside the other
    ],
)
def test_box_overlap(a, b, gap, expected):
    assert a.overlaps(b, gap) is expected
    assert b.overlaps(a, gap) is expected


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Hogeland - Velve", "Hogeland -\nVelve"),
        ("Enschede-Noord", "Enschede-\nNoord"),
        ("Groot Driene", "Groot\nDriene"),
        ("Landelijk gebied en kernen", "Landelijk gebied\nen kernen"),
        ("Noord", None),
    ],
)
def test_wraps_most_balanced_first(text, first):
    forms = labels.wraps(text)
    assert (forms[0] if forms else None) == first
    assert all(f.replace("\n", " ").replace("- ", "-") for f in forms)


def lab(key, text, *points):
    return labels.Label(key, text, tuple(points))


# (labels, frame, expected drawn texts, expected key)
CASES = {
    "far apart: both in full": (
        [lab("a", "Oost", (0, 0)), lab("b", "West", (200, 0))],
        None,
        ["Oost", "West"],
        [],
    ),
    "same spot, the second moves to its next candidate": (
        [lab("a", "Binnenstad", (0, 0)), lab("b", "Groot Driene", (0, 0), (0, 40))],
        None,
        ["Binnenstad", "Groot Driene"],
        [],
    ),
    "same spot and nowhere else: the second becomes a number": (
        [lab("a", "Binnenstad", (0, 0)), lab("b", "Groot Driene", (0, 0), (40, 0))],
        None,
        ["Binnenstad", "1"],
        ["1 Groot Driene"],
    ),
    "too wide for the frame on one line: two lines": (
        [lab("a", "Bedrijfsterreinen Enschede-West", (0, 0))],
        Box(-60, -30, 60, 30),
        ["Bedrijfsterreinen\nEnschede-West"],
        [],
    ),
    "the first gives way so the second keeps a place": (
        # "a" fits at the origin but would cover the only spot of "b"; it takes its second.
        [lab("a", "Wilderinkshoek", (0, 0), (0, 60)), lab("b", "Berflo Es", (0, 0))],
        None,
        ["Wilderinkshoek", "Berflo Es"],
        [],
    ),
    "nothing fits, not even a number: listed only in the key": (
        [lab("a", "Oost", (0, 0))],
        Box(-1, -1, 1, 1),
        ["1"],
        ["1 Oost (te klein voor de kaart)"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_placement_rule(case):
    todo, frame, texts, key = CASES[case]
    placed = labels.place(todo, MEASURE, frame)
    assert [p.text for p in placed] == texts
    assert labels.key_lines(placed) == key
    boxes = [p.box for p in placed if p.box is not None]
    assert labels.overlapping(boxes) == []
    if frame is not None:
        assert all(b.inside(frame) for b in boxes)


def test_the_check_finds_an_overlap():
    """Two labels forced onto one point overlap: the check the shipped maps pass can fail."""
    boxes = [labels.box_at(0, 0, MEASURE("Binnenstad")), labels.box_at(20, 0, MEASURE("Oost"))]
    assert labels.overlapping(boxes) == [(0, 1)]


def test_estimate_is_wider_for_wider_text():
    assert MEASURE("Wilderinkshoek")[0] > MEASURE("Oost")[0]
    assert MEASURE("Groot\nDriene")[1] == pytest.approx(2 * MEASURE("Groot Driene")[1])


# ---------------------------------------------------------------- the shipped maps
GEMEENTEN = ["GM0164", "GM0153"]
# Canvas sizes where the wijk map is drawn: the Veiligheidsbeeld at 1920x1080 (fitted in its
# 515-pixel column), the slide (534 pixels) and the Kaart.
SIZES = {"veiligheidsbeeld": (500, 350), "dia": (520, 430), "kaart": (1100, 640)}


@pytest.fixture(scope="module")
def engine(built_db):
    from dashboard.store.schema import make_engine

    eng = make_engine(built_db)
    yield eng
    eng.dispose()


def wijk_shapes(engine, gemeente):
    areas = queries.areas(engine, "wijk", gemeente)
    shapes = maps.shapes_from_wkb(queries.geometries(engine, areas["code"].tolist()), "wijk")
    return shapes, dict(zip(areas["code"], areas["name"], strict=True))


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_screen_labels_never_overlap(engine, gemeente, size):
    shapes, names = wijk_shapes(engine, gemeente)
    width, height = SIZES[size]
    view = maps.fit_view(shapes, width, height)
    records, key, placed = marks.screen_labels(shapes, names, view, (width, height), 16)
    boxes = [p.box for p in placed if p.box is not None]
    assert labels.overlapping(boxes) == []
    frame = Box(-width / 2, -height / 2, width / 2, height / 2)
    assert all(b.inside(frame) for b in boxes)
    # Every wijk is named: on the map, or by its number in the key beside it.
    assert len(placed) == len(shapes) == len(records)
    full = {p.key for p in placed if p.number is None}
    assert len(full) + len(key) == len(shapes)
    assert all(line.split(" ", 1)[1] in {p.name for p in placed} for line in key)


def test_unplaced_labels_did_overlap(engine):
    """Without the placement (each name at its point on surface, as before) the Hengelo
    labels of the issue run into each other on the Veiligheidsbeeld: the test above is no
    accident of the data."""
    shapes, names = wijk_shapes(engine, "GM0164")
    view = maps.fit_view(shapes, *SIZES["veiligheidsbeeld"])
    scale = 2.0 ** view["zoom"]
    old = maps.label_records(shapes, names)
    measure = labels.estimate(16)
    boxes = [
        labels.box_at(
            (r["position"][0] - view["target"][0]) * scale,
            (r["position"][1] - view["target"][1]) * scale,
            measure(r["name"]),
        )
        for r in old
    ]
    pairs = {frozenset((old[i]["name"], old[j]["name"])) for i, j in labels.overlapping(boxes)}
    assert frozenset(("Binnenstad", "Groot Driene")) in pairs


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_deck_draws_the_placed_labels(engine, gemeente):
    from dashboard.views import maps as map_views

    base = map_views.base_layers(engine, gemeente, "wijk")
    spec = agenda._wijk_map(engine, gemeente)[0]
    data = map_views.kaart_view(
        engine, base, gemeente, "wijk", spec.indicator, spec.period, SIZES["veiligheidsbeeld"]
    )
    layer = next(lyr for lyr in data["deck"].layers if lyr.id == "namen")
    shapes, names = wijk_shapes(engine, gemeente)
    view = maps.fit_view(base["main"], *SIZES["veiligheidsbeeld"])
    records, key, _ = marks.screen_labels(shapes, names, view, SIZES["veiligheidsbeeld"], 16)
    assert layer.data == records
    assert data["legend"]["key"] == key


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_pdf_labels_never_overlap_as_drawn(engine, gemeente):
    """The PDF map's labels measured by Matplotlib itself (text and its white box)."""
    spec = agenda._wijk_map(engine, gemeente)[0]
    shapes, names = wijk_shapes(engine, gemeente)
    fig, key = briefing.map_figure(spec, shapes, names)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    fig.draw(renderer)
    drawn = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label-")]
    assert len(drawn) + sum("te klein" in line for line in key) == len(shapes)
    boxes = []
    for text in drawn:
        ext = text.get_bbox_patch().get_window_extent(renderer)
        boxes.append(Box(ext.x0, ext.y0, ext.x1, ext.y1))
    assert labels.overlapping(boxes) == [], [
        drawn[i].get_text() for i, _ in labels.overlapping(boxes)
    ]
    width, height = canvas.get_width_height()
    assert all(b.inside(Box(0, 0, width, height)) for b in boxes)

"""Uncertainty on the map: areas whose figure is 'onzeker' or 'n.v.t.' are hatched on the web
map and the PDF map, and the legend explains the marks with the thresholds of `classify`."""

import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from dashboard.domain import classify, marks
from dashboard.render import maps
from dashboard.render import marks as render_marks
from dashboard.views import agenda, briefing
from dashboard.views import maps as map_views

GM = "GM0164"
CRIME = "geregistreerde_misdrijven_per1000"


# ---------------------------------------------------------------- the rule (domain)
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["ok", "ok"], []),
        (["ok", "onzeker"], ["onzeker"]),
        (["nvt", "geen", "ok"], ["nvt"]),
        (["nvt", "onzeker", "onzeker"], ["onzeker", "nvt"]),  # fixed order, once each
        ([], []),
    ],
)
def test_legend_names_the_marks_on_the_map(statuses, expected):
    assert [s for s, _ in marks.legend(statuses)] == expected


def test_legend_takes_the_thresholds_from_classify(monkeypatch):
    assert marks.legend_text("onzeker") == (
        f"gearceerd: onzeker (minder dan {classify.MIN_COUNT} gebeurtenissen)"
    )
    monkeypatch.setattr(classify, "MIN_COUNT", 7)
    monkeypatch.setattr(classify, "MIN_POPULATION", 150)
    assert "minder dan 7 gebeurtenissen" in marks.legend_text("onzeker")
    assert "n.v.t. (minder dan 150 inwoners)" in marks.legend_text("nvt")


def test_no_mark_for_other_statuses():
    with pytest.raises(ValueError, match="geen markering voor status 'ok'"):
        marks.legend_text("ok")
    assert marks.marked({"a": "ok", "b": "onzeker", "c": "nvt", "d": "geen"}) == {
        "b": "onzeker",
        "c": "nvt",
    }


# ---------------------------------------------------------------- hatching (render)
SQUARE = box(0, 0, 100, 100)
L_SHAPE = Polygon([(0, 0), (100, 0), (100, 30), (30, 30), (30, 100), (0, 100)])


@pytest.mark.parametrize(
    ("geom", "spacing", "angle", "at_least"),
    [
        (SQUARE, 10, 45, 12),
        (SQUARE, 10, 135, 12),
        (SQUARE, 50, 45, 2),
        (L_SHAPE, 10, 45, 8),
    ],
)
def test_hatch_lines_stay_inside_the_area(geom, spacing, angle, at_least):
    paths = render_marks.hatch_lines(geom, spacing, angle)
    assert len(paths) >= at_least
    grown = geom.buffer(0.5)
    for path in paths:
        assert all(grown.contains(shapely_point(p)) for p in path)
        (x0, y0), (x1, y1) = path[0], path[-1]
        slope = (y1 - y0) / (x1 - x0)
        assert slope == pytest.approx(1.0 if angle == 45 else -1.0, abs=0.02)


def shapely_point(p):
    from shapely.geometry import Point

    return Point(*p)


def test_no_hatching_without_area_or_spacing():
    assert render_marks.hatch_lines(Polygon(), 10, 45) == []
    assert render_marks.hatch_lines(SQUARE, 0, 45) == []


def test_hatch_records_only_for_marked_areas():
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"area_code": ["A", "B", "C"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs=maps.RD_NEW,
    )
    records = render_marks.hatch_records(gdf, {"A": "onzeker", "C": "nvt"}, zoom=-3)
    assert not [r for r in records for x, _ in r["path"] if 1000 < x < 2000], "B is not marked"
    colours = {tuple(r["rgba"]) for r in records}
    assert colours == {tuple(c) for c in render_marks.HATCH_RGBA.values()}

    def slopes(lo, hi):
        out = set()
        for rec in records:
            (x0, y0), (x1, y1) = rec["path"][0], rec["path"][-1]
            if lo <= min(x0, x1) and max(x0, x1) <= hi:
                out.add(1 if (y1 - y0) * (x1 - x0) > 0 else -1)
        return out

    assert slopes(0, 1000) == {1}  # 'onzeker': one way
    assert slopes(2000, 3000) == {1, -1}  # 'nvt': both ways
    # Lines 9 pixels apart at the view's scale: 72 m at zoom -3 (y = x + c: c steps 72 * sqrt 2).
    offsets = sorted(
        {round(r["path"][0][1] - r["path"][0][0], 1) for r in records if r["path"][0][0] < 1000}
    )
    steps = [b - a for a, b in zip(offsets, offsets[1:], strict=False)]
    assert min(steps) == pytest.approx(72 * 2**0.5, abs=1)


# ---------------------------------------------------------------- the shipped maps
@pytest.fixture(scope="module")
def engine(built_db):
    from dashboard.store.schema import make_engine

    eng = make_engine(built_db)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def buurt_map(engine):
    base = map_views.base_layers(engine, GM, "buurt")
    return map_views.kaart_view(engine, base, GM, "buurt", CRIME, "2023")


def test_kaart_hatches_the_uncertain_buurten(buurt_map):
    shaded = buurt_map["shaded"]
    statuses = set(shaded["status"])
    assert {"onzeker", "nvt"} <= statuses, "the shipped buurt map has both kinds"
    layers = {layer.id: layer for layer in buurt_map["deck"].layers}
    assert layers["markering"].data
    # Drawn above the areas, below the names.
    order = [layer.id for layer in buurt_map["deck"].layers]
    assert order.index("gebieden") < order.index("markering") < order.index("namen")
    assert [s for s, _ in buurt_map["legend"]["marks"]] == ["onzeker", "nvt"]


def test_hatching_lies_in_marked_buurten_only(engine, buurt_map):
    from shapely.geometry import LineString

    base = map_views.base_layers(engine, GM, "buurt")
    shapes = base["main"].merge(buurt_map["shaded"][["area_code", "status"]], on="area_code")
    marked = shapes[shapes["status"].isin(marks.MARKED)].geometry.union_all().buffer(1)
    plain = shapes[~shapes["status"].isin(marks.MARKED)].geometry.union_all().buffer(-1)
    for rec in _layer(buurt_map, "markering"):
        line = LineString(rec["path"])
        assert marked.contains(line)
        assert not plain.intersection(line).length > 1


def _layer(data, layer_id):
    return next(layer for layer in data["deck"].layers if layer.id == layer_id).data


def test_wijk_map_without_uncertain_areas_has_no_marks(engine):
    base = map_views.base_layers(engine, GM, "wijk")
    data = map_views.kaart_view(engine, base, GM, "wijk", CRIME, "2023")
    assert set(data["shaded"]["status"]) == {"ok"}
    assert "markering" not in {layer.id for layer in data["deck"].layers}
    assert data["legend"]["marks"] == []


def test_veiligheidsbeeld_spec_carries_the_marks(engine, monkeypatch):
    """With a higher threshold some Hengelo wijken become 'onzeker': the view's map says so."""
    monkeypatch.setattr(classify, "MIN_COUNT", 200)
    spec = agenda._wijk_map(engine, GM)[0]
    assert spec.marked == {"WK016408": "onzeker", "WK016409": "onzeker"}
    assert spec.marks == [("onzeker", "gearceerd: onzeker (minder dan 200 gebeurtenissen)")]


# ---------------------------------------------------------------- the PDF map
def test_pdf_map_hatches_and_its_legend_explains(engine):
    views = agenda.build_views(engine, GM, ["beeld"])
    spec = views[0].map
    spec.marked = {"WK016400": "onzeker", "WK016409": "nvt"}
    spec.marks = marks.legend(spec.marked.values())
    areas = map_views.queries.areas(engine, "wijk", GM)
    shapes = maps.shapes_from_wkb(
        map_views.queries.geometries(engine, areas["code"].tolist()), "wijk"
    )
    names = dict(zip(areas["code"], areas["name"], strict=True))
    fig, _key = briefing.map_figure(spec, shapes, names)
    hatches = {c.get_hatch() for c in fig.axes[0].collections}
    assert {"////", "xxxx"} <= hatches
    pdf = briefing.render_pdf(
        views,
        {"wijk": shapes},
        names,
        "release",
        "Veiligheidsdashboard",
        pd.Timestamp("2026-11-23"),
    )
    text = " ".join(briefing.pdf_text(pdf).split())
    assert "gearceerd: onzeker (minder dan 10 gebeurtenissen)" in text
    assert "kruislings gearceerd: n.v.t. (minder dan 200 inwoners)" in text


def test_pdf_without_marks_has_no_mark_legend(engine):
    views = agenda.build_views(engine, GM, ["beeld"])
    pdf = briefing.briefing_pdf(engine, GM, ["beeld"])
    assert views[0].map.marks == []
    assert "gearceerd" not in briefing.pdf_text(pdf)

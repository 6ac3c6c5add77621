"""Hatching of uncertain areas and readable labels, for the web map and the PDF map.

Hatching is line geometry in RD New metres, clipped to each marked area, spaced for the
map's view (so it reads as a pattern at the zoom the map opens with). Labels are placed with
`domain.labels` in the map's own units: pixels from the view's target for the web map,
points of the Matplotlib figure for the PDF map.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import polylabel

from dashboard.domain import labels
from dashboard.render.maps import WIJK_NUMBER

# Angle of the hatch lines per status: //// for 'onzeker', both ways for 'nvt'.
HATCH_ANGLES = {"onzeker": (45.0,), "nvt": (45.0, 135.0)}
HATCH_RGBA = {"onzeker": [17, 17, 17, 255], "nvt": [85, 85, 85, 255]}
HATCH_SPACING_PX = 9.0


def label_text(name: str, code: str) -> str:
    """A leading CBS wijk number ("Wijk 04 Groot Driene") is left off a label."""
    return WIJK_NUMBER.sub("", name or code).strip() or code


# ---------------------------------------------------------------- hatching
def hatch_lines(geom, spacing: float, angle: float) -> list[list[list[float]]]:
    """Parallel lines `spacing` apart at `angle` degrees, clipped to `geom`; paths of [x, y]."""
    if geom is None or geom.is_empty or spacing <= 0:
        return []
    minx, miny, maxx, maxy = geom.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half = math.hypot(maxx - minx, maxy - miny) / 2 + spacing
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    nx, ny = -dy, dx  # the normal: lines are stepped along it
    lines = [
        LineString(
            [
                (cx + nx * k * spacing - dx * half, cy + ny * k * spacing - dy * half),
                (cx + nx * k * spacing + dx * half, cy + ny * k * spacing + dy * half),
            ]
        )
        for k in range(-int(half / spacing) - 1, int(half / spacing) + 2)
    ]
    clipped = shapely.intersection(np.array(lines, dtype=object), geom)
    out = []
    for part in clipped:
        for line in getattr(part, "geoms", [part]):
            if line.geom_type == "LineString" and not line.is_empty:
                out.append([[round(x, 1), round(y, 1)] for x, y in line.coords])
    return out


def hatch_records(gdf, marked: dict[str, str], zoom: float) -> list[dict]:
    """Path records (path, colour) of the hatching of every marked area at the view's zoom."""
    spacing = HATCH_SPACING_PX / (2.0**zoom)
    out = []
    for code, geom in zip(gdf["area_code"], gdf.geometry, strict=True):
        status = marked.get(code)
        for angle in HATCH_ANGLES.get(status, ()):
            for path in hatch_lines(geom, spacing, angle):
                out.append({"path": path, "rgba": HATCH_RGBA[status]})
    return out


# ---------------------------------------------------------------- labels
def _largest(geom):
    return max(geom.geoms, key=lambda g: g.area) if geom.geom_type == "MultiPolygon" else geom


def candidates(geom, step: float, limit: int = 200) -> list[tuple[float, float]]:
    """Points inside the area's largest part, best first: its pole of inaccessibility, its
    point on surface, then a grid `step` apart, nearest to the pole first."""
    part = _largest(geom)
    pole = polylabel(part, tolerance=max(step / 4, 1.0))
    first = [pole, part.point_on_surface()]
    minx, miny, maxx, maxy = part.bounds
    xs = np.arange(minx + step / 2, maxx, step)
    ys = np.arange(miny + step / 2, maxy, step)
    grid = [Point(x, y) for y in ys for x in xs]
    inside = [p for p, ok in zip(grid, shapely.contains(part, grid), strict=True) if ok]
    inside.sort(key=lambda p: (p.distance(pole), p.y, p.x))
    return [(p.x, p.y) for p in (first + inside)[:limit]]


def place_labels(
    gdf,
    names: dict[str, str],
    to_map,
    measure: labels.Measure,
    frame: labels.Box | None,
    step: float,
    pad: float = 2.0,
    gap: float = 2.0,
) -> list[labels.Placed]:
    """Labels of every area of `gdf`, placed without overlap in map units.

    `to_map` turns RD New metres (x, y) into map units; `step` is the candidate grid in
    metres. The smallest areas are placed first: they have the fewest places to go."""
    rows = sorted(zip(gdf["area_code"], gdf.geometry, strict=True), key=lambda r: (r[1].area, r[0]))
    todo = [
        labels.Label(
            code,
            label_text(names.get(code, code), code),
            tuple(to_map(x, y) for x, y in candidates(geom, step)),
        )
        for code, geom in rows
    ]
    placed = labels.place(todo, measure, frame, pad, gap)
    # The key numbers the areas in code order, not in the order they were placed.
    numbered = sorted((p for p in placed if p.number is not None), key=lambda p: p.key)
    renumber = {p.key: n for n, p in enumerate(numbered, start=1)}
    out = []
    for p in placed:
        if p.number is not None:
            n = renumber[p.key]
            p = labels.Placed(p.key, p.name, str(n), p.x, p.y, p.box, n)
        out.append(p)
    return sorted(out, key=lambda p: p.key)


def screen_labels(
    gdf, names: dict[str, str], view: dict, size: tuple[int, int], font_px: float
) -> tuple[list[dict], list[str], list[labels.Placed]]:
    """Labels of a deck with an OrthographicView (`view`: target and zoom) on a canvas of
    `size` pixels: TextLayer records in metres, the key beside the map, and the placement
    in pixels from the canvas centre (y up)."""
    if gdf.empty:
        return [], [], []
    scale = 2.0 ** view["zoom"]
    tx, ty = view["target"][0], view["target"][1]
    width, height = size
    frame = labels.Box(-width / 2, -height / 2, width / 2, height / 2)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (x - tx) * scale, (y - ty) * scale

    placed = place_labels(
        gdf, names, to_px, labels.estimate(font_px), frame, step=max(font_px / 2, 4) / scale
    )
    records = [
        {"name": p.text, "position": [round(tx + p.x / scale), round(ty + p.y / scale)]}
        for p in placed
        if p.box is not None
    ]
    return records, labels.key_lines(placed), placed


# ---------------------------------------------------------------- the PDF map
PDF_LABEL_PT = 6.5
PDF_PAD_PT = 1.2  # the white box behind a PDF label ("round,pad=0.15" at 6.5 pt)
PDF_HATCH = {"onzeker": "////", "nvt": "xxxx"}
LINE_SPACING_PT = 1.2 * 1.17  # Matplotlib's linespacing times DejaVu's line height per em


def pdf_measure(size: float = PDF_LABEL_PT) -> labels.Measure:
    """(width, height) in points of a text in DejaVu Sans, as Matplotlib draws it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=size)
    engine = TextToPath()

    def measure(text: str) -> tuple[float, float]:
        lines = text.split("\n")
        width = max(engine.get_text_width_height_descent(ln, prop, ismath=False)[0] for ln in lines)
        # Drawn at 150 dpi the text runs a few per cent wider than its outline at 72.
        return width * 1.08, len(lines) * size * LINE_SPACING_PT

    return measure


def figure_labels(
    gdf,
    names: dict[str, str],
    bounds: tuple[float, float, float, float],
    width_pt: float,
    height_pt: float,
    size: float = PDF_LABEL_PT,
) -> tuple[list[labels.Placed], float]:
    """Labels of a Matplotlib map whose data `bounds` (RD New) fill a figure of `width_pt` by
    `height_pt` points: the placement in points from the lower left corner, and the scale
    (points per metre) to turn it back into metres."""
    minx, miny, maxx, maxy = bounds
    scale = min(width_pt / max(maxx - minx, 1.0), height_pt / max(maxy - miny, 1.0))

    def to_pt(x: float, y: float) -> tuple[float, float]:
        return (x - minx) * scale, (y - miny) * scale

    frame = labels.Box(0.0, 0.0, width_pt, height_pt)
    placed = (
        place_labels(
            gdf, names, to_pt, pdf_measure(size), frame, (size / 2) / scale, PDF_PAD_PT, 1.5
        )
        if not gdf.empty
        else []
    )
    return placed, scale


def pdf_swatch(status: str, width: float, height: float, spacing: float = 2.4):
    """A ReportLab drawing of the mark of `status`: white, hatched as on the PDF map."""
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors
    from shapely.geometry import box

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    for angle in HATCH_ANGLES[status]:
        for path in hatch_lines(box(0, 0, width, height), spacing, angle):
            (x0, y0), (x1, y1) = path[0], path[-1]
            drawing.add(
                Line(x0, y0, x1, y1, strokeColor=colors.HexColor("#222222"), strokeWidth=0.5)
            )
    drawing.add(
        Rect(
            0,
            0,
            width,
            height,
            fillColor=None,
            strokeColor=colors.HexColor("#999999"),
            strokeWidth=0.5,
        )
    )
    return drawing

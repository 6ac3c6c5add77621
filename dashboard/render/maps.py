"""Maps as `pydeck.Deck` objects that need no internet.

The map draws the areas themselves in RD New metres in an OrthographicView: no base map, no
tiles, no map style. (With a MapView, Streamlit fills in a Carto style URL even when
`map_style=None`; with an OrthographicView it does not.) RD New is a true-to-scale projection
for the Netherlands, so nothing needs converting for display.
"""

from __future__ import annotations

import json
import math
import re

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely

from dashboard.domain.classify import hex_to_rgb
from dashboard.domain.labels import LINE_HEIGHT

RD_NEW = "EPSG:28992"
MAP_WIDTH_PX, MAP_HEIGHT_PX = 1100, 640
LABEL_PX = 16  # the size of the area names on a map, in pixels
TOLERANCE_M = {"buurt": 5.0, "wijk": 10.0, "context": 100.0, "gemeente": 100.0, "land": 250.0}
# pydeck turns plain strings into accessor expressions ("pixels" -> a function); literal
# string props must be wrapped.
PIXELS = pdk.types.String("pixels")


def shapes_from_wkb(df: pd.DataFrame, level: str) -> gpd.GeoDataFrame:
    """Geometries for display: simplified once, in metres, keeping shared borders matched."""
    if df.empty:
        return gpd.GeoDataFrame({"area_code": []}, geometry=[], crs=RD_NEW)
    geoms = shapely.from_wkb(df["wkb"].tolist())
    gdf = gpd.GeoDataFrame({"area_code": df["area_code"].tolist()}, geometry=geoms, crs=RD_NEW)
    gdf["geometry"] = gdf.geometry.simplify_coverage(TOLERANCE_M.get(level, 10.0))
    return gdf


def _rings(geom) -> list[list[list[list[float]]]]:
    """Polygon parts as lists of rings of [x, y], rounded to whole metres."""
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for part in parts:
        rings = [part.exterior, *part.interiors]
        out.append([[[round(x), round(y)] for x, y in ring.coords] for ring in rings])
    return out


def polygon_records(gdf: gpd.GeoDataFrame, attrs: pd.DataFrame | None = None) -> list[dict]:
    """One record per polygon part, with the attributes of its area."""
    table = gdf if attrs is None else gdf.merge(attrs, on="area_code", how="left")
    records = []
    for row in table.itertuples(index=False):
        base = {k: v for k, v in row._asdict().items() if k != "geometry"}
        for rings in _rings(row.geometry):
            records.append({**base, "polygon": rings})
    return records


WIJK_NUMBER = re.compile(r"^Wijk \d+\s+")


def label_records(gdf: gpd.GeoDataFrame, names: dict[str, str]) -> list[dict]:
    """Label positions inside each area (point on surface of its largest part).

    A leading CBS wijk number ("Wijk 04 Groot Driene") is left off the label to keep it short;
    the full name is in the tooltip and tables.
    """
    out = []
    for code, geom in zip(gdf["area_code"], gdf.geometry, strict=True):
        largest = (
            max(geom.geoms, key=lambda g: g.area) if geom.geom_type == "MultiPolygon" else geom
        )
        point = largest.point_on_surface()
        label = WIJK_NUMBER.sub("", names.get(code, code)) or code
        out.append({"name": label, "position": [round(point.x), round(point.y)]})
    return out


def fit_view(
    gdf: gpd.GeoDataFrame,
    width_px: int = MAP_WIDTH_PX,
    height_px: int = MAP_HEIGHT_PX,
    margin: float = 1.08,
) -> dict:
    """Target and zoom of an OrthographicView that shows all of `gdf`."""
    minx, miny, maxx, maxy = gdf.total_bounds
    scale = min(
        width_px / max((maxx - minx) * margin, 1.0), height_px / max((maxy - miny) * margin, 1.0)
    )
    return {"target": [(minx + maxx) / 2, (miny + maxy) / 2, 0], "zoom": math.log2(scale)}


def tooltip_fields(name: str, code: str, value_text: str, period: str, source: str) -> dict:
    """Tooltip text, as plain strings. Streamlit's deck.gl chart HTML-escapes every field it
    puts into the `html` template, so escaping here too showed "&#x27;t Wilbert"."""
    return {
        "t_name": str(name),
        "t_code": str(code),
        "t_value": str(value_text),
        "t_period": str(period),
        "t_source": str(source),
    }


TOOLTIP = {
    "html": "<b>{t_name}</b> ({t_code})<br/>{t_value}<br/>{t_period} · {t_source}",
    "style": {
        "backgroundColor": "#111111",
        "color": "#ffffff",
        "fontSize": "16px",
        "padding": "8px",
    },
}


class CompactDeck(pdk.Deck):
    """A Deck serialised without indentation: pydeck pretty-prints, which quadruples the bytes
    Streamlit sends to the browser."""

    def to_json(self) -> str:
        # Computed once: a cached deck is sent on every rerun without serialising it again.
        if getattr(self, "_compact_json", None) is None:
            self._compact_json = json.dumps(json.loads(super().to_json()), separators=(",", ":"))
        return self._compact_json


MAIN_KEYS = (
    "area_code",
    "polygon",
    "fill_rgba",
    "line_rgba",
    "t_name",
    "t_code",
    "t_value",
    "t_period",
    "t_source",
)


def choropleth(
    main: list[dict],
    labels: list[dict],
    context: list[list[dict]],
    view: dict,
    label_size: int = LABEL_PX,
    outline: list[dict] | None = None,
    hatching: list[dict] | None = None,
) -> pdk.Deck:
    """A deck with quiet context layers, the coloured areas, an optional heavier outline of
    the wijken (on a buurt map) and name labels.

    `main` records carry `polygon`, `fill` (hex), `dashed` (bool) and the tooltip fields.
    """
    for rec in main:
        rec["fill_rgba"] = hex_to_rgb(rec["fill"], 235)
        rec["line_rgba"] = [90, 90, 90, 255] if rec.get("dashed") else [40, 40, 40, 255]
    main = [{k: rec[k] for k in MAIN_KEYS if k in rec} for rec in main]
    context = [[{"polygon": rec["polygon"]} for rec in records] for records in context]
    outline = [{"polygon": rec["polygon"]} for rec in outline or []]
    layers = [
        pdk.Layer(
            "PolygonLayer",
            id=f"context-{i}",
            data=records,
            get_polygon="polygon",
            filled=True,
            get_fill_color=[236, 236, 236, 255] if i == 0 else [0, 0, 0, 0],
            stroked=True,
            get_line_color=[150, 150, 150, 255],
            line_width_units=PIXELS,
            get_line_width=1 + (i == 0),
            line_width_min_pixels=1,
            pickable=False,
        )
        for i, records in enumerate(context)
        if records
    ]
    layers.append(
        pdk.Layer(
            "PolygonLayer",
            id="gebieden",
            data=main,
            get_polygon="polygon",
            get_fill_color="fill_rgba",
            get_line_color="line_rgba",
            line_width_units=PIXELS,
            get_line_width=1.5,
            line_width_min_pixels=1,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
            highlight_color=[0, 114, 178, 120],
        )
    )
    if hatching:
        # Dark lines on a white edge: the hatching reads on the lightest and darkest class.
        layers += [
            pdk.Layer(
                "PathLayer",
                id=layer_id,
                data=hatching,
                get_path="path",
                get_color=colour,
                width_units=PIXELS,
                get_width=width,
                width_min_pixels=1,
                pickable=False,
            )
            for layer_id, colour, width in (
                ("markering-rand", [255, 255, 255, 200], 3.4),
                ("markering", "rgba", 1.6),
            )
        ]
    if outline:
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                id="wijkgrenzen",
                data=outline,
                get_polygon="polygon",
                filled=False,
                stroked=True,
                get_line_color=[17, 17, 17, 255],
                line_width_units=PIXELS,
                get_line_width=3,
                line_width_min_pixels=2,
                pickable=False,
            )
        )
    layers.append(
        pdk.Layer(
            "TextLayer",
            id="namen",
            data=labels,
            get_position="position",
            get_text="name",
            get_size=label_size,
            size_units=PIXELS,
            get_color=[17, 17, 17, 255],
            font_family=pdk.types.String("Source Sans Pro, Arial, sans-serif"),
            font_weight=600,
            font_settings={"sdf": True},
            outline_width=4,
            outline_color=[255, 255, 255, 255],
            get_text_anchor=pdk.types.String("middle"),
            get_alignment_baseline=pdk.types.String("center"),
            line_height=LINE_HEIGHT,
            pickable=False,
            # pdk.types.String: a plain string would be read as an accessor expression.
            character_set=pdk.types.String("auto"),
        )
    )
    return CompactDeck(
        layers=layers,
        views=[pdk.View(type="OrthographicView", controller=True, flipY=False)],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,
        map_style=None,
        tooltip=TOOLTIP,
    )

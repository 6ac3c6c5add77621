"""A choropleth deck drawn as one SVG document, for the overview screens.

The deck (`maps.choropleth`) stays the one description of a map: its layers, colours, hatching,
wijk outlines and placed labels, with the colours and widths read from the layers' properties.
This module draws the same layers as SVG, framed as the deck's OrthographicView frames them on
a canvas of `width` x `height` pixels. An SVG needs no WebGL and none of the 3 MB deck.gl
bundle: the Veiligheidsbeeld's map is on screen as soon as the page is (see bench/browser.py).
Every text from data is escaped here.
"""

from __future__ import annotations

from html import escape

import pydeck as pdk
import shapely

from dashboard.domain.labels import LINE_HEIGHT


def _rgb(rgba) -> tuple[str, float]:
    """CSS colour and opacity of a deck colour [r, g, b(, a)]."""
    r, g, b, a = (list(rgba) + [255])[:4]
    return f"rgb({int(r)},{int(g)},{int(b)})", round(a / 255, 3)


def _colour(layer, prop: str, rec: dict | None = None) -> tuple[str, float]:
    """A colour property of a deck layer: a constant [r, g, b, a], or the name of the record
    field that holds it (a deck accessor such as "fill_rgba")."""
    value = getattr(layer, prop)
    if isinstance(value, str):  # pydeck stores an accessor as "@@=field"
        return _rgb(rec[value.removeprefix("@@=")])
    return _rgb(value)


def _rel(points, frame, close: bool, unit: float = 1.0) -> str:
    """Path data of one ring or line in whole `unit`s (metres) from the frame's top left (y
    downwards), as relative steps: a third of the bytes of absolute coordinates. Points that
    fall on the same unit as the one before are left out, and so is a ring within one unit."""
    x0, y1 = frame
    pts = [(round((x - x0) / unit), round((y1 - y) / unit)) for x, y in points]
    (px, py), steps = pts[0], []
    for x, y in pts[1:]:
        if (x, y) != (px, py):
            steps.append(f"{x - px} {y - py}")
            px, py = x, y
    if len(steps) < (2 if close else 1):
        return ""  # smaller than a unit: nothing to draw (and "M x yl" would end the path data)
    return f"M{pts[0][0]} {pts[0][1]}l" + " ".join(steps) + ("z" if close else "")


def _path(rings, frame, unit: float = 1.0) -> str:
    """SVG path data of one polygon part (its rings in metres)."""
    return "".join(_rel(ring, frame, True, unit) for ring in rings)


def _clipped(records, box) -> list:
    """Rings of the polygons in `records` cut to `box` (the frame, in metres): the context
    beyond the frame is never seen, and was 80% of the bytes."""
    out = []
    for rec in records:
        shell, *holes = rec["polygon"]
        part = shapely.clip_by_rect(shapely.Polygon(shell, holes).buffer(0), *box)
        for poly in getattr(part, "geoms", [part]):
            if poly.geom_type == "Polygon" and not poly.is_empty:
                out.append([list(poly.exterior.coords), *(list(r.coords) for r in poly.interiors)])
    return out


def _text(label: str, x: float, y: float, size: float) -> str:
    lines = str(label).split("\n")
    first = -(len(lines) - 1) / 2 * LINE_HEIGHT
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{(first if i == 0 else LINE_HEIGHT):.2f}em">{escape(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size:.1f}" dominant-baseline="central">'
        f"{spans}</text>"
    )


def _tooltip(rec: dict) -> str:
    head = f"{rec.get('t_name', '')} ({rec.get('t_code', '')})"
    tail = " · ".join(str(rec[k]) for k in ("t_period", "t_source") if rec.get(k))
    return "\n".join(t for t in (head, str(rec.get("t_value", "")), tail) if t.strip())


def svg(
    deck: pdk.Deck,
    width: int,
    height: int,
    label: str,
    choose: bool = True,
    per_px: int | None = None,
) -> str:
    """The deck as an SVG of `width` x `height` pixels (it scales with its column): context in
    grey, the areas coloured, each with a tooltip (`<title>`) and `data-code`, then the
    hatching, the wijk outlines and the labels. `label` names the map for screen readers; with
    `choose` every area is a button (a tab stop with its name and figure read out); without, the
    map is one image and `label` its text alternative. The drawing's unit is a whole metre, or
    with `per_px` that part of a pixel at the full size (a national map: some 250 m), for a map
    that is not zoomed: its paths then hold no detail the screen cannot show."""
    view = deck.initial_view_state
    scale = 2.0**view.zoom  # pixels per metre
    tx, ty = view.target[0], view.target[1]
    w_m, h_m = width / scale, height / scale
    frame = (tx - w_m / 2, ty + h_m / 2)  # left and top, in metres
    pad = 10 / scale  # ten pixels, in metres
    box = (frame[0] - pad, frame[1] - h_m - pad, frame[0] + w_m + pad, frame[1] + pad)
    unit = 1 / scale / per_px if per_px else 1.0  # metres per unit of the drawing
    px = 1 / scale / unit  # one pixel in units of the drawing
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w_m / unit:.0f} {h_m / unit:.0f}" '
        f'width="100%" style="max-width:{width}px;display:block" '
        f'role="{"group" if choose else "img"}" '
        f'aria-label="{escape(label)}">'
    ]
    for layer in deck.layers:
        lid, data = layer.id, layer.data or []
        if lid.startswith("context"):
            fill, fill_opacity = _colour(layer, "get_fill_color")
            fill = fill if fill_opacity else "none"  # and no target for the pointer
            stroke, _ = _colour(layer, "get_line_color")
            d = "".join(_path(rings, frame, unit) for rings in _clipped(data, box))
            out.append(
                f'<path d="{d}" fill="{fill}" fill-opacity="{fill_opacity}" stroke="{stroke}" '
                f'stroke-width="{layer.get_line_width * px:.1f}" fill-rule="evenodd"/>'
            )
        elif lid == "gebieden":
            out.append(f'<g class="gebieden" stroke-width="{layer.get_line_width * px:.1f}">')
            parts: dict[str, list[dict]] = {}  # one path (one tab stop) per area
            for rec in data:
                parts.setdefault(str(rec["area_code"]), []).append(rec)
            for recs in parts.values():
                rec = recs[0]
                fill, opacity = _colour(layer, "get_fill_color", rec)
                stroke, _ = _colour(layer, "get_line_color", rec)
                name = escape(f"{rec.get('t_name', '')}: {rec.get('t_value', '')}")
                d = "".join(_path(r["polygon"], frame, unit) for r in recs)
                # A button each, or (a map only to look at) one image: the svg's label.
                button = f'role="button" tabindex="0" aria-label="{name}" ' if choose else ""
                out.append(
                    f'<path class="gebied" data-code="{escape(str(rec["area_code"]))}" '
                    f'{button}d="{d}" fill="{fill}" fill-opacity="{opacity}" '
                    f'stroke="{stroke}" fill-rule="evenodd">'
                    f"<title>{escape(_tooltip(rec))}</title></path>"
                )
            out.append("</g>")
        elif lid in ("markering-rand", "markering"):
            for rec in data:
                colour, opacity = _colour(layer, "get_color", rec)
                d = _rel(rec["path"], frame, False, unit)
                out.append(
                    f'<path d="{d}" fill="none" stroke="{colour}" '
                    f'stroke-opacity="{opacity}" stroke-width="{layer.get_width * px:.1f}" '
                    f'pointer-events="none"/>'
                )
        elif lid == "wijkgrenzen":
            d = "".join(_path(rec["polygon"], frame, unit) for rec in data)
            stroke, _ = _colour(layer, "get_line_color")
            out.append(
                f'<path d="{d}" fill="none" stroke="{stroke}" '
                f'stroke-width="{layer.get_line_width * px:.1f}" pointer-events="none"/>'
            )
        elif lid == "namen" and data:
            size = float(layer.get_size) * px
            fill, _ = _colour(layer, "get_color")
            halo, _ = _colour(layer, "outline_color")
            out.append(
                f'<g fill="{fill}" font-weight="{layer.font_weight}" text-anchor="middle" '
                f'stroke="{halo}" stroke-width="{layer.outline_width * px:.1f}" '
                f'paint-order="stroke" '
                f'stroke-linejoin="round" pointer-events="none" aria-hidden="true">'
            )
            x0, y1 = frame
            for rec in data:
                x, y = (rec["position"][0] - x0) / unit, (y1 - rec["position"][1]) / unit
                out.append(_text(rec["name"], x, y, size))
            out.append("</g>")
    out.append("</svg>")
    return "".join(out)

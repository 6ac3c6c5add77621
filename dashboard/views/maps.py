"""Map view-models: what a map shows, built from the store and drawn with `render.maps`.

`base_layers` is the geometry of a gemeente's wijken or buurten with its context (simplified
once per data release); `kaart_view` colours them for one indicator and year; `locator_deck`
shows where one area lies; `group_map` is the national map of a comparison group. The web
layer caches each per data version; the page, the slide and the PDF use the same results.
"""

from __future__ import annotations

import pandas as pd

from dashboard.domain import marks as mapmarks
from dashboard.domain import wijkbeeld
from dashboard.render import maps, marks
from dashboard.store import queries


def base_layers(engine, gemeente: str, level: str) -> dict:
    """Simplified shapes of the gemeente's wijken or buurten and the quiet Twente context,
    computed once per data version (an import changes the version, so no restart is needed).

    Names are labelled per wijk: 62 buurt names cannot be read on a projector, so a buurt
    map shows the wijk names and borders on top, and buurt names in the tooltip and table.
    """
    areas = queries.areas(engine, level, gemeente)
    main = maps.shapes_from_wkb(queries.geometries(engine, areas["code"].tolist()), level)
    wijken = areas if level == "wijk" else queries.areas(engine, "wijk", gemeente)
    wijk_shapes = (
        main
        if level == "wijk"
        else maps.shapes_from_wkb(queries.geometries(engine, wijken["code"].tolist()), "wijk")
    )
    ctx_codes = queries.context_codes(engine, gemeente)
    ctx_gm = maps.shapes_from_wkb(queries.geometries(engine, ctx_codes["gemeenten"]), "gemeente")
    ctx_wk = maps.shapes_from_wkb(queries.geometries(engine, ctx_codes["wijken"]), "context")
    return {
        "main": main,
        "labels": maps.label_records(
            wijk_shapes, dict(zip(wijken["code"], wijken["name"], strict=True))
        ),
        "label_shapes": wijk_shapes,
        "label_names": dict(zip(wijken["code"], wijken["name"], strict=True)),
        "outline": [] if level == "wijk" else maps.polygon_records(wijk_shapes),
        "context": [maps.polygon_records(ctx_gm), maps.polygon_records(ctx_wk)],
        "view": maps.fit_view(main) if not main.empty else None,
        "areas": areas,
    }


def with_tooltips(frame: pd.DataFrame, period: str, source_text: str) -> pd.DataFrame:
    """The frame with the tooltip fields of each area (text escaped once, in `render.maps`)."""
    return frame.join(
        frame.apply(
            lambda r: maps.tooltip_fields(
                r["name"], r["area_code"], r.get("text", ""), period, source_text
            ),
            axis=1,
            result_type="expand",
        )
    )


def group_map(engine, indicator_id: str, period: str, gemeente: str, group: str):
    """National map of the group's gemeenten coloured by the indicator, the gemeente outlined."""
    geo = queries.gemeente_geometries(engine, int(period[:4]))
    if geo.empty:
        return None
    shapes = maps.shapes_from_wkb(geo, "land")
    members = set(queries.group_members(engine, group)) | {gemeente}
    names = queries.gemeente_names(engine)
    meta = queries.indicator_meta(engine, indicator_id)
    values = queries.group_values(engine, [indicator_id], sorted(members), [period])
    inside = shapes[shapes["area_code"].isin(members)]
    areas = pd.DataFrame(
        {"code": inside["area_code"], "name": [names.get(c, c) for c in inside["area_code"]]}
    )
    shaded, _legend = wijkbeeld.shade(values.drop(columns=["indicator_id", "period"]), areas, meta)
    source = queries.source_of(engine, indicator_id)
    shaded = with_tooltips(shaded, period, f"{source['owner']} {source['table']}")
    outside = shapes[~shapes["area_code"].isin(members)]
    own = shapes[shapes["area_code"] == gemeente]
    return maps.choropleth(
        maps.polygon_records(inside, shaded),
        [],
        [maps.polygon_records(outside)],
        maps.fit_view(inside, 640, 400),
        outline=maps.polygon_records(own),
    )


def kaart_view(
    engine,
    base: dict,
    gemeente: str,
    niveau: str,
    indicator: str,
    jaar: str,
    size: tuple[int, int] | None = None,
) -> dict:
    """Everything the Kaart page draws for one selection, built once per data version: the
    coloured areas, the legend and the deck (whose JSON is then serialised only once; None
    when the areas have no borders in the database)."""
    options = queries.level_options(engine, niveau, gemeente).set_index("id")
    meta = {"id": indicator, **options.loc[indicator].to_dict()}
    source = queries.source_of(engine, indicator)
    values = queries.level_values(engine, indicator, jaar, niveau, gemeente)
    shaded, legend_spec = wijkbeeld.shade(values, base["areas"], meta)
    shaded = with_tooltips(shaded, jaar, f"{source['owner']} {source['table']}".strip())
    deck = draw(base, shaded, legend_spec, size)
    return {"meta": meta, "source": source, "shaded": shaded, "legend": legend_spec, "deck": deck}


def draw(base: dict, shaded, legend_spec: dict, size=None, status=None):
    """The deck of a choropleth (None without borders): its labels placed without overlap, the
    areas whose figure is uncertain hatched (`status`: area_code -> status, default the shaded
    frame's own). Adds the marks and the key of numbered labels to `legend_spec`."""
    status = status or dict(zip(shaded["area_code"], shaded["status"], strict=True))
    legend_spec["marks"] = mapmarks.legend(list(status.values()))
    legend_spec["key"] = []
    if base["main"].empty:
        return None
    view = maps.fit_view(base["main"], *size) if size else base["view"]
    labels, legend_spec["key"], _placed = marks.screen_labels(
        base["label_shapes"],
        base["label_names"],
        view,
        size or (maps.MAP_WIDTH_PX, maps.MAP_HEIGHT_PX),
        maps.LABEL_PX,
    )
    return maps.choropleth(
        maps.polygon_records(base["main"], shaded),
        labels,
        base["context"],
        view,
        outline=base["outline"],
        hatching=marks.hatch_records(base["main"], mapmarks.marked(status), view["zoom"]),
    )


def locator_deck(base: dict, code: str):
    """A small map that shows where one wijk or buurt lies in the gemeente (None without
    borders)."""
    if base["main"].empty:
        return None
    frame = base["areas"].rename(columns={"code": "area_code"})[["area_code", "name"]]
    frame["fill"] = ["#0072B2" if c == code else "#f2f2f2" for c in frame["area_code"]]
    frame["dashed"] = False
    frame = with_tooltips(frame, "", "")
    return maps.choropleth(
        maps.polygon_records(base["main"], frame),
        [],
        base["context"][:1],
        maps.fit_view(base["main"], 520, 330),
        outline=base["outline"],
    )

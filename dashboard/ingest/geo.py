"""Geometries: read with CRS discipline, store in RD New (EPSG:28992), convert only for display."""

from __future__ import annotations

import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, delete, insert, select

from dashboard.domain.parsing import clean_code, is_area_code, level_of, parent_of
from dashboard.errors import Collector
from dashboard.ingest.batch import Batch
from dashboard.ingest.readers import checksum
from dashboard.store.schema import area, geometry

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
MAX_FEATURES = 50_000
MAX_VERTICES = 5_000_000
CODE_COLUMNS = [
    "statcode",
    "buurtcode",
    "wijkcode",
    "gemeentecode",
    "regiocode",
    "code",
    "bu_code",
    "wk_code",
    "gm_code",
]
NAME_COLUMNS = [
    "statnaam",
    "buurtnaam",
    "wijknaam",
    "gemeentenaam",
    "naam",
    "name",
    "bu_naam",
    "wk_naam",
    "gm_naam",
    "regionaam",
]
NAME_FOR_LEVEL = {
    "buurt": ["buurtnaam", "bu_naam"],
    "wijk": ["wijknaam", "wk_naam"],
    "gemeente": ["gemeentenaam", "gm_naam"],
}
MAX_AREA_CHANGE = 0.01  # make_valid may change the area by at most 1 %


def _pick_column(columns, candidates, values_ok) -> str | None:
    low = {c.lower(): c for c in columns}
    for cand in candidates:
        if cand in low and values_ok(low[cand]):
            return low[cand]
    return None


def repair(geom):
    """Repair an invalid (multi)polygon if that changes its area by at most 1 %, else None.

    Degenerate rings (fewer than 3 distinct points: zero-area slivers) are dropped first;
    then `make_valid` resolves
    self-touching and self-intersecting rings; only polygonal parts are kept.
    """
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    cleaned = []
    for part in parts:
        if len(set(part.exterior.coords)) < 3:
            continue
        holes = [h.coords for h in part.interiors if len(set(h.coords)) >= 3]
        cleaned.append(shapely.Polygon(part.exterior.coords, holes))
    if not cleaned:
        return None
    candidate = shapely.MultiPolygon(cleaned)
    reference = sum(
        abs(shapely.Polygon(p.exterior.coords).area)
        - sum(abs(shapely.Polygon(h.coords).area) for h in p.interiors)
        for p in cleaned
    )
    fixed = shapely.make_valid(candidate)
    polys = [p for p in shapely.get_parts(fixed) if p.geom_type == "Polygon"]
    fixed = shapely.MultiPolygon(polys) if polys else None
    if fixed is None or fixed.is_empty or not fixed.is_valid:
        return None
    if abs(fixed.area - reference) > MAX_AREA_CHANGE * max(reference, 1.0):
        return None
    return fixed


def read_geo(
    path: Path, name: str, indeling: int | None = None, exclude: tuple[str, ...] = ()
) -> Batch:
    problems = Collector(name)
    data = path.read_bytes() if path.is_file() else b""
    batch = Batch(file_name=name, checksum=checksum(data), file_format=f"geo-{path.suffix[1:]}")
    if path.suffix.lower() in (".geojson", ".json") and len(data) < 3:
        problems.add("het bestand is leeg")
        problems.raise_if_any()
    try:
        gdf = gpd.read_file(path)
    except Exception:  # noqa: BLE001 - pyogrio/GDAL raise many types, with English text
        problems.add(
            "geen leesbaar geografisch bestand; verwacht GeoJSON, GeoPackage of een "
            "gezipte Shapefile"
        )
        problems.raise_if_any()
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf.columns:
        problems.add("het bestand bevat geen geometrie; verwacht gebiedsgrenzen")
        problems.raise_if_any()
    if len(gdf) > MAX_FEATURES:
        problems.add(f"{len(gdf)} objecten; verwacht hooguit {MAX_FEATURES}")
        problems.raise_if_any()
    bounds = gdf.total_bounds if not gdf.empty else [0, 0, 0, 0]
    if gdf.crs is not None and gdf.crs.to_epsg() == 4326 and all(map(math.isfinite, bounds)):
        minx, miny, maxx, maxy = bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problems.add(
                "de coördinaten zijn geen lengte- en breedtegraden; het bestand lijkt "
                "in RD New (meters) zonder opgegeven coördinatenstelsel. Voeg de CRS "
                "toe (EPSG:28992) of lever WGS84"
            )
            problems.raise_if_any()
    if gdf.crs is None:
        problems.add(
            "het bestand heeft geen coördinatenstelsel (CRS); verwacht RD New "
            "(EPSG:28992) of WGS84 (EPSG:4326)"
        )
    elif gdf.crs.to_epsg() not in (28992, 4326):
        problems.add(
            f"coördinatenstelsel {gdf.crs.to_string()} wordt niet ondersteund; verwacht "
            "RD New (EPSG:28992) of WGS84 (EPSG:4326)"
        )
    if len(gdf) > MAX_FEATURES:
        problems.add(f"{len(gdf)} objecten; verwacht hooguit {MAX_FEATURES}")
    problems.raise_if_any()
    if gdf.empty:
        problems.add("het bestand bevat geen objecten")
        problems.raise_if_any()
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    if vertices > MAX_VERTICES:
        problems.add(f"{vertices} hoekpunten; verwacht hooguit {MAX_VERTICES}")
        problems.raise_if_any()

    code_col = _pick_column(
        gdf.columns, CODE_COLUMNS, lambda c: gdf[c].astype(str).map(is_area_code).all()
    )
    if code_col is None:
        problems.add(
            "geen kolom met CBS-gebiedscodes (GM/WK/BU) gevonden; verwacht bijvoorbeeld "
            "'statcode' of 'buurtcode' met codes als BU01640000",
            row=2,
        )
        problems.raise_if_any()
    codes = gdf[code_col].astype(str).map(clean_code)
    if exclude:
        keep = ~codes.isin(exclude)
        batch.skipped = int((~keep).sum())
        if batch.skipped:
            batch.notices.append(
                f"{batch.skipped} object(en) uitgesloten volgens het manifest: "
                + ", ".join(sorted(set(codes[~keep])))
            )
        gdf, codes = gdf[keep].reset_index(drop=True), codes[keep].reset_index(drop=True)
    levels = codes.map(level_of)
    level = levels.iloc[0]
    name_col = _pick_column(
        gdf.columns, NAME_FOR_LEVEL.get(level, []) + NAME_COLUMNS, lambda c: True
    )
    if indeling is None:
        years = pd.to_numeric(gdf["jaar"], errors="coerce") if "jaar" in gdf.columns else None
        if years is not None and years.isna().any():
            bad = int(years.isna().to_numpy().nonzero()[0][0]) + 1
            problems.add(f"'{gdf['jaar'].iloc[bad - 1]}' is geen jaartal", row=bad, column="jaar")
            problems.raise_if_any()
        if years is not None and not years.empty:
            indeling = int(years.iloc[0])
        else:
            m = re.search(r"(19|20)\d{2}", name)
            indeling = int(m.group(0)) if m else None
    if indeling is None:
        problems.add(
            "het jaar van de gebiedsindeling is onbekend; zet een kolom 'jaar' in het "
            "bestand of een jaartal in de bestandsnaam"
        )
    seen: dict[str, int] = {}
    for i, (code, lvl) in enumerate(zip(codes, levels, strict=True)):
        row = i + 1
        if lvl != level:
            problems.add(
                f"gebied {code} is een {lvl}, de rest van het bestand een {level}; één "
                "niveau per bestand",
                row=row,
                column=code_col,
            )
        if code in seen:
            problems.add(
                f"gebiedscode {code} komt dubbel voor (ook object {seen[code]})",
                row=row,
                column=code_col,
            )
        seen.setdefault(code, row)
        if name_col is None or not str(gdf[name_col].iloc[i] or "").strip():
            problems.add("naam ontbreekt", row=row, column=name_col or "naam")
    gdf = gdf.to_crs(RD_NEW) if gdf.crs.to_epsg() != 28992 else gdf
    geoms = []
    for i, geom in enumerate(gdf.geometry.values):
        row = i + 1
        if geom is None or geom.is_empty:
            problems.add("geometrie ontbreekt of is leeg", row=row, column="geometry")
            geoms.append(None)
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.add(
                f"geometrie is een {geom.geom_type}; verwacht een (multi)polygoon",
                row=row,
                column="geometry",
            )
            geoms.append(None)
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            fixed = repair(geom)
            if fixed is None:
                problems.add(
                    f"ongeldige geometrie ({reason}) die niet zonder vormverlies te herstellen is",
                    row=row,
                    column="geometry",
                )
                geoms.append(None)
                continue
            batch.notices.append(
                f"object {row} ({codes.iloc[i]}): ongeldige geometrie hersteld ({reason})"
            )
            geom = fixed
        geoms.append(geom)
    problems.raise_if_any()
    names = gdf[name_col].astype(str).str.strip()
    batch.geo = gpd.GeoDataFrame(
        {
            "code": codes.values,
            "name": names.values,
            "level": levels.values,
            "parent_code": [parent_of(c) for c in codes],
        },
        geometry=geoms,
        crs=RD_NEW,
    )
    batch.indeling = indeling
    return batch


def validate_parents(conn: Connection, batch: Batch, problems: Collector) -> list[dict]:
    """Wijken need their gemeente, buurten their wijk, in the database or in this file."""
    known = {r.code for r in conn.execute(select(area.c.code))}
    here = set(batch.geo["code"])
    rows = []
    for i, rec in enumerate(batch.geo.itertuples(index=False), start=1):
        parent = rec.parent_code
        if parent and parent not in known and parent not in here:
            kind = "wijk" if parent.startswith("WK") else "gemeente"
            problems.add(
                f"{rec.code} hoort bij {kind} {parent}, die niet in de database staat; "
                f"importeer eerst de {kind}grenzen",
                row=i,
                column="code",
            )
        rows.append(
            {
                "code": rec.code,
                "name": rec.name,
                "level": rec.level,
                "parent_code": parent,
                "geom": rec.geometry,
            }
        )
    return rows


def write(conn: Connection, batch: Batch, rows: list[dict], release_id: int) -> None:
    codes = [r["code"] for r in rows]
    year = batch.indeling
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        conn.execute(
            delete(geometry).where(geometry.c.indeling == year, geometry.c.area_code.in_(chunk))
        )
        conn.execute(delete(area).where(area.c.indeling == year, area.c.code.in_(chunk)))
    conn.execute(
        insert(area),
        [
            {
                "code": r["code"],
                "indeling": year,
                "name": r["name"],
                "level": r["level"],
                "parent_code": r["parent_code"],
                "release_id": release_id,
            }
            for r in rows
        ],
    )
    conn.execute(
        insert(geometry),
        [
            {
                "area_code": r["code"],
                "indeling": year,
                "wkb": shapely.to_wkb(r["geom"]),
                "crs": RD_NEW,
                "release_id": release_id,
            }
            for r in rows
        ],
    )

"""Geometries: read with CRS discipline, store in RD New (EPSG:28992), convert only for display."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from sqlalchemy import Connection, delete, insert, select

from dashboard.domain.parsing import (
    ParseError,
    check_text,
    clean_code,
    is_area_code,
    level_of,
    parent_of,
    parse_year,
)
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
# Checked before GDAL reads a zip: its unpacked size and how much it was compressed (a zip bomb
# unpacks a few kB into gigabytes; a shapefile compresses some 2 to 10 times).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MIN_BYTES_FOR_RATIO = 1024 * 1024  # a small file may compress well without harm
# RD New (EPSG:28992) covers the Netherlands with its coastal zone: EPSG's area of use in
# metres, rounded outward. Coordinates outside it are not RD New, whatever the file says.
RD_NEW_X = (0.0, 310_000.0)
RD_NEW_Y = (280_000.0, 640_000.0)


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


UNREADABLE = (
    "geen leesbaar geografisch bestand; verwacht GeoJSON, GeoPackage of een gezipte Shapefile"
)


def _check_zip(path: Path, problems: Collector) -> None:
    """Refuse a zip bomb from its directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: GDAL's read gives the usual message
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > MAX_UNZIPPED_BYTES:
        problems.add(
            f"het zipbestand pakt uit tot {unpacked // 2**20} MB; verwacht hooguit "
            f"{MAX_UNZIPPED_BYTES // 2**20} MB"
        )
    elif unpacked > MIN_BYTES_FOR_RATIO and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        problems.add(
            f"het zipbestand is {unpacked // max(packed, 1)} keer gecomprimeerd; verwacht hooguit "
            f"{MAX_COMPRESSION_RATIO} keer (dit lijkt een zipbom)"
        )
    problems.raise_if_any()


def _precheck(path: Path, problems: Collector) -> None:
    """Cheap refusals from the file's metadata, before GDAL reads every feature: the unpacked
    size of a zip, the number of features, and RD New coordinates that are no RD New."""
    if path.suffix.lower() == ".zip":
        _check_zip(path, problems)
    try:
        info = pyogrio.read_info(path, force_total_bounds=True)
    except Exception:  # noqa: BLE001 - pyogrio/GDAL raise many types, with English text
        problems.add(UNREADABLE)
        problems.raise_if_any()
    features = info.get("features", -1)
    if features is not None and features > MAX_FEATURES:
        problems.add(f"{features} objecten; verwacht hooguit {MAX_FEATURES}")
        problems.raise_if_any()
    crs = info.get("crs") or ""
    bounds = info.get("total_bounds")
    if crs != RD_NEW or bounds is None or not all(map(math.isfinite, bounds)):
        return
    minx, miny, maxx, maxy = bounds
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        problems.add(
            f"het bestand geeft coördinatenstelsel RD New ({RD_NEW}) op, maar de coördinaten "
            "zijn lengte- en breedtegraden; geef WGS84 (EPSG:4326) op of lever RD New in meters"
        )
    elif not (
        RD_NEW_X[0] <= minx <= maxx <= RD_NEW_X[1] and RD_NEW_Y[0] <= miny <= maxy <= RD_NEW_Y[1]
    ):
        problems.add(
            f"het bestand geeft coördinatenstelsel RD New ({RD_NEW}) op, maar de coördinaten "
            f"(x {minx:.0f} tot {maxx:.0f}, y {miny:.0f} tot {maxy:.0f}) liggen buiten "
            f"Nederland (x {RD_NEW_X[0]:.0f} tot {RD_NEW_X[1]:.0f}, "
            f"y {RD_NEW_Y[0]:.0f} tot {RD_NEW_Y[1]:.0f} meter)"
        )
    problems.raise_if_any()


def read_geo(
    path: Path, name: str, indeling: int | None = None, exclude: tuple[str, ...] = ()
) -> Batch:
    problems = Collector(name)
    data = path.read_bytes() if path.is_file() else b""
    batch = Batch(file_name=name, checksum=checksum(data), file_format=f"geo-{path.suffix[1:]}")
    if path.suffix.lower() in (".geojson", ".json") and len(data) < 3:
        problems.add("het bestand is leeg")
        problems.raise_if_any()
    _precheck(path, problems)
    try:
        gdf = gpd.read_file(path)
    except Exception:  # noqa: BLE001 - pyogrio/GDAL raise many types, with English text
        problems.add(UNREADABLE)
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
        message = (
            "geen kolom met CBS-gebiedscodes (GM/WK/BU) gevonden; verwacht bijvoorbeeld "
            "'statcode' of 'buurtcode' met codes als BU01640000"
        )
        present = _pick_column(gdf.columns, CODE_COLUMNS, lambda c: True)
        values = gdf[present].astype(str).tolist() if present else []
        bad = next((i for i, v in enumerate(values) if not is_area_code(v)), None)
        if bad is None:
            problems.add(message, row=2)
        else:  # name the first value that is no code (such as 'GM０１６４', fullwidth digits)
            problems.add(
                f"{message}; '{values[bad]}' is geen CBS-gebiedscode (alleen de letters A-Z "
                "en de cijfers 0-9)",
                row=bad + 1,
                column=present,
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
        years = []
        for i, value in enumerate(gdf["jaar"] if "jaar" in gdf.columns else []):
            try:
                years.append(parse_year(value))
            except ParseError as exc:
                problems.add(str(exc), row=i + 1, column="jaar")
                problems.raise_if_any()
        if years:
            indeling = years[0]
        elif m := re.search(r"(19|20)[0-9]{2}", name):
            try:
                indeling = parse_year(m.group(0))
            except ParseError as exc:
                problems.add(f"jaartal in de bestandsnaam: {exc}")
                problems.raise_if_any()
    if indeling is None:
        problems.add(
            "het jaar van de gebiedsindeling is onbekend; zet een kolom 'jaar' in het "
            "bestand of een jaartal in de bestandsnaam"
        )
    seen: dict[str, int] = {}
    names: list[str] = []
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
        try:  # None, NaN and blanks are missing; 1 MB names are refused like in a CSV
            names.append(check_text(gdf[name_col].iloc[i] if name_col else None, what="naam"))
        except ParseError as exc:
            problems.add(str(exc), row=row, column=name_col or "naam")
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
    batch.geo = gpd.GeoDataFrame(
        {
            "code": codes.values,
            "name": names,
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

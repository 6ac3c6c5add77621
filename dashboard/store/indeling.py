"""The areas per indeling with the size of their polygon: read once per data version.

Measuring the 2,762 shipped polygons (3.4 MB of WKB) takes some 50 ms and finding what merged
into a changed gemeente another 100 ms; a page view asks several times, so the result is kept
per database and data version (`boundaries`), and a new import reads it again.
"""

from __future__ import annotations

import threading

import shapely
from sqlalchemy import Engine, select

from dashboard.domain.indeling import Boundaries, same_area
from dashboard.store.queries import data_version
from dashboard.store.schema import area, geometry

# Of a code that disappeared, at least this share of its polygon lies in the area it merged into.
MERGED_SHARE = 0.2
WHOLE_SHARE = 0.9  # less than this: "een deel van" the code
PART = "een deel van "
_lock = threading.Lock()
_memo: dict[tuple, Boundaries] = {}


def boundaries(engine: Engine) -> Boundaries:
    """`read_boundaries`, kept per database and data version."""
    key = (engine.url.render_as_string(hide_password=True), data_version(engine))
    with _lock:
        found = _memo.get(key)
    if found is None:
        found = read_boundaries(engine)
        with _lock:
            _memo.clear()  # one version per process is enough; older ones are stale
            _memo[key] = found
    return found


def read_boundaries(engine: Engine) -> Boundaries:
    """Every area per indeling, its polygon's size (m², RD New) and what merged into it."""
    with engine.connect() as conn:
        areas = conn.execute(select(area.c.code, area.c.indeling, area.c.name, area.c.level)).all()
        shapes = conn.execute(
            select(geometry.c.area_code, geometry.c.indeling, geometry.c.wkb)
        ).all()
    polygons = dict(
        zip(
            [(c, i) for c, i, _ in shapes],
            shapely.from_wkb([w for _, _, w in shapes]) if shapes else [],
            strict=True,
        )
    )
    sizes_of = dict(zip(polygons, shapely.area(list(polygons.values())), strict=True))
    bounds = Boundaries()
    shipped: dict[str, set[int]] = {}
    for code, indeling, name, level in sorted(areas, key=lambda r: r[1]):
        size = sizes_of.get((code, indeling))
        bounds.sizes.setdefault(code, {})[indeling] = None if size is None else float(size)
        # Wijken and buurten are shipped per gemeente: their indelingen are the gemeente's.
        group = f"{level} {code[2:6]}" if level in ("wijk", "buurt") else level
        bounds.levels[code] = group
        bounds.names[code] = name  # the latest name
        shipped.setdefault(group, set()).add(indeling)
    bounds.shipped = {group: sorted(years) for group, years in shipped.items()}
    bounds.merged = _merged(bounds, polygons)
    return bounds


def _merged(bounds: Boundaries, polygons: dict) -> dict[tuple[str, int], list[str]]:
    """Per (code, indeling) where the code's area grew: the names of the codes of the previous
    shipped indeling that are gone and lay for the most part inside it."""
    out: dict[tuple[str, int], list[str]] = {}
    for level, years in bounds.shipped.items():
        for before, after in zip(years, years[1:], strict=False):
            gone = [
                c
                for c, s in bounds.sizes.items()
                if bounds.levels[c] == level and before in s and after not in s
            ]
            gone = [c for c in gone if (c, before) in polygons]
            if not gone:
                continue
            tree = shapely.STRtree([polygons[(c, before)] for c in gone])
            for code, sizes in bounds.sizes.items():
                if bounds.levels[code] != level or (code, after) not in polygons:
                    continue
                if before not in sizes or same_area(sizes[before], sizes[after]):
                    continue
                shape = polygons[(code, after)]
                hits = [gone[i] for i in tree.query(shape, predicate="intersects")]
                names = []
                for c in hits:
                    share = shapely.area(shapely.intersection(polygons[(c, before)], shape))
                    share /= bounds.sizes[c][before]
                    if share >= MERGED_SHARE:
                        name = bounds.names.get(c, c)
                        names.append(name if share >= WHOLE_SHARE else f"{PART}{name}")
                if names:
                    out[(code, after)] = sorted(names, key=lambda n: n.removeprefix(PART))
    return out

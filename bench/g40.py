"""G40 scale: `python bench/g40.py [--repeat 7] [--db FILE]`.

Builds (or copies) the shipped database, and a benchmark copy at national scale: every
gemeente (the G4, G32, G40 and Twente are shipped already, with their shapes) plus the wijken
and buurten of the whole country. The buurt codes are CBS's own (85984NED, 2024); their names,
squares and values are SYNTHETIC, made for this benchmark only and named
"synthetisch (benchmark)" in that copy; nothing is written to data/. The values of each
synthetic buurt are those of a real Hengelo buurt times a random factor, so every indicator
and year a Hengelo buurt has, the country has too.

Then times the Veiligheidsbeeld, the Kaart (wijken and buurten) and the G32 page for one
gemeente (`--gemeente`, default GM0164) on both databases in the same run (AppTest, warm runs,
median, the two databases taken in turn) and prints the factor national/shipped (target
<= 1,5), and what the caches hold afterwards against their bounds (dashboard/web/cache.py).
Results also go to bench/results/g40.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from dashboard.store.schema import make_engine  # noqa: E402

LABEL = "synthetisch (benchmark)"
NATIONAL = ROOT / "data/bronnen/indicatoren/cbs_85984NED_inwoners_per_buurt_2024.csv"
INDELING = 2024
PAGES = [
    ("veiligheidsbeeld", "pages/veiligheidsbeeld.py", {}),
    ("kaart_wijk", "pages/kaart.py", {"niveau": "wijk"}),
    ("kaart_buurt", "pages/kaart.py", {"niveau": "buurt"}),
    ("g32", "pages/g32.py", {"vergelijking": "g32", "basisjaar": "2013", "jaar": "2017"}),
]


# ---------------------------------------------------------------- the national copy
def _square(x: float, y: float, size: float) -> bytes:
    from shapely import box, to_wkb

    return to_wkb(box(x, y, x + size, y + size))


def national_copy(url: str) -> dict[str, int]:
    """Add SYNTHETIC wijken and buurten for the whole country to the database at `url`."""
    from shapely import from_wkb

    engine = make_engine(url)
    rnd = random.Random(40)
    codes = [r["nhood_id"] for r in csv.DictReader(NATIONAL.open(encoding="utf-8"))]
    with engine.begin() as conn:
        known = {r[0] for r in conn.execute(text("SELECT code FROM area"))}
        bounds = {
            r[0]: from_wkb(r[1]).bounds
            for r in conn.execute(
                text("SELECT area_code, wkb FROM geometry WHERE indeling = :i"), {"i": INDELING}
            )
        }
        conn.execute(
            text(
                "INSERT INTO source (key, owner, table_id, title, licence, url, note) "
                "VALUES ('synthetisch', 'benchmark', 'synthetisch', :t, '-', '', :t)"
            ),
            {"t": LABEL},
        )
        release_id = conn.execute(
            text(
                "INSERT INTO release (source_key, file_name, checksum, file_format, "
                "imported_at, imported_by, row_count, skipped_count, active) VALUES "
                "('synthetisch', :t, 'synthetisch', 'benchmark', CURRENT_TIMESTAMP, "
                "'bench/g40.py', 0, 0, true) RETURNING id"
            ),
            {"t": LABEL},
        ).scalar_one()
        # the values of the real buurten and wijken, per area, to copy with a factor
        template: dict[str, list[tuple]] = {"BU": [], "WK": []}
        per_area: dict[str, list[tuple]] = {}
        for r in conn.execute(
            text(
                "SELECT area_code, indicator_id, period, value, variant FROM observation "
                "WHERE current AND (area_code LIKE 'BU0164%' OR area_code LIKE 'WK0164%')"
            )
        ):
            per_area.setdefault(r[0], []).append(r[1:])
        for code, rows in per_area.items():
            template[code[:2]].append(rows)
        new_buurten = [c for c in codes if c not in known and "GM" + c[2:6] in bounds]
        new_wijken = sorted({"WK" + c[2:8] for c in new_buurten} - known)
        areas, shapes, values = [], [], []
        by_wijk: dict[str, list[str]] = {}
        for c in new_buurten:
            by_wijk.setdefault("WK" + c[2:8], []).append(c)
        by_gemeente: dict[str, list[str]] = {}
        for w in new_wijken:
            by_gemeente.setdefault("GM" + w[2:6], []).append(w)
        cells = {}  # wijk -> (x, y, size) of its square
        for gm, wijken in by_gemeente.items():
            x0, y0, x1, y1 = bounds[gm]
            cols = max(1, int(len(wijken) ** 0.5 + 0.999))
            cell = min(x1 - x0, y1 - y0) / cols
            for i, w in enumerate(wijken):
                cells[w] = (x0 + (i % cols) * cell, y0 + (i // cols) * cell, cell)
                areas.append((w, f"{LABEL} {w}", "wijk", gm))
                shapes.append((w, _square(*cells[w])))
                values += _copy(w, rnd.choice(template["WK"]), rnd)
        for w, buurten in by_wijk.items():  # real wijken (Enschede) get synthetic buurten too
            if w not in cells and w in bounds:
                x0, y0, x1, y1 = bounds[w]
                cells[w] = (x0, y0, min(x1 - x0, y1 - y0))
            if w in cells:
                wx, wy, cell = cells[w]
                bcols = max(1, int(len(buurten) ** 0.5 + 0.999))
                bcell = cell / bcols
                for j, b in enumerate(buurten):
                    areas.append((b, f"{LABEL} {b}", "buurt", w))
                    shapes.append(
                        (b, _square(wx + (j % bcols) * bcell, wy + (j // bcols) * bcell, bcell))
                    )
                    values += _copy(b, rnd.choice(template["BU"]), rnd)
        conn.execute(
            text(
                "INSERT INTO area (code, indeling, name, level, parent_code, release_id) "
                "VALUES (:c, :i, :n, :l, :p, :r)"
            ),
            [
                {"c": c, "i": INDELING, "n": n, "l": lv, "p": p, "r": release_id}
                for c, n, lv, p in areas
            ],
        )
        conn.execute(
            text(
                "INSERT INTO geometry (area_code, indeling, wkb, crs, release_id) "
                "VALUES (:c, :i, :w, 'EPSG:28992', :r)"
            ),
            [{"c": c, "i": INDELING, "w": w, "r": release_id} for c, w in shapes],
        )
        conn.execute(
            text(
                "INSERT INTO observation (indicator_id, area_code, period, value, variant, "
                "note, provisional, derived, current, release_id) VALUES "
                "(:i, :a, :p, :v, :var, :n, false, false, true, :r)"
            ),
            [
                {"i": i, "a": a, "p": p, "v": v, "var": var, "n": LABEL, "r": release_id}
                for a, i, p, v, var in values
            ],
        )
        conn.execute(
            text("UPDATE release SET row_count = :n WHERE id = :r"),
            {"n": len(values), "r": release_id},
        )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        counts = {
            f"{lv}_areas": n
            for lv, n in conn.execute(text("SELECT level, count(*) FROM area GROUP BY level"))
        }
        counts["observations"] = conn.execute(text("SELECT count(*) FROM observation")).scalar()
        for group, n in conn.execute(
            text("SELECT group_id, count(*) FROM peer_group_member GROUP BY group_id")
        ):
            counts[f"group_{group}_members"] = n
    engine.dispose()
    counts["synthetic_wijken"] = sum(1 for a in areas if a[2] == "wijk")
    counts["synthetic_buurten"] = sum(1 for a in areas if a[2] == "buurt")
    counts["synthetic_observations"] = len(values)
    return counts


def _copy(code: str, rows: list[tuple], rnd: random.Random) -> list[tuple]:
    factor = rnd.uniform(0.5, 1.5)
    return [(code, i, p, None if v is None else v * factor, var) for i, p, v, var in rows]


# ---------------------------------------------------------------- timing
def page_app(url: str, page: str, params: dict, gemeente: str):
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["gemeente"] = gemeente
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if at.exception:
        raise RuntimeError(f"{page} {params}: {at.exception[0].value}")
    at.run()  # warm: caches filled
    return at


def one_run(at) -> float:
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(str(at.exception[0].value))
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="warm runs per page and database")
    parser.add_argument("--gemeente", default="GM0164")
    parser.add_argument("--db", type=Path, help="built shipped SQLite file to copy")
    parser.add_argument("--max-factor", type=float, default=1.5)
    args = parser.parse_args()
    figures: dict = {"gemeente": args.gemeente}
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped.sqlite"
        if args.db:
            shutil.copy(args.db, shipped)
        else:
            from dashboard.ingest.build import build

            engine = make_engine(f"sqlite:///{shipped}")
            build(engine)
            engine.dispose()
        national = Path(tmp) / "national.sqlite"
        shutil.copy(shipped, national)
        start = time.perf_counter()
        figures["national_db"] = national_copy(f"sqlite:///{national}")
        figures["national_db_fill_s"] = time.perf_counter() - start
        urls = {"shipped": f"sqlite:///{shipped}", "national": f"sqlite:///{national}"}
        for name, value in figures["national_db"].items():
            print(f"national_db_{name}\t{value}", flush=True)
        prewarm = Path(tmp) / "prewarm.sqlite"  # imports, fonts, bytecode: paid once here
        shutil.copy(shipped, prewarm)
        for _, page, params in PAGES:
            page_app(f"sqlite:///{prewarm}", page, params, args.gemeente)
        slow = []
        for n, (label, page, params) in enumerate(PAGES):
            apps, cold = {}, {}
            for k in sorted(urls, reverse=n % 2 == 1):  # cold: the first visit per database
                start = time.perf_counter()
                apps[k] = page_app(urls[k], page, params, args.gemeente)
                cold[k] = time.perf_counter() - start
            times: dict[str, list[float]] = {k: [] for k in urls}
            for _ in range(args.repeat):  # in turn, so both see the same noise
                for k, at in apps.items():
                    os.environ["DATABASE_URL"] = urls[k]
                    times[k].append(one_run(at))
            med = {k: statistics.median(v) for k, v in times.items()}
            best = {k: min(v) for k, v in times.items()}
            factor = med["national"] / med["shipped"]
            figures[label] = {
                "shipped_ms": med["shipped"] * 1000,
                "national_ms": med["national"] * 1000,
                "factor": factor,
                "min_factor": best["national"] / best["shipped"],
                "first_visit_shipped_s": cold["shipped"],
                "first_visit_national_s": cold["national"],
                "first_visit_factor": cold["national"] / cold["shipped"],
            }
            f = figures[label]
            print(
                f"page_{label}\twarm median: shipped {f['shipped_ms']:.0f} ms, national "
                f"{f['national_ms']:.0f} ms, factor {factor:.2f} (fastest runs: "
                f"{f['min_factor']:.2f})\tfirst visit: shipped {cold['shipped']:.1f} s, "
                f"national {cold['national']:.1f} s, factor {f['first_visit_factor']:.2f}",
                flush=True,
            )
            if factor > args.max_factor:
                slow.append(label)
        from dashboard.web import cache

        mem = cache.memory()
        data_bytes = sum(v["bytes"] for k, v in mem.items() if k.startswith("data:"))
        res_bytes = sum(v["bytes"] for k, v in mem.items() if k.startswith("resource:"))
        figures["cache"] = {
            "bounds": {
                "max_entries": cache.MAX_ENTRIES,
                "max_size": cache.MAX_SIZE,
                "ttl": cache.TTL,
                "shared_entries": cache.SHARED_ENTRIES,
            },
            "data_mb": data_bytes / 2**20,
            "resource_mb": res_bytes / 2**20,
            "functions": mem,
        }
        print(f"cache_data_pickled\t{data_bytes / 2**20:.1f}\tMB", flush=True)
        print(f"cache_resource_estimate\t{res_bytes / 2**20:.1f}\tMB", flush=True)
        for name, v in sorted(mem.items(), key=lambda kv: -kv[1]["bytes"])[:8]:
            print(f"# {name}\t{v['entries']} entries\t{v['bytes'] / 2**20:.2f} MB")
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "g40.json").write_text(json.dumps(figures, indent=1))
    if slow:
        print(f"# meer dan {args.max_factor:g}x trager op landelijke schaal: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks: `python bench/run.py [--quick]`.

Prints one line per figure (name, value, unit) and writes them to bench/results/latest.json.
Measured on this machine, in one run:

- warm server-side run time of every registered page and of an empty page (the floor): the
  script run as the server times it, median of many AppTest runs, with the ratio page/floor;
- bytes the browser receives for the Kaart page (wijken and buurten): websocket data (the page,
  map included) and, separately, the static app bundle on a first visit;
- import throughput of the largest shipped table and of a national buurt table (14.5k rows);
- the briefing export: PDF of the Veiligheidsbeeld and of all four agenda views (seconds, bytes,
  pages) and their PNGs, straight from the database as the download button makes them;
- query time for one indicator, one period, all buurten of the Netherlands in a SYNTHETIC
  database (N buurten x 10 years x 50 indicators; generated for this benchmark only), at N/10
  and N, on SQLite and on PostgreSQL (when BENCH_POSTGRES_URL or TEST_DATABASE_URL is set).

What a person waits for in the browser (every page against an empty Streamlit page in headless
Chromium, a presentation step, two interactions) is measured by its sibling `bench/browser.py`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from dashboard.ingest.build import build  # noqa: E402
from dashboard.ingest.importer import import_file  # noqa: E402
from dashboard.store.schema import create_schema, make_engine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FIGURES: list[dict] = []


def report(name: str, value: float, unit: str) -> None:
    FIGURES.append({"name": name, "value": round(value, 4), "unit": unit})
    print(f"{name}\t{value:.4g}\t{unit}", flush=True)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------- briefing export
def bench_export(db_url: str, repeat: int) -> None:
    from dashboard import settings
    from dashboard.views import agenda, briefing

    engine = make_engine(db_url)
    gemeente = settings.get("GEMEENTE")
    for label, keys in (("veiligheidsbeeld", ("beeld",)), ("agenda", agenda.STEPS)):
        pdf = briefing.briefing_pdf(engine, gemeente, keys)  # warm: fonts, shapes
        seconds = median_time(lambda k=keys: briefing.briefing_pdf(engine, gemeente, k), repeat)
        report(f"export_pdf_{label}", seconds, "s")
        report(f"export_pdf_{label}_size", len(pdf) / 1024, "kB")
        report(f"export_pdf_{label}_pages", len(briefing.page_pngs(pdf, scale=0.2)), "pagina's")
        report(f"export_png_{label}", median_time(lambda p=pdf: briefing.page_pngs(p), repeat), "s")
    engine.dispose()


# ---------------------------------------------------------------- pages
def bench_pages(db_url: str, repeat: int) -> None:
    """The server's run of each page (`ScriptRunner._run_script`, as the server times it),
    not AppTest's own work: AppTest compiles the scripts again on every run and parses the
    element tree after it, where a server compiles each script once (its `ScriptCache`)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    runs: list[float] = []
    original = script_runner.ScriptRunner._run_script

    def timed(self, *args, **kwargs):
        # AppTest resets this flag before every run, and with a `pages/` folder beside app.py
        # every run would then take Streamlit's old multipage path (`_mpa_v1`: a glob of
        # pages/, a second st.navigation around app.py). A server clears it on its first run
        # (st.navigation sets it False) and never takes that path again.
        PagesManager.uses_pages_directory = False
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            runs.append(time.perf_counter() - start)

    script_runner.ScriptRunner._run_script = timed

    def run_time(at) -> float:
        runs.clear()
        for _ in range(repeat):
            at.run()
        return statistics.median(runs)

    os.environ["DATABASE_URL"] = db_url
    floor_app = AppTest.from_string("import streamlit as st\nst.title('leeg')\n")
    floor_app.run()
    floor = run_time(floor_app)
    report("page_floor_empty", floor * 1000, "ms")
    pages = re.findall(r'st\.Page\(\s*"([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        at.run()  # warm: caches filled
        t = run_time(at)
        name = Path(page).stem
        report(f"page_{name}", t * 1000, "ms")
        report(f"page_{name}_vs_floor", t / floor, "x")
    script_runner.ScriptRunner._run_script = original


# ---------------------------------------------------------------- bytes on the wire
def bench_bytes(db_url: str) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.e2e.conftest import settle, start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(db_url, Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for niveau in ("wijk", "buurt"):
                    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
                    page = ctx.new_page()
                    counts = {"ws": 0, "http": 0}

                    def on_ws(ws, counts=counts):
                        ws.on(
                            "framereceived",
                            lambda payload, c=counts: c.__setitem__("ws", c["ws"] + len(payload)),
                        )

                    def on_response(resp, counts=counts):
                        try:
                            counts["http"] += len(resp.body())
                        except Exception:  # noqa: BLE001 - redirects have no body
                            pass

                    page.on("websocket", on_ws)
                    page.on("response", on_response)
                    page.goto(f"{base}/kaart?niveau={niveau}")
                    settle(page)
                    page.wait_for_selector("canvas", timeout=60_000)
                    page.wait_for_timeout(1500)
                    report(f"kaart_{niveau}_websocket_bytes", counts["ws"] / 1024, "kB")
                    report(f"kaart_{niveau}_static_bundle_first_visit", counts["http"] / 1024, "kB")
                    ctx.close()
                browser.close()
        finally:
            stop_server(proc)


# ---------------------------------------------------------------- imports
def bench_imports(db_url: str, tmp: Path, copy) -> None:
    big = ROOT / "data/bronnen/indicatoren/cbs_83648NED_misdrijven_gemeente_2013-2017_statline.csv"
    manifest_info = None
    url = copy(db_url, tmp, "imp1")
    engine = make_engine(url)
    # re-import the largest shipped table as a new release (one changed byte: a new checksum)
    data = big.read_bytes().replace(
        b'"Misdrijven, totaal";"2013";"Aa en Hunze";785',
        b'"Misdrijven, totaal";"2013";"Aa en Hunze";786',
        1,
    )
    path = tmp / "83648NED_nieuwe_release.csv"
    path.write_bytes(data)
    start = time.perf_counter()
    result = import_file(engine, path, source_info=manifest_info)
    t = time.perf_counter() - start
    report("import_largest_table_values", result.rows, "rows")
    report("import_largest_table_time", t, "s")
    report("import_largest_table_throughput", result.rows / t, "rows/s")
    engine.dispose()
    # national buurt table: register all 14.5k buurten (synthetic names) first
    national = ROOT / "data/bronnen/indicatoren/cbs_85984NED_inwoners_per_buurt_2024.csv"
    rows = list(csv.DictReader(national.open(encoding="utf-8")))
    for fraction, label in ((0.1, "tiende"), (1.0, "volledig")):
        subset = rows[: int(len(rows) * fraction)]
        url = copy(db_url, tmp, f"imp_{label}")
        engine = make_engine(url)
        _register_buurten(engine, [r["nhood_id"] for r in subset], tmp)
        path = tmp / f"inwoners_{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["indicator", "gebied", "periode", "waarde"])
            w.writerows(("inwoners", r["nhood_id"], "2024", r["population"]) for r in subset)
        start = time.perf_counter()
        result = import_file(engine, path)
        t = time.perf_counter() - start
        report(f"import_national_buurten_{label}_rows", result.rows, "rows")
        report(f"import_national_buurten_{label}_time", t, "s")
        engine.dispose()


def _register_buurten(engine, codes: list[str], tmp: Path) -> None:
    """Synthetic gemeente/wijk/buurt rows so a national table has areas to land on."""
    gm = sorted({"GM" + c[2:6] for c in codes})
    wk = sorted({"WK" + c[2:8] for c in codes})
    path = tmp / "gebieden_synthetisch.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["gebiedscode", "naam", "niveau", "indeling", "ouder"])
        w.writerows((c, f"synthetisch {c}", "gemeente", 2024, "") for c in gm)
        w.writerows((c, f"synthetisch {c}", "wijk", 2024, "GM" + c[2:6]) for c in wk)
        w.writerows((c, f"synthetisch {c}", "buurt", 2024, "WK" + c[2:8]) for c in codes)
    # A copy for the benchmark only: renaming the real areas it overlaps is deliberate.
    import_file(engine, path, allow_changes=True)


# ---------------------------------------------------------------- national query
INSERT_OBS = (
    "INSERT INTO observation (indicator_id, area_code, period, value, variant, note, "
    "provisional, derived, current) VALUES (:i, :a, :p, :v, '', '', false, false, true)"
)


def synthetic_db(url: str, n_buurten: int, years: int = 10, indicators: int = 50) -> None:
    """Fill `observation` with SYNTHETIC values: n buurten x years x indicators."""
    engine = make_engine(url)
    create_schema(engine)
    rnd = random.Random(1)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO source (key, owner, table_id, title, licence, url, note) "
                "VALUES ('synthetisch', 'benchmark', 'synthetisch', 'SYNTHETISCH', '-', "
                "'', '')"
            )
        )
        for i in range(indicators):
            conn.execute(
                text(
                    "INSERT INTO indicator (id, name, unit, definition, better, kind, "
                    "levels, theme, derived_from, auto, series_break_note) VALUES (:id, :id, "
                    "'-', '', 'lager', 'waarde', 'buurt', '', '', false, '')"
                ),
                {"id": f"syn_{i}"},
            )
    rows = (
        (f"syn_{i}", f"BU{b:08d}", str(2015 + y), rnd.random() * 100)
        for i in range(indicators)
        for y in range(years)
        for b in range(n_buurten)
    )
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with (
                raw.cursor() as cur,
                cur.copy(
                    "COPY observation (indicator_id, area_code, period, value, variant, note, "
                    "provisional, derived, current) FROM STDIN"
                ) as copy,
            ):
                for r in rows:
                    copy.write_row((*r, "", "", False, False, True))
            raw.commit()
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            batch = []
            for r in rows:
                batch.append({"i": r[0], "a": r[1], "p": r[2], "v": r[3]})
                if len(batch) == 50_000:
                    conn.execute(text(INSERT_OBS), batch)
                    batch = []
            if batch:
                conn.execute(text(INSERT_OBS), batch)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def bench_query(label: str, url: str, n_buurten: int, repeat: int) -> None:
    start = time.perf_counter()
    synthetic_db(url, n_buurten)
    report(f"query_{label}_{n_buurten}_buurten_fill", time.perf_counter() - start, "s")
    engine = make_engine(url)
    from sqlalchemy import select

    from dashboard.store.queries import _frame
    from dashboard.store.schema import observation

    stmt = select(observation.c.area_code, observation.c.value).where(
        observation.c.indicator_id == "syn_7",
        observation.c.period == "2021",
        observation.c.current.is_(True),
        observation.c.variant == "",
    )
    rows = len(_frame(engine, stmt))
    t = median_time(lambda: _frame(engine, stmt), repeat)
    report(f"query_{label}_{n_buurten}_buurten_x10jaar_x50ind_rows", rows, "rows")
    report(f"query_{label}_{n_buurten}_buurten_x10jaar_x50ind", t * 1000, "ms")
    engine.dispose()


# ---------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions, small national database (for CI)"
    )
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    RESULTS.mkdir(parents=True, exist_ok=True)
    pg = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        base = tmp / "bench.sqlite"
        base_url = f"sqlite:///{base}"
        engine = make_engine(base_url)
        start = time.perf_counter()
        build(engine)
        report("build_shipped_default_sqlite", time.perf_counter() - start, "s")
        engine.dispose()

        def copy(url, folder, name):
            target = folder / f"{name}.sqlite"
            shutil.copy(make_url(url).database, target)
            return f"sqlite:///{target}"

        bench_pages(base_url, repeat)
        bench_bytes(base_url)
        bench_export(base_url, max(3, repeat // 3))
        bench_imports(base_url, tmp, copy)
        full = 1_450 if args.quick else 14_500
        for n in (full // 10, full):
            bench_query("sqlite", f"sqlite:///{tmp / f'syn_{n}.sqlite'}", n, repeat * 2)
            if pg:
                admin = create_engine(
                    make_url(pg).set(database="postgres"), isolation_level="AUTOCOMMIT"
                )
                name = f"bench_syn_{n}"
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                bench_query(
                    "postgresql",
                    make_url(pg).set(database=name).render_as_string(hide_password=False),
                    n,
                    repeat * 2,
                )
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        if not pg:
            print("postgresql\t-\tniet gemeten: zet BENCH_POSTGRES_URL", flush=True)
    out = RESULTS / "latest.json"
    out.write_text(
        json.dumps(
            {"machine": os.uname().nodename, "quick": args.quick, "figures": FIGURES}, indent=1
        ),
        encoding="utf-8",
    )
    print(f"# geschreven: {out.relative_to(ROOT)}")
    print("# in de browser (elke pagina tegen een lege pagina): python bench/browser.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())

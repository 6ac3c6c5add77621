"""Load test: `python bench/load.py [--sessions 10] [--seconds 180] [--max-visits 200]`.

Starts the app on localhost on a freshly built database and drives concurrent headless
Chromium sessions through pages, selections and URL changes, bounded in time and in visits.
Reports errors and the p50/p95 time to a settled page, first for a single user (the baseline)
and then for all sessions at once. Exits non-zero on any error. Results also go to
bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ingest.build import build  # noqa: E402
from dashboard.store.schema import make_engine  # noqa: E402
from tests.e2e.conftest import CHROMIUM, start_server, stop_server  # noqa: E402

VIEWS = [
    "",
    "kaart?niveau=wijk",
    "kaart?niveau=buurt&indicator=lbm_overlast_onveiligheid&jaar=2018",
    "kaart?niveau=buurt&gebied=BU01640000",
    "wijkprofiel?gebied=BU01640000",
    "wijkprofiel?gebied=WK016403",
    "g32?vergelijking=g32&basisjaar=2013&jaar=2017",
    "g32?vergelijking=twente&basisjaar=2012&jaar=2024",
    "data",
]


# Ten Chromium sessions share this machine's two cores with the server; a page that takes
# longer than this counts as an error.
TIMEOUT_MS = 120_000


async def settle(page, timeout: int = TIMEOUT_MS) -> None:
    await page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


async def check(page, label: str, errors: list[str]) -> None:
    if await page.locator('[data-testid="stException"]').count():
        errors.append(f"{label}: exception")
    if await page.locator('[data-testid="stAlertContentError"]').count():
        errors.append(f"{label}: error box")


async def visit(page, base: str, view: str, times: list[float], errors: list[str]) -> None:
    start = time.perf_counter()
    try:
        await page.goto(f"{base}/{view}")
        await settle(page)
        if view.startswith("kaart") and random.random() < 0.5:  # a selection on the page
            await page.get_by_text("Buurten" if "wijk" in view else "Wijken").first.click()
            await page.wait_for_timeout(200)
            await settle(page)
        times.append(time.perf_counter() - start)
        await check(page, view, errors)
    except Exception as exc:  # noqa: BLE001 - every failure is a finding
        errors.append(f"{view}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


async def session(
    browser,
    base: str,
    deadline: float,
    max_visits: int,
    seed: int,
    times: list[float],
    errors: list[str],
) -> int:
    rnd = random.Random(seed)
    ctx = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    visits = 0
    while time.perf_counter() < deadline and visits < max_visits:
        await visit(page, base, rnd.choice(VIEWS), times, errors)
        visits += 1
    await ctx.close()
    return visits


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


async def run(base: str, sessions: int, seconds: int, max_visits: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        single_times: list[float] = []
        errors: list[str] = []
        ctx = await browser.new_context(viewport={"width": 1920, "height": 1080})
        page = await ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        for view in VIEWS * 2:  # baseline: one user, every view twice (first pass warms)
            await visit(page, base, view, single_times, errors)
        await ctx.close()
        single = single_times[len(VIEWS) :]
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        visits = await asyncio.gather(
            *[
                session(browser, base, deadline, max_visits, seed, times, errors)
                for seed in range(sessions)
            ]
        )
        await browser.close()
    return {
        "sessions": sessions,
        "seconds": seconds,
        "visits": sum(visits),
        "single_p50_s": statistics.median(single),
        "single_p95_s": pct(single, 95),
        "load_p50_s": statistics.median(times) if times else float("nan"),
        "load_p95_s": pct(times, 95),
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--max-visits", type=int, default=200, help="per session")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        engine = make_engine(url)
        build(engine)
        engine.dispose()
        proc, base = start_server(url, Path(tmp))
        try:
            result = asyncio.run(run(base, args.sessions, args.seconds, args.max_visits))
        finally:
            stop_server(proc)
    ratio = result["load_p95_s"] / result["single_p95_s"]
    for name, value, unit in [
        ("load_sessions", result["sessions"], "sessions"),
        ("load_visits", result["visits"], "pages"),
        ("load_errors", len(result["errors"]), "errors"),
        ("single_user_p50", result["single_p50_s"], "s"),
        ("single_user_p95", result["single_p95_s"], "s"),
        ("load_p50", result["load_p50_s"], "s"),
        ("load_p95", result["load_p95_s"], "s"),
        ("load_p95_vs_single_p95", ratio, "x"),
    ]:
        print(f"{name}\t{value:.4g}\t{unit}", flush=True)
    for err in result["errors"][:20]:
        print(f"# fout: {err}")
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "load.json").write_text(json.dumps(result, indent=1))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

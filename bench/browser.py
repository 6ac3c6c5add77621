"""Browser benchmark: `python bench/browser.py [--database URL] [--check] [--runs 3]`.

What a person waits for, in headless Chromium at 1920x1080, on this machine in one run:

- every registered page: time from navigation to visually complete (the last DOM change in the
  main area that can show on screen, seen by a MutationObserver installed before the page's
  scripts), once the server has sent `script_finished` for its last run and QUIET seconds
  have passed without a change; median of RUNS after one warm-up, each in a new tab of one
  browser context per page (the server's and the browser's caches warm, as for a person who
  comes back);
- the same for an empty Streamlit page (`bench/empty_app.py`, one empty `st.Page`) served the
  same way: the floor, and every figure's ratio to it;
- bytes received per page: websocket frames, and HTTP response bodies (also those the browser
  took from its cache);
- one step in presentation mode (ArrowRight on the Veiligheidsbeeld slide: the wijk slide
  complete), changing the indicator on the Kaart, and choosing a wijk on the Veiligheidsbeeld's
  map (a click on the map), each from the key press or click to visually complete.

With --check it exits 1 when a page is over PAGE_LIMIT times the floor or an interaction over
STEP_LIMIT times the floor. Server run times (AppTest) are in `bench/run.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUIET = 1.5  # seconds without a change in the main area
PAGE_LIMIT, STEP_LIMIT = 2.0, 1.5
RESULTS = ROOT / "bench" / "results"

# Epoch milliseconds of the last change inside the main area (or of the main area's arrival).
# What sits inside a <canvas> is never drawn (it is the canvas's fallback content, such as the
# accessible table a data grid keeps there): a change in it is no change on screen. A change
# of the canvas itself (its size) is.
OBSERVER = """
(() => {
  window.__last = 0;
  const seen = (m) => {
    const n = m.target;
    const e = n && (n.nodeType === 1 ? n : n.parentElement);
    if (!(e && e.closest && e.closest('[data-testid="stMain"]'))) return false;
    const canvas = e.closest('canvas');
    return !canvas || (canvas === e && m.type === 'attributes');
  };
  const bringsMain = (m) => Array.from(m.addedNodes || []).some((n) => n.nodeType === 1 &&
    (n.matches('[data-testid="stMain"]') || n.querySelector('[data-testid="stMain"]')));
  const start = () => new MutationObserver((ms) => {
    if (ms.some((m) => seen(m) || bringsMain(m))) window.__last = Date.now();
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         characterData: true});
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start);
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app: str, db_url: str):
    """`streamlit run APP` from the repository root; returns (process, base URL)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            app,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://localhost:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{app}: server did not start")


def complete(visit: Visit, since: float = 0.0, timeout: float = 120.0) -> float:
    """Wait until the script has finished (the server's `script_finished` message after its
    last `new_session`) and QUIET s passed without a change in the main area after `since`
    (epoch ms); returns the epoch ms of the last change."""
    page = visit.page
    deadline = time.time() + timeout
    while time.time() < deadline:
        last, now, main = page.evaluate(
            "() => [window.__last || 0, Date.now(), "
            "!!document.querySelector('[data-testid=\"stMain\"]')]"
        )
        done = visit.finished > since and visit.finished >= visit.started
        quiet = now - max(last, visit.finished) >= QUIET * 1000
        if main and done and last > since and quiet:
            return last
        page.wait_for_timeout(100)
    raise TimeoutError(f"{page.url}: not complete after {timeout} s")


class Visit:
    """A 1920x1080 page in `ctx` that counts the bytes it receives."""

    def __init__(self, ctx):
        self.page = ctx.new_page()
        self.ws = self.http = 0
        self.started = self.finished = 0.0  # epoch ms of the last run's start and end
        self.page.on("websocket", self._on_ws)
        self.page.on("response", self._on_response)

    def _on_ws(self, ws) -> None:
        ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload) -> None:
        self.ws += len(payload)
        if isinstance(payload, str):
            return
        try:
            kind = ForwardMsg.FromString(payload).WhichOneof("type")
        except Exception:  # noqa: BLE001 - not a ForwardMsg: only counted
            return
        if kind == "new_session":
            self.started = time.time() * 1000
        elif kind == "script_finished":
            self.finished = time.time() * 1000

    def _on_response(self, resp) -> None:
        try:
            self.http += len(resp.body())
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            pass

    def load(self, url: str) -> float:
        """Navigate; ms from the navigation's start to visually complete."""
        self.page.goto(url)
        last = complete(self)
        return last - self.page.evaluate("performance.timeOrigin")

    def now(self) -> float:
        return self.page.evaluate("Date.now()")


def measure(browser, runs: int, fn) -> tuple[float, float, float]:
    """Median ms of `runs` runs after one warm-up, each in a new tab of one browser context
    (the static bundle in the browser's cache after the warm-up, as for a person who comes
    back), with the median kB received over the websocket and over HTTP."""
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    ctx.add_init_script(OBSERVER)
    times, ws, http = [], [], []
    try:
        for i in range(runs + 1):
            visit = Visit(ctx)
            try:
                ms = fn(visit)
            finally:
                visit.page.close()
            if i:
                times.append(ms)
                ws.append(visit.ws / 1024)
                http.append(visit.http / 1024)
    finally:
        ctx.close()
    return statistics.median(times), statistics.median(ws), statistics.median(http)


def presentation_step(base: str):
    def run(v: Visit) -> float:
        v.load(f"{base}/?modus=presentatie")
        start = v.now()
        v.page.keyboard.press("ArrowRight")
        v.page.wait_for_url("**/wijkprofiel?*", timeout=60_000)
        return complete(v, start) - start

    return run


def kaart_indicator(base: str):
    def run(v: Visit) -> float:
        v.load(f"{base}/kaart")
        box = v.page.locator('[data-testid="stSelectbox"]').filter(has_text="Indicator")
        box.click(timeout=90_000)
        options = v.page.get_by_role("option")
        options.first.wait_for()
        target = options.nth(1) if options.count() > 1 else options.first
        start = v.now()
        target.click()
        last = complete(v, start)
        assert "indicator=" in v.page.url
        return last - start

    return run


def beeld_wijk(base: str):
    def run(v: Visit) -> float:
        v.load(f"{base}/")
        area = v.page.locator('[data-testid="stMain"] path.gebied').first
        area.wait_for(timeout=60_000)
        start = v.now()
        area.click()
        v.page.wait_for_url("**gebied=WK*", timeout=10_000)
        return complete(v, start) - start

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="DATABASE_URL (default: build the shipped data)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a limit is exceeded")
    parser.add_argument("--only", help="regex: measure only the matching page names")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.database
        if not db_url:
            from dashboard.ingest.build import build
            from dashboard.store.schema import make_engine

            db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            engine = make_engine(db_url)
            build(engine)
            engine.dispose()
        paths = re.findall(r'url_path="([^"]*)"', (ROOT / "app.py").read_text(encoding="utf-8"))
        servers = [start_server("bench/empty_app.py", db_url), start_server("app.py", db_url)]
        (_, empty), (_, base) = servers
        rows: list[tuple[str, float, float, float]] = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                floor = measure(browser, args.runs, lambda v: v.load(f"{empty}/"))
                rows.append(("leeg", *floor))
                cases = [
                    (path or "veiligheidsbeeld", lambda v, u=f"{base}/{path}": v.load(u))
                    for path in paths
                ]
                cases += [
                    ("stap presentatie", presentation_step(base)),
                    ("kaart: indicator", kaart_indicator(base)),
                    ("beeld: wijk kiezen", beeld_wijk(base)),
                ]
                for name, fn in cases:
                    if args.only and not re.search(args.only, name):
                        continue
                    try:
                        rows.append((name, *measure(browser, args.runs, fn)))
                    except Exception as exc:  # noqa: BLE001 - reported, counted as over the limit
                        print(f"# {name}: mislukt: {exc}".splitlines()[0], file=sys.stderr)
                        rows.append((name, float("inf"), 0.0, 0.0))
                    print(f"# {name}: {rows[-1][1]:.0f} ms", file=sys.stderr, flush=True)
                browser.close()
        finally:
            for proc, _ in servers:
                proc.terminate()
                proc.wait(timeout=20)
    over = []
    print(f"{'pagina':<22}{'ms':>8}{'x leeg':>8}{'limiet':>8}{'kB ws':>9}{'kB http':>9}")
    for name, ms, ws, http in rows:
        ratio = ms / rows[0][1]
        limit = STEP_LIMIT if ":" in name or name.startswith("stap") else PAGE_LIMIT
        if name == "leeg":
            limit = None
        elif ratio > limit:
            over.append(name)
        shown = "" if limit is None else f"{limit:.1f}"
        print(f"{name:<22}{ms:>8.0f}{ratio:>8.2f}{shown:>8}{ws:>9.0f}{http:>9.0f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "browser.json").write_text(
        json.dumps(
            [{"name": n, "ms": m, "kB_ws": w, "kB_http": h} for n, m, w, h in rows], indent=1
        ),
        encoding="utf-8",
    )
    if over:
        print(f"# boven de limiet: {', '.join(over)}")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())

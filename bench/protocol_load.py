"""Load test without browsers: `python bench/protocol_load.py [--sessions 50] [--seconds 120]`.

Starts the app on localhost (on a freshly built database, or a copy of `--db FILE`) and speaks
Streamlit's own websocket protocol to it: each session opens /_stcore/stream, asks for a page
with query parameters (a `rerun_script` BackMsg holding the page's url path and the query
string) and waits for the run to finish (`script_finished`). The server does all the work; the
client only parses protobufs, so the times measure the dashboard, not browsers.

A run counts as an error when the server sends an exception element or an error box
(`st.error`), reports the page as not found, finishes with another status than
FINISHED_SUCCESSFULLY, closes the socket, sends no element at all, or takes longer than
`--timeout` seconds.

Prints per page p50/p95 for one user (sequential runs, after a warm-up pass) and under load
(`--sessions` concurrent sessions for `--seconds`, each cycling over all pages with a pause of
`--think` seconds on average between pages, as a reader does), their p95 ratio, the errors,
the server's RSS before/after and the memory per session. Exits non-zero on any error or when
a page's p95 ratio exceeds `--max-ratio`. Results also go to bench/results/protocol_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

# (url path, query string): every page, both shipped gemeenten, realistic parameters.
VIEWS = [
    ("", "gemeente=GM0164"),
    ("", "gemeente=GM0153&vergelijking=g40"),
    ("kaart", "gemeente=GM0164&niveau=wijk"),
    ("kaart", "gemeente=GM0164&niveau=buurt&indicator=lbm_overlast_onveiligheid&jaar=2018"),
    ("kaart", "gemeente=GM0164&niveau=buurt&gebied=BU01640000"),
    ("kaart", "gemeente=GM0153&niveau=wijk"),
    ("wijkprofiel", "gemeente=GM0164&gebied=BU01640000"),
    ("wijkprofiel", "gemeente=GM0164&gebied=WK016403"),
    ("wijkprofiel", "gemeente=GM0153&gebied=WK015301"),
    ("g32", "gemeente=GM0164&vergelijking=g32&basisjaar=2013&jaar=2017"),
    ("g32", "gemeente=GM0164&vergelijking=twente&basisjaar=2012&jaar=2024"),
    ("g32", "gemeente=GM0153&vergelijking=g40"),
    ("themas", "gemeente=GM0164"),
    ("themas", "gemeente=GM0153"),
    ("data", "gemeente=GM0164"),
]
PAGE_LABEL = {"": "veiligheidsbeeld"}


class RunError(Exception):
    """A page run that did not end as a successful, visible page."""


def label(page: str) -> str:
    return PAGE_LABEL.get(page, page)


# ---------------------------------------------------------------- server
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url}
    out = log.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError("server did not start:\n" + log.read_text(errors="replace")[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def rss_mb(pid: int) -> float:
    """Resident memory of the server process, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- protocol
def rerun_request(port: int, page: str, query: str) -> bytes:
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page
    state.page_script_hash = ""
    info = state.context_info
    info.timezone = "Europe/Amsterdam"
    info.timezone_offset = -60
    info.locale = "nl-NL"
    info.url = f"http://127.0.0.1:{port}/{page}" + (f"?{query}" if query else "")
    return msg.SerializeToString()


def check_delta(fmsg: ForwardMsg) -> str | None:
    """An error this delta shows, or None."""
    delta = fmsg.delta
    if delta.WhichOneof("type") != "new_element":
        return None
    el = delta.new_element
    kind = el.WhichOneof("type")
    if kind == "exception":
        return f"exception {el.exception.type}: {el.exception.message[:120]}"
    if kind == "alert" and el.alert.format == Alert.ERROR:
        return f"error box: {el.alert.body[:120]}"
    return None


async def run_page(ws, port: int, page: str, query: str, timeout: float) -> tuple[float, int]:
    """Ask for one page and wait until its script finished; returns seconds and elements."""
    start = time.perf_counter()
    await ws.send(rerun_request(port, page, query))
    elements = 0
    async with asyncio.timeout(timeout):
        while True:
            raw = await ws.recv()
            fmsg = ForwardMsg()
            fmsg.ParseFromString(raw)
            kind = fmsg.WhichOneof("type")
            if kind == "delta":
                elements += 1
                if problem := check_delta(fmsg):
                    raise RunError(problem)
            elif kind == "page_not_found":
                raise RunError(f"page not found: {page!r}")
            elif kind == "script_finished":
                status = fmsg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app reran itself (st.rerun): the next run follows
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RunError(f"script finished with status {status}")
                if not elements:
                    raise RunError("script finished without any element")
                return time.perf_counter() - start, elements


async def connect(port: int):
    return await websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,  # a map page sends a few MB in one message
        open_timeout=30,
        ping_interval=None,
    )


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.elements: dict[str, list[int]] = defaultdict(list)
        self.errors: list[str] = []
        self.spans: list[tuple[float, float, str]] = []  # start, end, view of every run

    async def visit(self, ws, port, page, query, timeout) -> bool:
        """One page run; records its time or its error. False when the socket is unusable."""
        try:
            start = time.perf_counter()
            seconds, elements = await run_page(ws, port, page, query, timeout)
            self.spans.append((start, start + seconds, f"{label(page)}?{query}"))
            self.times[label(page)].append(seconds)
            self.elements[label(page)].append(elements)
            return True
        except RunError as exc:
            self.errors.append(f"{page}?{query}: {exc}")
            return True
        except TimeoutError:
            self.errors.append(f"{page}?{query}: no script_finished within {timeout:g} s")
        except websockets.ConnectionClosed as exc:
            self.errors.append(f"{page}?{query}: socket closed ({exc})")
        return False


async def single_user(port: int, runs: int, timeout: float) -> Recorder:
    """One session, every view once to warm the caches, then `runs` times in turn."""
    warm, rec = Recorder(), Recorder()
    ws = await connect(port)
    try:
        for page, query in VIEWS:
            await warm.visit(ws, port, page, query, timeout)
        for _ in range(runs):
            for page, query in VIEWS:
                if not await rec.visit(ws, port, page, query, timeout):
                    await ws.close()
                    ws = await connect(port)
    finally:
        await ws.close()
    rec.errors = warm.errors + rec.errors
    return rec


async def session(port, rec, seed, deadline, think, timeout, opened, release) -> int:
    rnd = random.Random(seed)
    try:
        ws = await connect(port)  # every session is open from the start
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        rec.errors.append(f"session {seed}: could not connect ({exc})")
        opened.append(seed)
        return 0
    # Readers are somewhere in their pause when the test starts, not all at the first page.
    await asyncio.sleep(rnd.uniform(0, min(think, max(0.0, deadline - time.perf_counter()))))
    visits = 0
    order = VIEWS[:]
    rnd.shuffle(order)
    try:
        while time.perf_counter() < deadline or not visits:  # each session runs a page
            page, query = order[visits % len(order)]
            visits += 1
            if not await rec.visit(ws, port, page, query, timeout):
                await ws.close()
                ws = await connect(port)
            if think:
                pause = min(rnd.expovariate(1 / think), 4 * think)
                await asyncio.sleep(max(0.0, min(pause, deadline - time.perf_counter())))
        opened.append(seed)
        await release.wait()  # stay connected until the memory is read
    finally:
        await ws.close()
    return visits


async def under_load(proc, port, sessions, seconds, think, timeout) -> tuple[Recorder, dict]:
    rec = Recorder()
    opened: list[int] = []
    release = asyncio.Event()
    deadline = time.perf_counter() + seconds
    peak = rss_mb(proc.pid)
    tasks = [
        asyncio.create_task(session(port, rec, s, deadline, think, timeout, opened, release))
        for s in range(sessions)
    ]
    while len(opened) < sessions and not all(t.done() for t in tasks):
        peak = max(peak, rss_mb(proc.pid))
        await asyncio.sleep(0.5)
    after = rss_mb(proc.pid)  # every session still connected
    release.set()
    visits = await asyncio.gather(*tasks, return_exceptions=True)
    for v in visits:
        if isinstance(v, BaseException):
            rec.errors.append(f"session failed: {type(v).__name__}: {v}")
    done = sum(v for v in visits if isinstance(v, int))
    return rec, {"rss_peak_mb": max(peak, after), "rss_after_mb": after, "visits": done}


# ---------------------------------------------------------------- report
def pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(single: Recorder, load: Recorder) -> dict[str, dict]:
    pages = {}
    for name in dict.fromkeys(label(p) for p, _ in VIEWS):
        s, u = single.times.get(name, []), load.times.get(name, [])
        pages[name] = {
            "single_runs": len(s),
            "elements_per_run": statistics.median(single.elements.get(name) or [0]),
            "single_p50_s": statistics.median(s) if s else float("nan"),
            "single_p95_s": pct(s, 95),
            "load_runs": len(u),
            "load_p50_s": statistics.median(u) if u else float("nan"),
            "load_p95_s": pct(u, 95),
        }
        pages[name]["p95_ratio"] = pages[name]["load_p95_s"] / pages[name]["single_p95_s"]
    return pages


def slowest(load: Recorder, n: int = 5) -> list[str]:
    """The n slowest runs under load, each with the runs that overlapped it: what makes a p95."""
    lines = []
    for start, end, view in sorted(load.spans, key=lambda s: s[0] - s[1])[:n]:
        others = [
            f"{v} ({max(s, start) - start:+.2f}..{min(e, end) - start:.2f} s)"
            for s, e, v in load.spans
            if s < end and e > start and (s, e, v) != (start, end, view)
        ]
        together = "; ".join(others) or "niets"
        lines.append(f"# traag: {view} {end - start:.3f} s; tegelijk: {together}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--think", type=float, default=120.0, help="mean pause between pages, s")
    parser.add_argument("--single-runs", type=int, default=5, help="runs per view, one user")
    parser.add_argument("--timeout", type=float, default=120.0, help="per page run, s")
    parser.add_argument("--max-ratio", type=float, default=3.0, help="p95 load / p95 single")
    parser.add_argument("--db", type=Path, help="SQLite file to copy (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "load.sqlite"
        if args.db:
            shutil.copy(args.db, target)
        else:
            from dashboard.ingest.build import build
            from dashboard.store.schema import make_engine

            engine = make_engine(f"sqlite:///{target}")
            build(engine)
            engine.dispose()
        log = Path(tmp) / "server.log"
        proc, port = start_server(f"sqlite:///{target}", log)
        try:
            single = asyncio.run(single_user(port, args.single_runs, args.timeout))
            before = rss_mb(proc.pid)
            load, mem = asyncio.run(
                under_load(proc, port, args.sessions, args.seconds, args.think, args.timeout)
            )
            time.sleep(1)
            closed = rss_mb(proc.pid)
        finally:
            stop_server(proc)
            tail = log.read_text(errors="replace")[-3000:]
    pages = summary(single, load)
    errors = single.errors + load.errors
    result = {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think_s": args.think,
        "visits_under_load": mem["visits"],
        "pages_per_s": mem["visits"] / args.seconds,
        "errors": errors,
        "rss_before_mb": before,
        "rss_after_mb": mem["rss_after_mb"],
        "rss_peak_mb": mem["rss_peak_mb"],
        "rss_closed_mb": closed,
        "memory_per_session_mb": (mem["rss_after_mb"] - before) / args.sessions,
        "pages": pages,
    }
    print("page\telements\tsingle_p50_s\tsingle_p95_s\tload_p50_s\tload_p95_s\tratio\truns")
    for name, p in pages.items():
        print(
            f"{name}\t{p['elements_per_run']:g}\t{p['single_p50_s']:.3f}\t{p['single_p95_s']:.3f}\t{p['load_p50_s']:.3f}"
            f"\t{p['load_p95_s']:.3f}\t{p['p95_ratio']:.2f}\t{p['load_runs']}",
            flush=True,
        )
    for key in (
        "sessions",
        "visits_under_load",
        "pages_per_s",
        "rss_before_mb",
        "rss_after_mb",
        "rss_peak_mb",
        "rss_closed_mb",
        "memory_per_session_mb",
    ):
        print(f"{key}\t{result[key]:.4g}", flush=True)
    print(f"errors\t{len(errors)}", flush=True)
    for line in slowest(load):
        print(line, flush=True)
    for err in errors[:20]:
        print(f"# fout: {err}")
    slow = [n for n, p in pages.items() if not p["p95_ratio"] <= args.max_ratio]
    if slow:
        print(f"# p95 onder belasting meer dan {args.max_ratio:g}x: {', '.join(slow)}")
    if errors:
        print("# laatste serverlog:\n" + tail)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "protocol_load.json").write_text(json.dumps(result, indent=1))
    return 1 if errors or slow else 0


if __name__ == "__main__":
    sys.exit(main())

"""Start the real app on localhost and drive headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.domain import auth
from tests.conftest import ROOT, copy_db

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
USER, PASSWORD = "beheerder-test", "e2e-wachtwoord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, tmp: Path, role: str = "beheerder", extra_secrets: str = ""):
    """`streamlit run app.py` on the given database, with one user `USER` of this role and
    any further secrets (TOML) given; returns (process, base URL)."""
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        f'[users."{USER}"]\npassword_hash = "{auth.hash_password(PASSWORD)}"\nrole = "{role}"\n'
        + extra_secrets,
        encoding="utf-8",
    )
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url}
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
            "--secrets.files",
            str(secrets),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://localhost:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "server did not start")


def stop_server(proc) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server_db(built_db, tmp_path_factory) -> str:
    """URL of a copy of the built database for the e2e server."""
    return copy_db(built_db, tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def server(server_db, tmp_path_factory):
    """The app on a copy of the built database, shared by the e2e tests; yields the base URL."""
    proc, base = start_server(server_db, tmp_path_factory.mktemp("server"))
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket 'chromium'")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A 1920x1080 page that records every host it contacts."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    pg = context.new_page()
    pg.hosts = set()
    pg.dialogs = []
    pg.on("request", lambda r: pg.hosts.add(r.url.split("/")[2]))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def settle(pg, timeout: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    pg.wait_for_timeout(1500)


def check_page(pg, name: str) -> None:
    """No exception, no error box, no sideways scrolling, only localhost; save a screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    assert pg.locator('[data-testid="stException"]').count() == 0, f"{name}: exception shown"
    assert pg.locator('[data-testid="stAlertContentError"]').count() == 0, f"{name}: error box"
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 1920, f"{name}: page scrolls sideways ({width}px)"
    foreign = {h for h in pg.hosts if not h.startswith(("localhost", "127.0.0.1"))}
    assert not foreign, f"{name}: requests to {foreign}"
    assert not pg.dialogs, f"{name}: a script opened a dialog {pg.dialogs}"

"""Crashes: an import killed half-way leaves exactly the previous release; pages keep reading
while an import writes."""

import os
import signal
import subprocess
import sys
import threading
import time

from sqlalchemy import text

from dashboard.store import queries
from dashboard.store.schema import make_engine
from tests.conftest import ROOT, content_state

BIG = ROOT / "data/bronnen/indicatoren/cbs_83648NED_misdrijven_gemeente_2013-2017_statline.csv"


def new_release(tmp_path):
    """The largest shipped table with one value changed: a new release of the same table."""
    data = BIG.read_bytes().replace(
        b'"Misdrijven, totaal";"2013";"Aa en Hunze";785',
        b'"Misdrijven, totaal";"2013";"Aa en Hunze";786',
        1,
    )
    path = tmp_path / "83648NED_nieuw.csv"
    path.write_bytes(data)
    return path


def test_sigkill_during_import_keeps_previous_release(db, tmp_path):
    engine, _, url = db
    before = content_state(engine)
    engine.dispose()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(new_release(tmp_path))],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stderr:  # wait until it is writing, then kill it without warning
        if "opslaan" in line:
            time.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    engine = make_engine(url)
    assert content_state(engine) == before  # exactly the previous release
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("select count(*) from release where file_name = '83648NED_nieuw.csv'")
            ).scalar()
            == 0
        )
    engine.dispose()


def test_pages_keep_reading_during_an_import(db, tmp_path):
    engine, _, url = db
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(new_release(tmp_path))],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    reads, errors = [], []

    def read_loop():
        reader = make_engine(url)
        while proc.poll() is None:
            start = time.perf_counter()
            try:
                queries.level_values(
                    reader, "geregistreerde_misdrijven_per1000", "2023", "buurt", "GM0164"
                )
                reads.append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - any failure counts
                errors.append(exc)
        reader.dispose()

    thread = threading.Thread(target=read_loop)
    thread.start()
    proc.wait(timeout=120)
    thread.join()
    assert proc.returncode == 0
    assert not errors
    assert len(reads) > 5

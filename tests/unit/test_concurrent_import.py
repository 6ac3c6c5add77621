"""Two imports at once (issue 12, item 4): both succeed, and no value is current twice.

Every import ends with `derive.recompute`, which deletes and re-inserts all derived values. On
PostgreSQL under READ COMMITTED two of those at once each kept their own inserts, leaving every
derived value twice; imports now take an advisory lock. SQLite serialises writers itself.
"""

import threading

import pytest
from sqlalchemy import text

from dashboard.ingest.importer import import_file
from tests.conftest import FIXTURES, PG_URL

# Two real downloads of different sources (no row of one blocks the other before derivation);
# each is a new release for the built database, so both write and both recompute.
FILES = [
    FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv",
    FIXTURES / "real" / "odata_83648NED_untyped_excerpt.csv",
]

DUPLICATES = text(
    "SELECT indicator_id, area_code, period, variant, count(*) FROM observation "
    "WHERE current GROUP BY indicator_id, area_code, period, variant HAVING count(*) > 1"
)


def _import_at_once(engine) -> list:
    """Run one import per file, each in its own thread, released at the same moment."""
    start = threading.Barrier(len(FILES))
    results: list = [None] * len(FILES)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = import_file(engine, FILES[i])
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(FILES))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "import hangt"
    return results


def _check(engine) -> None:
    results = _import_at_once(engine)
    for path, result in zip(FILES, results, strict=True):
        assert not isinstance(result, BaseException), f"{path.name}: {result!r}"
        assert result.status == "geïmporteerd"
    with engine.connect() as conn:
        duplicates = conn.execute(DUPLICATES).all()
        derived = conn.execute(text("SELECT count(*) FROM observation WHERE derived")).scalar()
    assert derived > 1000  # the imports did recompute the derived values
    assert duplicates == [], f"{len(duplicates)} waarden dubbel actueel, bv. {duplicates[:3]}"


@pytest.mark.skipif(not PG_URL, reason="alleen op PostgreSQL (zet TEST_DATABASE_URL)")
def test_two_imports_at_once_postgresql(db):
    engine, _, _ = db
    assert engine.dialect.name == "postgresql"
    # The rows these imports rewrite can start an autovacuum worker on this copy, which the
    # teardown's DROP DATABASE ... WITH (FORCE) may not end (role dash lacks pg_signal_backend).
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE observation SET (autovacuum_enabled = false)"))
    _check(engine)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite-variant; TEST_DATABASE_URL wijst naar PostgreSQL")
def test_two_imports_at_once_sqlite(db):
    engine, _, _ = db
    assert engine.dialect.name == "sqlite"
    _check(engine)

"""Every import records who made it (`release.imported_by`): the signed-in user of the upload
form; nothing for a dry run; '' for the build and the command line; an older database gets the
column with '' for the rows it has."""

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from dashboard.ingest.importer import import_upload
from dashboard.store.schema import create_schema, release, source
from tests.conftest import FIXTURES

FILE = FIXTURES / "real" / "odata_83648NED_untyped_excerpt.csv"


def by(engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(release.c.id, release.c.imported_by)).all())


@pytest.mark.parametrize(
    ("user", "dry_run", "recorded"),
    [
        ("anna@gemeente.example", False, "anna@gemeente.example"),
        ("", False, ""),  # nobody signed in (a deployment without users)
        ("anna@gemeente.example", True, None),  # a dry run stores nothing, no release
    ],
)
def test_an_upload_records_who_imported_it(db, user, dry_run, recorded):
    engine, _, _ = db
    earlier = by(engine)
    assert set(earlier.values()) == {""}  # the build records nobody
    result = import_upload(engine, FILE.name, FILE.read_bytes(), dry_run=dry_run, user=user)
    now = by(engine)
    new = {k: v for k, v in now.items() if k not in earlier}
    assert new == ({} if recorded is None else {result.release_id: recorded})
    assert {k: now[k] for k in earlier} == earlier  # earlier releases keep theirs


def test_a_catalogue_import_records_who_imported_it(db, tmp_path):
    """A catalogue file (no release id in its result) is recorded too."""
    engine, _, _ = db
    earlier = by(engine)
    data = b"alias,gebiedscode\nTestwijk Oost,WK016400\n"
    import_upload(engine, "gebiedsnamen.csv", data, user="bert")
    new = {k: v for k, v in by(engine).items() if k not in earlier}
    assert list(new.values()) == ["bert"]


def test_an_older_database_gets_imported_by(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'oud.sqlite'}")
    create_schema(engine)
    with engine.begin() as conn:
        values = {"key": "s", "owner": "o", "table_id": "t", "title": "T", "licence": "l"}
        conn.execute(insert(source).values(**values))
        conn.execute(
            text(
                "insert into release (source_key, file_name, checksum, file_format, imported_at,"
                " row_count, skipped_count, active, imported_by)"
                " values ('s', 'f.csv', 'abc', 'csv', '2024-01-01 00:00:00', 1, 0, 1, '')"
            )
        )
        conn.execute(text("alter table release drop column imported_by"))
    create_schema(engine)
    assert "imported_by" in {c["name"] for c in inspect(engine).get_columns("release")}
    with engine.connect() as conn:
        assert conn.execute(text("select file_name, imported_by from release")).one() == (
            "f.csv",
            "",
        )
    engine.dispose()

"""Writes shared by every import: the import lock, the one upsert of a source and the record of
a release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, text, update

from dashboard.store.schema import release, source

# Key of the PostgreSQL advisory lock that serialises imports. Any fixed 64-bit number will do,
# as long as nothing else in the same database takes an advisory lock with it; this one is
# "dashimp" in ASCII. Every process that imports must use the same key.
IMPORT_LOCK_KEY = 0x64_61_73_68_69_6D_70


def lock_imports(conn: Connection) -> None:
    """Take the import lock for the rest of the transaction; call it first in the transaction.

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback (so also
    after a dry run or a failed import); a second import waits here until the first has
    committed, and under READ COMMITTED then sees all of its rows. Without it two imports at
    once each kept the derived values they re-inserted, and every derived value was current
    twice. SQLite lets one writer at a time in by itself: nothing to do.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))"), {"key": IMPORT_LOCK_KEY}
        )


@dataclass
class SourceInfo:
    """Who publishes a source, which table it is, under what licence (the `source` row)."""

    key: str
    owner: str
    table_id: str
    title: str
    licence: str
    url: str = ""
    note: str = ""


def upsert_source(conn: Connection, info: SourceInfo, keep_existing: bool = False) -> None:
    """Insert the source, or update it. `keep_existing`: an existing row (described by the
    manifest) is left as it is; `info` is then only the description for a new source."""
    values = {
        "owner": info.owner,
        "table_id": info.table_id,
        "title": info.title,
        "licence": info.licence,
        "url": info.url,
        "note": info.note,
    }
    if conn.execute(select(source.c.key).where(source.c.key == info.key)).first():
        if not keep_existing:
            conn.execute(update(source).where(source.c.key == info.key).values(**values))
    else:
        conn.execute(insert(source).values(key=info.key, **values))


def insert_release(
    conn,
    *,
    source_key: str,
    file_name: str,
    checksum: str,
    file_format: str,
    row_count: int,
    skipped_count: int = 0,
) -> int:
    """Record one imported file as an active release; returns its id."""
    res = conn.execute(
        insert(release).values(
            source_key=source_key,
            file_name=file_name,
            checksum=checksum,
            file_format=file_format,
            imported_at=datetime.now(UTC),
            row_count=row_count,
            skipped_count=skipped_count,
            active=True,
        )
    )
    return res.inserted_primary_key[0]

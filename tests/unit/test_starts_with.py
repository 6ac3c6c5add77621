"""`starts_with` (a code prefix as a range, so the index serves it) selects exactly the codes a
LIKE 'prefix%' would, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from dashboard.store.coverage import starts_with
from dashboard.store.schema import area


@pytest.mark.parametrize(
    "prefix",
    [
        *("GM", "GM0164", "WK0164", "BU0164", "BU01640", "WK0153", "BU0153", "NL", "G4"),
        *("WK0189", "GM0189", "GM01", "BU016409"),  # ending in 9
    ],
)
def test_same_codes_as_a_prefix_match(db, prefix):
    engine, _, _ = db
    with engine.connect() as conn:
        every = set(conn.execute(select(area.c.code)).scalars())
        chosen = set(
            conn.execute(select(area.c.code).where(starts_with(area.c.code, prefix))).scalars()
        )
    assert chosen == {c for c in every if c.startswith(prefix)}
    assert chosen or prefix == "BU0153"  # the shipped data has each, except Enschede's buurten


@pytest.mark.parametrize("prefix", ["WK0189", "GM0189", "BU016409", "WK0164"])
def test_same_codes_under_a_language_collation(db, prefix):
    """On PostgreSQL with a language collation (ICU), where ':' does not sort after '9'."""
    engine, _, _ = db
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite compares bytes")
    with engine.connect() as conn:
        names = conn.execute(
            text("select collname from pg_collation where collname in ('und-x-icu', 'en-US-x-icu')")
        ).scalars()
        collation = next(iter(sorted(names)), None)
        if collation is None:
            pytest.skip("this PostgreSQL has no ICU collations")
        code = area.c.code.collate(collation)
        every = set(conn.execute(select(area.c.code)).scalars())
        chosen = set(conn.execute(select(area.c.code).where(starts_with(code, prefix))).scalars())
    assert chosen == {c for c in every if c.startswith(prefix)} and chosen

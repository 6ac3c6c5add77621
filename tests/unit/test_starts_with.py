"""`starts_with` (a code prefix as a range, so the index serves it) selects exactly the codes a
LIKE 'prefix%' would, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.store.coverage import starts_with
from dashboard.store.schema import area


@pytest.mark.parametrize(
    "prefix", ["GM", "GM0164", "WK0164", "BU0164", "BU01640", "WK0153", "BU0153", "NL", "G4"]
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

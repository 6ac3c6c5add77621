"""Notes on the figures in the database: add, change, remove (each a new version, nothing is
ever updated or deleted), the current notes of areas and the history of one note.

Every write is validated first (`domain.notes`: all problems in Dutch, raised together) and
stored in one transaction; SQLAlchemy Core with bound parameters, on SQLite and PostgreSQL.
Notes change without an import: read directly, never through the data-version cache.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain import notes as rules
from dashboard.errors import Problem
from dashboard.store import queries
from dashboard.store.schema import area, area_note, area_note_version, indicator

NOTE_COLUMNS = [
    "note_id",
    "version",
    "gemeente",
    "area_code",
    "indicator_id",
    "indicator",
    "period_from",
    "period_to",
    "text",
    "author",
    "changed_at",
    "created_by",
    "created_at",
]
HISTORY_COLUMNS = [
    "version",
    "indicator_id",
    "period_from",
    "period_to",
    "text",
    "author",
    "created_at",
    "removed",
]


def _refuse(message: str, column: str | None = None) -> rules.NoteRefused:
    return rules.NoteRefused([Problem("notitie", message, column=column)])


def _known(conn, gemeente: str, area_code: str, indicator_id: str | None) -> dict:
    """Whether the area is a wijk or buurt of this gemeente and the indicator exists."""
    prefixes = (f"WK{gemeente[2:]}", f"BU{gemeente[2:]}")
    code = area_code or ""
    area_known = (
        bool(gemeente)
        and code.startswith(prefixes)
        and (
            conn.execute(select(area.c.code).where(area.c.code == code).limit(1)).first()
            is not None
        )
    )
    indicator_known = indicator_id is None or (
        conn.execute(select(indicator.c.id).where(indicator.c.id == indicator_id)).first()
        is not None
    )
    return {"area_known": area_known, "indicator_known": indicator_known}


def _latest(conn, note_id: int):
    v = area_note_version
    return conn.execute(
        select(v, area_note.c.gemeente, area_note.c.area_code, area_note.c.created_by)
        .join(area_note, area_note.c.id == v.c.note_id)
        .where(v.c.note_id == note_id)
        .order_by(v.c.version.desc())
        .limit(1)
    ).first()


def _insert_version(conn, note_id: int, version: int, draft, user: str, removed=False) -> None:
    conn.execute(
        insert(area_note_version).values(
            note_id=note_id,
            version=version,
            indicator_id=draft.indicator_id,
            period_from=draft.period_from,
            period_to=draft.period_to,
            text=draft.text,
            author=user,
            created_at=datetime.now(UTC),
            removed=removed,
        )
    )


CHANGED_MEANWHILE = "de notitie is intussen door een ander gewijzigd; laad de pagina opnieuw"


@contextmanager
def _transaction(engine: Engine):
    """One transaction; a version someone else stored a moment earlier is a Dutch refusal."""
    try:
        with engine.begin() as conn:
            yield conn
    except IntegrityError as exc:
        raise _refuse(CHANGED_MEANWHILE) from exc


def add_note(
    engine: Engine,
    *,
    gemeente: str,
    area_code: str,
    draft: rules.Draft,
    user: str | None,
    role: str | None,
) -> int:
    """Validate and store a new note (version 1); return its id."""
    with _transaction(engine) as conn:
        found = _known(conn, gemeente, area_code, rules.clean(draft).indicator_id)
        draft = rules.validate(draft, role=role, user=user, **found)
        user = (user or "").strip()
        note_id = conn.execute(
            insert(area_note).values(
                gemeente=gemeente,
                area_code=area_code,
                created_by=user,
                created_at=datetime.now(UTC),
            )
        ).inserted_primary_key[0]
        _insert_version(conn, note_id, 1, draft, user)
    return int(note_id)


def _check_change(conn, note_id: int, expected: int | None, user, role):
    row = _latest(conn, note_id)
    if row is None or row.removed:
        raise _refuse("deze notitie bestaat niet (meer)")
    if not rules.may_change(role, user, row.created_by):
        raise _refuse(
            "alleen wie de notitie schreef, of een beheerder, mag haar wijzigen of verwijderen",
            column=rules.WHO,
        )
    if expected is not None and row.version != expected:
        raise _refuse(CHANGED_MEANWHILE)
    return row


def edit_note(
    engine: Engine,
    note_id: int,
    *,
    draft: rules.Draft,
    user: str | None,
    role: str | None,
    expected_version: int | None = None,
) -> int:
    """Store a change as a new version (the old one stays in the history); return it."""
    with _transaction(engine) as conn:
        row = _check_change(conn, note_id, expected_version, user, role)
        found = _known(conn, row.gemeente, row.area_code, rules.clean(draft).indicator_id)
        draft = rules.validate(draft, role=role, user=user, **found)
        _insert_version(conn, note_id, row.version + 1, draft, (user or "").strip())
    return row.version + 1


def remove_note(
    engine: Engine,
    note_id: int,
    *,
    user: str | None,
    role: str | None,
    expected_version: int | None = None,
) -> int:
    """Remove a note: a last version marked removed, by this user at this time (a trace)."""
    with _transaction(engine) as conn:
        row = _check_change(conn, note_id, expected_version, user, role)
        last = rules.Draft(row.text, row.indicator_id, row.period_from, row.period_to)
        _insert_version(conn, note_id, row.version + 1, last, (user or "").strip(), removed=True)
    return row.version + 1


def notes(engine: Engine, gemeente: str, area_codes: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The current (latest, not removed) version of every note on these areas, newest first,
    with the indicator's name and who started the note when."""
    v, n = area_note_version, area_note
    latest = (
        select(v.c.note_id, func.max(v.c.version).label("version")).group_by(v.c.note_id).subquery()
    )
    stmt = (
        select(
            v.c.note_id,
            v.c.version,
            n.c.gemeente,
            n.c.area_code,
            v.c.indicator_id,
            indicator.c.name.label("indicator"),
            v.c.period_from,
            v.c.period_to,
            v.c.text,
            v.c.author,
            v.c.created_at.label("changed_at"),
            n.c.created_by,
            n.c.created_at,
        )
        .join(latest, (latest.c.note_id == v.c.note_id) & (latest.c.version == v.c.version))
        .join(n, n.c.id == v.c.note_id)
        .outerjoin(indicator, indicator.c.id == v.c.indicator_id)
        .where(n.c.gemeente == gemeente, n.c.area_code.in_(list(area_codes)))
        .where(v.c.removed.is_(False))
        .order_by(v.c.created_at.desc(), v.c.note_id.desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=NOTE_COLUMNS)


def history(engine: Engine, note_id: int) -> pd.DataFrame:
    """Every version of one note, oldest first (a removal is the last, `removed` true)."""
    v = area_note_version
    stmt = (
        select(*(v.c[c] for c in HISTORY_COLUMNS))
        .where(v.c.note_id == note_id)
        .order_by(v.c.version)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=HISTORY_COLUMNS)


def version(engine: Engine) -> tuple[int, int]:
    """Changes with every new version of any note: a cache key for views that show notes."""
    return queries.id_version(engine, area_note_version.c.id)

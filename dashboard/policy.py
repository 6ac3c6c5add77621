"""The integraal veiligheidsbeleid as data: plan elements, linked indicators and progress.

A plan file (`data/beleid/ivb_*.csv`, format in `data/beleid/README.md`) holds the plan word for
word: themes, their ambitie, doelen and acties. A link file (`data/beleid/*_indicatoren.csv`)
names the indicators that belong to a theme. Both go through the importer like any other file.

Progress is not a file: an editor registers dated status updates per actie in the database
(`policy_update`), and the full history is kept. An actie without any update has no status at all
("nog geen voortgang geregistreerd"); nothing is invented.

Plain SQLAlchemy Core and pandas; no Streamlit. Its charts are in `figures`.
"""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from . import auth, queries
from .db import area, indicator, insert_release, metadata, observation, release, source
from .errors import Collector, ValidationError
from .readers import SourceInfo, checksum
from .ui_format import fmt_date, fmt_number

# ---------------------------------------------------------------- schema
policy_element = Table(
    "policy_element",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("code", Text, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("parent_code", Text),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("source_ref", Text, nullable=False, default=""),
    Column("release_id", Integer, ForeignKey("release.id")),
)

policy_indicator = Table(
    "policy_indicator",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("theme_code", Text, primary_key=True),
    Column("indicator_id", Text, ForeignKey("indicator.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=1),
    Column("note", Text, nullable=False, default=""),
    Column("release_id", Integer, ForeignKey("release.id")),
    ForeignKeyConstraint(
        ["plan_id", "theme_code"], ["policy_element.plan_id", "policy_element.code"]
    ),
)

policy_update = Table(
    "policy_update",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Text, nullable=False),
    Column("action_code", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("owner", Text, nullable=False),
    Column("due_date", Date),
    Column("update_date", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["plan_id", "action_code"], ["policy_element.plan_id", "policy_element.code"]
    ),
)
Index("ix_policy_update_action", policy_update.c.plan_id, policy_update.c.action_code)

policy_update_area = Table(
    "policy_update_area",
    metadata,
    Column("update_id", Integer, ForeignKey("policy_update.id"), primary_key=True),
    Column("area_code", Text, primary_key=True),
)
Index("ix_policy_update_area_code", policy_update_area.c.area_code)

# ---------------------------------------------------------------- vocabulary
STATUSES = ("niet gestart", "loopt", "afgerond", "vertraagd", "vervallen")
NOT_REGISTERED = "nog geen voortgang geregistreerd"
STATUS_ORDER = ("afgerond", "loopt", "vertraagd", "niet gestart", "vervallen", NOT_REGISTERED)
# Okabe-Ito (colour-blind safe); the status word is always shown with the colour.
STATUS_COLOURS = {
    "afgerond": "#009E73",
    "loopt": "#0072B2",
    "vertraagd": "#E69F00",
    "niet gestart": "#BBBBBB",
    "vervallen": "#CC79A7",
    NOT_REGISTERED: "#F2F2F2",
}
STATUS_TEXT_COLOURS = {s: ("#FFFFFF" if s == "loopt" else "#111111") for s in STATUS_ORDER}
KINDS = {"plan", "algemene_ambitie", "pijler", "thema", "ambitie", "doel", "actie", "vraagstuk"}
PARENT_KINDS = {
    "algemene_ambitie": {"plan"},
    "pijler": {"plan"},
    "thema": {"plan"},
    "vraagstuk": {"plan"},
    "ambitie": {"thema"},
    "doel": {"thema"},
    "actie": {"doel", "thema"},
}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
PLAN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MAX_OWNER, MAX_NOTE = 200, 4000
ROLE = "redacteur"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


NO_PLAN = (
    "Er is nog geen veiligheidsbeleid ingelezen. Een beheerder leest het plan in via Data & "
    "bronnen (het formaat staat in data/beleid/README.md)."
)


def no_progress_text(n: int) -> str:
    return (
        f"Voor deze {n} acties is nog geen voortgang geregistreerd. Er staat dus nergens een "
        "status: die verschijnt zodra een redacteur een update registreert."
    )


def group_labels(titles: dict[str, str], codes, width: int | None = None) -> dict[str, str]:
    """'T1 Ondermijnende criminaliteit' per code (shortened to `width` characters if given)."""
    return {
        c: f"{c} {short(titles[c], width) if width else titles[c]}"
        for c in dict.fromkeys(codes)
        if isinstance(c, str)
    }


class UpdateRefused(ValidationError):
    """A status update with problems: nothing is stored. Messages name the form field."""

    def summary(self) -> str:
        n = len(self.problems)
        head = f"Update niet opgeslagen: {n} {'probleem' if n == 1 else 'problemen'} gevonden."
        lines = [f"- {p.column + ': ' if p.column else ''}{p.message}" for p in self.problems]
        return "\n".join([head, *lines, "Er is niets opgeslagen."])


# ---------------------------------------------------------------- loading (via the importer)
def load_file(conn: Connection, kind: str, name: str, data: bytes, info: SourceInfo | None):
    """Load a plan file ('beleidsplan') or an indicator-link file ('beleidsindicatoren').

    Called by `catalogue.load` inside the importer's transaction. The same file again (same
    checksum as the active release) changes nothing.
    """
    from .catalogue import _rows
    from .importer import ImportResult

    problems = Collector(name)
    rows = _rows(name, data, problems)
    problems.raise_if_any()
    digest = checksum(data)
    same = conn.execute(
        select(release.c.id, release.c.source_key).where(
            release.c.file_format == kind,
            release.c.checksum == digest,
            release.c.active.is_(True),
        )
    ).first()
    if same:
        return ImportResult(
            name,
            same.source_key,
            kind,
            "al aanwezig (zelfde release, niets veranderd)",
            rows=len(rows),
            release_id=same.id,
        )
    plan_ids = sorted({r["plan_id"] for _, r in rows if r.get("plan_id")})
    if len(plan_ids) != 1:
        problems.add(
            "een bestand hoort bij precies één plan; gevonden plan_id: "
            + (", ".join(plan_ids) or "geen"),
            column="plan_id",
        )
        problems.raise_if_any()
    plan_id = plan_ids[0]
    key = info.key if info else f"beleid-{plan_id}"[:80]
    notices: list[str] = []
    if kind == "beleidsplan":
        checked = _check_plan(conn, plan_id, rows, problems)
        problems.raise_if_any()
        title = next(r["titel"] for _, r in checked if r["soort"] == "plan")
    else:
        checked = _check_links(conn, plan_id, rows, problems)
        problems.raise_if_any()
        title = _plan_title(conn, plan_id)
    _source(conn, key, info, plan_id, title)
    conn.execute(
        update(release)
        .where(release.c.source_key == key, release.c.file_format == kind)
        .values(active=False)
    )
    rel_id = insert_release(
        conn, source_key=key, file_name=name, checksum=digest, file_format=kind, row_count=len(rows)
    )
    if kind == "beleidsplan":
        notices = _write_plan(conn, plan_id, checked, rel_id)
    else:
        _write_links(conn, plan_id, checked, rel_id)
    return ImportResult(
        name, key, kind, "geïmporteerd", rows=len(rows), release_id=rel_id, notices=notices
    )


def _plan_title(conn: Connection, plan_id: str) -> str:
    row = conn.execute(
        select(policy_element.c.title).where(
            policy_element.c.plan_id == plan_id, policy_element.c.kind == "plan"
        )
    ).first()
    return row.title if row else plan_id


def _source(conn: Connection, key: str, info: SourceInfo | None, plan_id: str, title: str):
    """Keep an existing description (from the manifest) unless a new one is given."""
    exists = conn.execute(select(source.c.key).where(source.c.key == key)).first()
    if info is not None:
        values = {
            "owner": info.owner,
            "table_id": info.table_id,
            "title": info.title,
            "licence": info.licence,
            "url": info.url,
            "note": info.note,
        }
    elif exists:
        return
    else:
        values = {
            "owner": "Gemeente (eigen beleidsplan)",
            "table_id": plan_id[:40],
            "title": title,
            "licence": "openbaar beleidsdocument van de gemeente",
            "url": "",
            "note": "Ingelezen zonder bronbeschrijving; vul die aan in data/bronnen.toml.",
        }
    if exists:
        conn.execute(update(source).where(source.c.key == key).values(**values))
    else:
        conn.execute(insert(source).values(key=key, **values))


def _check_plan(conn, plan_id, rows, problems) -> list[tuple[int, dict]]:
    """Every rule of data/beleid/README.md; all problems are collected."""
    if not PLAN_ID_RE.match(plan_id):
        problems.add(
            f"plan_id '{plan_id}' is ongeldig: kleine letters, cijfers, '.', '-' of '_'",
            column="plan_id",
        )
    ok: list[tuple[int, dict]] = []
    codes: dict[str, tuple[int, dict]] = {}
    for row, r in rows:
        missing = [c for c in ("soort", "code", "volgorde", "titel", "tekst") if not r.get(c)]
        for col in missing:
            problems.add(f"'{col}' is leeg", row=row, column=col)
        if missing:
            continue
        if r["soort"] not in KINDS:
            problems.add(
                f"soort '{r['soort']}' onbekend; verwacht een van {', '.join(sorted(KINDS))}",
                row=row,
                column="soort",
            )
            continue
        if not CODE_RE.match(r["code"]):
            problems.add(
                f"code '{r['code']}' is ongeldig: letters, cijfers, '.', '-' of '_', "
                "hoogstens 40 tekens",
                row=row,
                column="code",
            )
            continue
        if not r["volgorde"].isdigit() or int(r["volgorde"]) < 1:
            problems.add("volgorde moet een geheel getal vanaf 1 zijn", row=row, column="volgorde")
            continue
        if r["code"] in codes:
            problems.add(
                f"code '{r['code']}' staat ook op rij {codes[r['code']][0]}", row=row, column="code"
            )
            continue
        codes[r["code"]] = (row, r)
        ok.append((row, r))
    plans = [(row, r) for row, r in ok if r["soort"] == "plan"]
    if len(plans) != 1:
        problems.add(f"verwacht precies één rij met soort 'plan', gevonden: {len(plans)}")
    positions: dict[tuple, int] = {}
    for row, r in ok:
        parent = r.get("ouder", "")
        if r["soort"] == "plan":
            if parent:
                problems.add("de rij met soort 'plan' heeft geen ouder", row=row, column="ouder")
            continue
        if parent not in codes:
            problems.add(
                f"ouder '{parent}' staat niet in het bestand" if parent else "'ouder' is leeg",
                row=row,
                column="ouder",
            )
            continue
        parent_kind = codes[parent][1]["soort"]
        if parent_kind not in PARENT_KINDS[r["soort"]]:
            problems.add(
                f"een {r['soort']} hoort onder een {' of '.join(sorted(PARENT_KINDS[r['soort']]))}"
                f", niet onder {parent_kind} '{parent}'",
                row=row,
                column="ouder",
            )
        slot = (parent, r["soort"], int(r["volgorde"]))
        if slot in positions:
            problems.add(
                f"volgorde {r['volgorde']} komt onder '{parent}' ook voor op rij {positions[slot]}",
                row=row,
                column="volgorde",
            )
        positions[slot] = row
    if problems.problems:
        return ok
    # A new version of a plan may not lose an actie that has registered progress.
    done = {
        r.action_code
        for r in conn.execute(
            select(policy_update.c.action_code).where(policy_update.c.plan_id == plan_id)
        )
    }
    for code in sorted(done):
        if code not in codes or codes[code][1]["soort"] != "actie":
            problems.add(
                f"actie '{code}' heeft geregistreerde voortgang en ontbreekt in dit bestand "
                "(of is geen actie meer); de geschiedenis blijft bewaard, dus het plan moet de "
                "actie houden",
                column="code",
            )
    return ok


def _write_plan(conn, plan_id, rows, rel_id) -> list[str]:
    old = {
        r.code
        for r in conn.execute(
            select(policy_element.c.code).where(policy_element.c.plan_id == plan_id)
        )
    }
    new = {r["code"] for _, r in rows}
    gone = sorted(old - new)
    notices = []
    if gone:
        dropped = conn.execute(
            delete(policy_indicator).where(
                policy_indicator.c.plan_id == plan_id, policy_indicator.c.theme_code.in_(gone)
            )
        ).rowcount
        conn.execute(
            delete(policy_element).where(
                policy_element.c.plan_id == plan_id, policy_element.c.code.in_(gone)
            )
        )
        notices.append(
            f"{len(gone)} onderdelen van de vorige versie verwijderd"
            + (f", met {dropped} gekoppelde indicator(en)" if dropped else "")
        )
    for _, r in rows:
        values = {
            "kind": r["soort"],
            "parent_code": r.get("ouder") or None,
            "position": int(r["volgorde"]),
            "title": r["titel"],
            "text": r["tekst"],
            "source_ref": r.get("bron_pagina", ""),
            "release_id": rel_id,
        }
        if r["code"] in old:
            conn.execute(
                update(policy_element)
                .where(policy_element.c.plan_id == plan_id, policy_element.c.code == r["code"])
                .values(**values)
            )
        else:
            conn.execute(insert(policy_element).values(plan_id=plan_id, code=r["code"], **values))
    return notices


def _check_links(conn, plan_id, rows, problems) -> list[dict]:
    themes = {
        r.code
        for r in conn.execute(
            select(policy_element.c.code).where(
                policy_element.c.plan_id == plan_id, policy_element.c.kind == "thema"
            )
        )
    }
    if not themes:
        problems.add(
            f"plan '{plan_id}' staat niet in de database; lees eerst het planbestand in",
            column="plan_id",
        )
        return []
    known = {r.id for r in conn.execute(select(indicator.c.id))}
    seen: dict[tuple[str, str], int] = {}
    out = []
    for row, r in rows:
        if not r.get("thema") or not r.get("indicator"):
            for col in ("thema", "indicator"):
                if not r.get(col):
                    problems.add(f"'{col}' is leeg", row=row, column=col)
            continue
        if r["thema"] not in themes:
            problems.add(
                f"thema '{r['thema']}' bestaat niet in plan '{plan_id}'; verwacht een van "
                f"{', '.join(sorted(themes))}",
                row=row,
                column="thema",
            )
        if r["indicator"] not in known:
            problems.add(
                f"indicator '{r['indicator']}' staat niet in de catalogus",
                row=row,
                column="indicator",
            )
        volgorde = r.get("volgorde") or str(row)
        if not volgorde.isdigit():
            problems.add("volgorde moet een geheel getal zijn", row=row, column="volgorde")
            continue
        pair = (r["thema"], r["indicator"])
        if pair in seen:
            problems.add(
                f"indicator '{r['indicator']}' is bij thema '{r['thema']}' al gekoppeld op rij "
                f"{seen[pair]}",
                row=row,
                column="indicator",
            )
        seen[pair] = row
        out.append(
            {
                "theme_code": r["thema"],
                "indicator_id": r["indicator"],
                "position": int(volgorde),
                "note": r.get("toelichting", ""),
            }
        )
    return out


def _write_links(conn, plan_id, links, rel_id) -> None:
    """The file is the complete list for its plan: links not in it are removed."""
    conn.execute(delete(policy_indicator).where(policy_indicator.c.plan_id == plan_id))
    if links:
        conn.execute(
            insert(policy_indicator),
            [{**link, "plan_id": plan_id, "release_id": rel_id} for link in links],
        )


# ---------------------------------------------------------------- reads
def plans(engine: Engine) -> pd.DataFrame:
    """Plans in the database, the most recently imported first: id, title, source."""
    stmt = (
        select(
            policy_element.c.plan_id,
            policy_element.c.title,
            release.c.source_key,
            release.c.imported_at,
        )
        .outerjoin(release, release.c.id == policy_element.c.release_id)
        .where(policy_element.c.kind == "plan")
        .order_by(release.c.id.desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).mappings().all(),
            columns=["plan_id", "title", "source_key", "imported_at"],
        )


def elements(engine: Engine, plan_id: str) -> pd.DataFrame:
    """Every element of one plan in document order (parent, kind, position)."""
    e = policy_element
    stmt = (
        select(e.c.code, e.c.kind, e.c.parent_code, e.c.position, e.c.title, e.c.text)
        .where(e.c.plan_id == plan_id)
        .order_by(e.c.parent_code, e.c.kind, e.c.position)
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).mappings().all(),
            columns=["code", "kind", "parent_code", "position", "title", "text"],
        )


def indicator_links(engine: Engine, plan_id: str) -> pd.DataFrame:
    """Indicators per theme with their name and unit, in the file's order."""
    p = policy_indicator
    stmt = (
        select(p.c.theme_code, p.c.indicator_id, p.c.note, indicator.c.name, indicator.c.unit)
        .join(indicator, indicator.c.id == p.c.indicator_id)
        .where(p.c.plan_id == plan_id)
        .order_by(p.c.theme_code, p.c.position, p.c.indicator_id)
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).mappings().all(),
            columns=["theme_code", "indicator_id", "note", "name", "unit"],
        )


def indicator_series(engine: Engine, indicator_id: str, area_code: str) -> pd.DataFrame:
    """Current values of a linked indicator for one area, one row per period.

    Values from gemeentelijke documenten are stored as variants (one per document). A period
    with one value uses it; where documents disagree the period gets `conflict` True and no
    value, so a trend never silently picks one (the values are listed in `documents`).
    """
    o = observation
    stmt = (
        select(o.c.period, o.c.value, o.c.variant)
        .where(
            o.c.indicator_id == indicator_id,
            o.c.area_code == area_code,
            o.c.current.is_(True),
            o.c.value.is_not(None),
        )
        .order_by(o.c.period, o.c.variant)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = []
    for period, group in pd.DataFrame(rows, columns=["period", "value", "variant"]).groupby(
        "period", sort=True
    ):
        values = sorted(set(group["value"]))
        out.append(
            {
                "period": period,
                "value": values[0] if len(values) == 1 else None,
                "conflict": len(values) > 1,
                "documents": "; ".join(
                    f"{fmt_number(v)} ({d})" if d else fmt_number(v)
                    for v, d in zip(group["value"], group["variant"], strict=True)
                ),
            }
        )
    return pd.DataFrame(out, columns=["period", "value", "conflict", "documents"])


def indicator_panels(engine: Engine, plan_id: str, area_code: str) -> dict[str, list[dict]]:
    """Per theme the linked indicators for one area: name, unit, values, source and notes.

    Each panel: indicator_id, name, unit, values (period/value, no gaps of unknown value),
    owner, table, period ('2012–2024'), notes (the link's explanation and any period where
    documents disagree). Read through the data-version cache: it only changes on an import.
    """
    from . import queries

    out: dict[str, list[dict]] = {}
    for link in indicator_links(engine, plan_id).itertuples():
        series = indicator_series(engine, link.indicator_id, area_code)
        values = series.dropna(subset=["value"])[["period", "value"]].reset_index(drop=True)
        src = queries.source_of(engine, link.indicator_id)
        notes = [
            f"{c.period}: de documenten verschillen ({c.documents}); dat jaar staat niet in "
            "de lijn."
            for c in series[series["conflict"]].itertuples()
        ]
        if link.note:
            notes.append(link.note)
        out.setdefault(link.theme_code, []).append(
            {
                "indicator_id": link.indicator_id,
                "name": link.name,
                "unit": link.unit,
                "values": values,
                "owner": src["owner"],
                "table": src["table"],
                "period": f"{values['period'].iloc[0]}–{values['period'].iloc[-1]}"
                if len(values)
                else "",
                "notes": notes,
            }
        )
    return out


UPDATE_COLUMNS = [
    "id",
    "action_code",
    "status",
    "owner",
    "due_date",
    "update_date",
    "note",
    "user_name",
    "registered_at",
    "wijken",
]


def updates(engine: Engine, plan_id: str) -> pd.DataFrame:
    """Every registered update of a plan, oldest first, with its wijk codes (a list).

    Small and changing without an import: read directly, not through the data-version cache.
    """
    u = policy_update
    stmt = (
        select(
            u.c.id,
            u.c.action_code,
            u.c.status,
            u.c.owner,
            u.c.due_date,
            u.c.update_date,
            u.c.note,
            u.c.user_name,
            u.c.registered_at,
        )
        .where(u.c.plan_id == plan_id)
        .order_by(u.c.update_date, u.c.id)
    )
    areas_stmt = (
        select(policy_update_area.c.update_id, policy_update_area.c.area_code)
        .join(u, u.c.id == policy_update_area.c.update_id)
        .where(u.c.plan_id == plan_id)
        .order_by(policy_update_area.c.area_code)
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
        wijken: dict[int, list[str]] = {}
        for update_id, code in conn.execute(areas_stmt):
            wijken.setdefault(update_id, []).append(code)
    for r in rows:
        r["wijken"] = wijken.get(r["id"], [])
    return pd.DataFrame(rows, columns=UPDATE_COLUMNS)


def latest(upd: pd.DataFrame) -> pd.DataFrame:
    """The current state of each actie: its latest update (by date, then registration)."""
    if upd.empty:
        return upd.set_index("action_code")
    ordered = upd.sort_values(["update_date", "id"])
    return ordered.groupby("action_code").tail(1).set_index("action_code")


def actions(els: pd.DataFrame, upd: pd.DataFrame) -> pd.DataFrame:
    """One row per actie with its theme, doel and current state (status, owner, wijken...).

    An actie without any update has status NOT_REGISTERED and no owner: nothing is invented.
    """
    kind = dict(zip(els["code"], els["kind"], strict=True))
    parent = dict(zip(els["code"], els["parent_code"], strict=True))
    acts = els[els["kind"] == "actie"].copy()
    acts["doel_code"] = [p if kind.get(p) == "doel" else None for p in acts["parent_code"]]
    acts["theme_code"] = [
        p if kind.get(p) == "thema" else parent.get(p) for p in acts["parent_code"]
    ]
    state = latest(upd)
    acts["updates"] = [int((upd["action_code"] == c).sum()) for c in acts["code"]]
    for col in ("status", "owner", "due_date", "update_date", "note", "user_name", "wijken"):
        values = [_clean(state.at[c, col]) if c in state.index else None for c in acts["code"]]
        acts[col] = pd.Series(values, index=acts.index, dtype=object)
    acts["status"] = [s or NOT_REGISTERED for s in acts["status"]]
    acts["wijken"] = pd.Series(
        [w if isinstance(w, list) else [] for w in acts["wijken"]], index=acts.index, dtype=object
    )
    order = {c: i for i, c in enumerate(document_order(els))}
    acts["_order"] = acts["code"].map(order)
    return acts.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def _clean(value):
    """None for a missing value (None, NaN, NaT); lists and everything else as they are."""
    if isinstance(value, list) or value is None:
        return value
    return None if pd.isna(value) else value


def current(acts: pd.DataFrame, code: str) -> dict:
    """The current state of one actie as plain values (None where nothing is registered)."""
    row = acts[acts["code"] == code].iloc[0]
    return {k: _clean(v) for k, v in row.items()}


def status_index(state: dict) -> int | None:
    """Position of the current status in STATUSES for a form (None: nothing registered yet)."""
    return STATUSES.index(state["status"]) if state["status"] in STATUSES else None


def document_order(els: pd.DataFrame) -> list[str]:
    """Codes depth-first in document order (children by kind, then position)."""
    kids: dict[str | None, list] = {}
    rank = {k: i for i, k in enumerate(["algemene_ambitie", "pijler", "thema", "ambitie", "doel"])}
    for r in els.itertuples():
        key = None if pd.isna(r.parent_code) else r.parent_code
        kids.setdefault(key, []).append((rank.get(r.kind, 9), r.position, r.code))
    out: list[str] = []

    def walk(code):
        for *_, child in sorted(kids.get(code, [])):
            out.append(child)
            walk(child)

    walk(None)
    return out


def children(els: pd.DataFrame, parent: str, kind: str) -> pd.DataFrame:
    sub = els[(els["parent_code"] == parent) & (els["kind"] == kind)]
    return sub.sort_values("position")


def doel_sections(els: pd.DataFrame, acts: pd.DataFrame, theme: str) -> list[tuple]:
    """(prefix, doel text, its acties) per doel of a theme, in document order; acties hung
    directly under the theme (allowed in the format) come last as their own section."""
    out = [
        (f"Doel {d.position}.", d.text, acts[acts["doel_code"] == d.code])
        for d in children(els, theme, "doel").itertuples()
    ]
    loose = acts[(acts["theme_code"] == theme) & acts["doel_code"].isna()]
    if not loose.empty:
        out.append(("Acties bij het thema zelf", "", loose))
    return out


def themes(els: pd.DataFrame) -> pd.DataFrame:
    return els[els["kind"] == "thema"].sort_values("position")


# ---------------------------------------------------------------- progress
def shares(acts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share of acties per status for each group (`by` = 'theme_code' or 'doel_code').

    Long format: group, status, n, share (0-1); every status of STATUS_ORDER for every group.
    """
    rows = []
    for group, sub in acts.groupby(by, sort=False):
        total = len(sub)
        counts = sub["status"].value_counts()
        for status in STATUS_ORDER:
            n = int(counts.get(status, 0))
            rows.append({"group": group, "status": status, "n": n, "share": n / total})
    return pd.DataFrame(rows, columns=["group", "status", "n", "share"])


def status_sentence(acts: pd.DataFrame) -> str:
    """'3 acties: 1 loopt (33%), 2 nog geen voortgang geregistreerd (67%).'"""
    total = len(acts)
    if not total:
        return "Geen acties."
    counts = acts["status"].value_counts()
    parts = [
        f"{int(counts[s])} {s} ({fmt_number(100 * counts[s] / total, 0)}%)"
        for s in STATUS_ORDER
        if counts.get(s, 0)
    ]
    return f"{total} {'actie' if total == 1 else 'acties'}: {', '.join(parts)}."


def share_table(acts: pd.DataFrame, by: str, labels: dict[str, str], head: str) -> pd.DataFrame:
    """Per group the number of acties and per status 'n (p%)': the table next to the chart."""
    long = shares(acts, by)
    rows = []
    for group, sub in long.groupby("group", sort=False):
        row = {head: labels.get(group, group), "Acties": int(sub["n"].sum())}
        for r in sub.itertuples():
            row[r.status] = f"{r.n} ({fmt_number(100 * r.share, 0)}%)" if r.n else "0"
        rows.append(row)
    return pd.DataFrame(rows, columns=[head, "Acties", *STATUS_ORDER])


def wijk_text(codes: list[str], wijk_names: dict[str, str]) -> str:
    return ", ".join(wijk_names.get(c, c) for c in codes) if codes else "–"


def action_view(acts: pd.DataFrame, wijk_names: dict[str, str]) -> pd.DataFrame:
    """Acties as shown on the page: full text, status word, owner, where, due, last update."""
    return pd.DataFrame(
        {
            "Code": acts["code"],
            "Actie": acts["text"],
            "Status": acts["status"],
            "Eigenaar of partner": [o or "–" for o in acts["owner"]],
            "Waar": [wijk_text(w, wijk_names) for w in acts["wijken"]],
            "Gepland gereed": [fmt_date(d) if d else "–" for d in acts["due_date"]],
            "Laatste update": [
                f"{fmt_date(d)}: {n} (door {u})" if d else "–"
                for d, n, u in zip(
                    acts["update_date"], acts["note"], acts["user_name"], strict=True
                )
            ],
        }
    )


def local_time(value) -> datetime | None:
    """A stored UTC timestamp (naive on SQLite) in Dutch local time."""
    if value is None or pd.isna(value):
        return None
    value = pd.Timestamp(value).to_pydatetime()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def history_view(
    upd: pd.DataFrame, titles: dict[str, str], wijk_names: dict[str, str]
) -> pd.DataFrame:
    """Every update, newest first: the evidence trail behind each status."""
    upd = upd.sort_values(["update_date", "id"], ascending=False)
    return pd.DataFrame(
        {
            "Datum": [fmt_date(d) for d in upd["update_date"]],
            "Actie": [f"{c} {titles.get(c, '')}" for c in upd["action_code"]],
            "Status": upd["status"],
            "Eigenaar of partner": upd["owner"],
            "Waar": [wijk_text(w, wijk_names) for w in upd["wijken"]],
            "Gepland gereed": [fmt_date(_clean(d)) if _clean(d) else "–" for d in upd["due_date"]],
            "Toelichting": upd["note"],
            "Door": upd["user_name"],
            "Geregistreerd op": [fmt_date(local_time(t)) for t in upd["registered_at"]],
        }
    )


# ---------------------------------------------------------------- registering progress
def register_update(
    engine: Engine,
    *,
    plan_id: str,
    action_code: str,
    status: str | None,
    owner: str | None,
    note: str | None,
    user: str | None,
    role: str | None,
    update_date: date | None,
    due_date: date | None = None,
    wijken: list[str] | tuple[str, ...] = (),
    gemeente: str | None = None,
    today: date | None = None,
) -> int:
    """Validate and store one status update in one transaction; return its id.

    Every problem is collected and raised together as UpdateRefused (a ValidationError);
    then nothing is stored.
    """
    problems = Collector("voortgang")
    owner, note, user = (owner or "").strip(), (note or "").strip(), (user or "").strip()
    today = today or datetime.now(LOCAL_TZ).date()
    if not auth.allows(role, ROLE) or not user:
        problems.add("alleen een ingelogde redacteur of beheerder mag voortgang registreren")
    if status not in STATUSES:
        problems.add(f"kies een status: {', '.join(STATUSES)}", column="Status")
    if not owner:
        problems.add("vul de eigenaar of partner in", column="Eigenaar of partner")
    elif len(owner) > MAX_OWNER:
        problems.add(f"hoogstens {MAX_OWNER} tekens", column="Eigenaar of partner")
    if not note:
        problems.add("beschrijf wat er is gebeurd (en waar het bewijs is)", column="Toelichting")
    elif len(note) > MAX_NOTE:
        problems.add(f"hoogstens {MAX_NOTE} tekens", column="Toelichting")
    if not isinstance(update_date, date):
        problems.add("vul de datum van de update in", column="Datum van de update")
    elif update_date > today:
        problems.add("de datum van de update ligt in de toekomst", column="Datum van de update")
    if due_date is not None and not isinstance(due_date, date):
        problems.add("geen geldige datum", column="Gepland gereed")
    with engine.begin() as conn:
        found = conn.execute(
            select(policy_element.c.kind).where(
                policy_element.c.plan_id == plan_id, policy_element.c.code == action_code
            )
        ).first()
        if found is None or found.kind != "actie":
            problems.add(f"actie '{action_code}' bestaat niet in plan '{plan_id}'", column="Actie")
        wijken = sorted(set(wijken))
        if wijken:
            stmt = select(area.c.code).where(area.c.level == "wijk", area.c.code.in_(wijken))
            if gemeente:
                stmt = stmt.where(area.c.code.like(f"WK{gemeente[2:]}%"))
            known = {r.code for r in conn.execute(stmt)}
            for code in wijken:
                if code not in known:
                    problems.add(f"onbekende wijk '{code}'", column="Wijk(en)")
        if problems.problems:
            raise UpdateRefused(problems.problems)
        new_id = conn.execute(
            insert(policy_update).values(
                plan_id=plan_id,
                action_code=action_code,
                status=status,
                owner=owner,
                due_date=due_date,
                update_date=update_date,
                note=note,
                user_name=user,
                registered_at=datetime.now(UTC),
            )
        ).inserted_primary_key[0]
        if wijken:
            conn.execute(
                insert(policy_update_area),
                [{"update_id": new_id, "area_code": c} for c in wijken],
            )
    return new_id


def actions_for_wijk(engine: Engine, wijk_code: str, plan_id: str | None = None) -> pd.DataFrame:
    """Acties whose current state names this wijk (a buurt code means its wijk).

    For the wijkprofiel. Columns: plan_id, theme_code, theme, doel_code, code, title, text,
    status, owner, due_date, update_date, note, user_name. Empty when nothing is tagged.
    `plan_id` None means every plan in the database.
    """
    columns = [
        "plan_id",
        "theme_code",
        "theme",
        "doel_code",
        "code",
        "title",
        "text",
        "status",
        "owner",
        "due_date",
        "update_date",
        "note",
        "user_name",
    ]
    code = wijk_code.strip().upper()
    if code.startswith("BU"):
        with engine.connect() as conn:
            row = conn.execute(
                select(area.c.parent_code)
                .where(area.c.code == code)
                .order_by(area.c.indeling.desc())
                .limit(1)
            ).first()
        code = row.parent_code if row and row.parent_code else code
    ids = [plan_id] if plan_id else plans(engine)["plan_id"].tolist()
    out = []
    for pid in ids:
        els = elements(engine, pid)
        acts = actions(els, updates(engine, pid))
        acts = acts[[code in w for w in acts["wijken"]]]
        if acts.empty:
            continue
        names = dict(zip(els["code"], els["title"], strict=True))
        out.append(acts.assign(plan_id=pid, theme=acts["theme_code"].map(names)))
    if not out:
        return pd.DataFrame(columns=columns)
    return pd.concat(out, ignore_index=True)[columns]


def plan_period(title: str) -> str:
    """'Integraal veiligheidsbeleid Hengelo 2024-2026' -> '2024–2026' (empty if none)."""
    found = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", str(title))
    return f"{found.group(1)}–{found.group(2)}" if found else ""


# ---------------------------------------------------------------- URL
def view_spec(params: dict, theme_codes: list[str]) -> dict:
    """`?thema=T2` opens one theme; anything else is reported and ignored."""
    raw = str(params.get("thema", "") or "").strip().upper()
    if not raw:
        return {"thema": None, "unknown": None}
    if raw in theme_codes:
        return {"thema": raw, "unknown": None}
    return {"thema": None, "unknown": raw}


# ---------------------------------------------------------------- figures
def short(text: str, width: int = 60) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def theme_of(by_code: pd.DataFrame, code: str) -> str | None:
    """The thema above an element (`by_code`: the elements indexed by code), or None."""
    seen = set()
    while code in by_code.index and code not in seen:
        seen.add(code)
        if by_code.at[code, "kind"] == "thema":
            return code
        parent = by_code.at[code, "parent_code"]
        if parent is None or pd.isna(parent):
            return None
        code = parent
    return None


def all_actions(engine: Engine) -> pd.DataFrame:
    """The acties of the first plan with their current state (empty without a plan).

    Not cached: progress changes without an import."""
    plan_rows = plans(engine)
    if plan_rows.empty:
        return pd.DataFrame(columns=["theme_code", "status"])
    plan_id = plan_rows.iloc[0]["plan_id"]
    return actions(elements(engine, plan_id), updates(engine, plan_id))


def theme_titles(engine: Engine, plan_id: str | None = None) -> dict[str, str]:
    """Theme code -> title for a plan (the first plan when none is given)."""
    if plan_id is None:
        plan_rows = plans(engine)
        if plan_rows.empty:
            return {}
        plan_id = plan_rows.iloc[0]["plan_id"]
    els = elements(engine, plan_id)
    themes_ = els[els["kind"] == "thema"]
    return dict(zip(themes_["code"], themes_["title"], strict=True))


def progress_version(engine: Engine) -> tuple[int, int]:
    """Changes with every registered update: a cache key for views that show progress."""
    return queries.id_version(engine, policy_update.c.id)

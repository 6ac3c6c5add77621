"""Plans and progress in the database: reads of plan elements, linked indicators and updates,
and the one write of a status update (validated first, stored in one transaction)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from dashboard.domain import auth
from dashboard.domain.fmt import fmt_number
from dashboard.domain.progress import (
    LOCAL_TZ,
    MAX_NOTE,
    MAX_OWNER,
    ROLE,
    STATUSES,
    UpdateRefused,
    actions,
    themes,
)
from dashboard.errors import Collector, Problem
from dashboard.store import queries
from dashboard.store.schema import (
    area,
    indicator,
    observation,
    policy_budget,
    policy_element,
    policy_indicator,
    policy_plan,
    policy_update,
    policy_update_area,
    release,
    source,
)

PLAN_COLUMNS = ["plan_id", "title", "gemeente", "source_key", "imported_at"]


def plans(engine: Engine, gemeente: str) -> pd.DataFrame:
    """The plans of one gemeente (CBS code), the most recently imported first: id, title,
    gemeente, source. A plan of another gemeente is never among them; nor is a plan without
    a gemeente (imported before plans recorded theirs: import it again)."""
    stmt = (
        select(
            policy_element.c.plan_id,
            policy_element.c.title,
            policy_plan.c.gemeente,
            release.c.source_key,
            release.c.imported_at,
        )
        .join(policy_plan, policy_plan.c.plan_id == policy_element.c.plan_id)
        .outerjoin(release, release.c.id == policy_element.c.release_id)
        .where(policy_element.c.kind == "plan", policy_plan.c.gemeente == gemeente)
        .order_by(release.c.id.desc(), policy_element.c.plan_id)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=PLAN_COLUMNS)


def plan_for(engine: Engine, gemeente: str) -> dict | None:
    """The plan the pages show for a gemeente (its most recently imported), or None."""
    rows = plans(engine, gemeente)
    return None if rows.empty else rows.iloc[0].to_dict()


def elements(engine: Engine, plan_id: str) -> pd.DataFrame:
    """Every element of one plan in document order (parent, kind, position), with its
    budget where the plan has one (`lasten`, x 1.000 euro; None elsewhere)."""
    e, b = policy_element, policy_budget
    stmt = (
        select(e.c.code, e.c.kind, e.c.parent_code, e.c.position, e.c.title, e.c.text, b.c.lasten)
        .outerjoin(b, (b.c.plan_id == e.c.plan_id) & (b.c.code == e.c.code))
        .where(e.c.plan_id == plan_id)
        .order_by(e.c.parent_code, e.c.kind, e.c.position)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(
            conn.execute(stmt).mappings().all(),
            columns=["code", "kind", "parent_code", "position", "title", "text", "lasten"],
        )
    frame["lasten"] = frame["lasten"].astype(object).where(frame["lasten"].notna(), None)
    return frame


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
    out: dict[str, list[dict]] = {}
    for link in indicator_links(engine, plan_id).itertuples():
        series = indicator_series(engine, link.indicator_id, area_code)
        values = series.dropna(subset=["value"])[["period", "value"]].reset_index(drop=True)
        src = area_source(engine, link.indicator_id, area_code)
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


def area_source(engine: Engine, indicator_id: str, area_code: str) -> dict:
    """Owner and table of the files that hold this area's current values of an indicator.

    An indicator such as a BBV-kengetal has values from several gemeenten's own documents;
    each area's values name the document they came from, not the catalogue's first source.
    Derived values (no file of their own) name the catalogue's source.
    """
    o = observation
    stmt = (
        select(source.c.owner, source.c.table_id)
        .distinct()
        .join(release, release.c.id == o.c.release_id)
        .join(source, source.c.key == release.c.source_key)
        .where(o.c.indicator_id == indicator_id, o.c.area_code == area_code, o.c.current.is_(True))
        .order_by(source.c.owner, source.c.table_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if not rows:
        return queries.source_of(engine, indicator_id)
    owners = list(dict.fromkeys(r.owner for r in rows))
    return {
        "owner": "; ".join(owners),
        "table": "; ".join(r.table_id for r in rows),
        "title": "",
        "derived": False,
    }


UPDATE_COLUMNS = (
    "id action_code status owner due_date update_date note user_name registered_at wijken"
).split()


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
    update = {
        "action_code": action_code,
        "status": status,
        "owner": owner,
        "note": note,
        "update_date": update_date,
        "due_date": due_date,
        "wijken": wijken,
    }
    with engine.begin() as conn:
        _check_user(problems, user, role)
        _check_plan(conn, problems, plan_id, gemeente)
        values = _check_update(conn, problems, plan_id, update, gemeente, today)
        if problems.problems:
            raise UpdateRefused(problems.problems)
        return _insert_update(conn, plan_id, values, user)


def register_updates(
    engine: Engine,
    rows: list[tuple[int, dict]],
    *,
    plan_id: str,
    user: str | None,
    role: str | None,
    gemeente: str | None,
    file: str,
    today: date | None = None,
) -> list[int]:
    """Validate every update of a file first and store all of them in one transaction, or
    none: the same checks and the same write as `register_update`. `rows`: (row number,
    update) with the keys of `register_update`; problems name `file`, the row and the column.
    Raises ValidationError with every problem."""
    problems = Collector(file)
    with engine.begin() as conn:
        _check_user(problems, user, role)
        _check_plan(conn, problems, plan_id, gemeente)
        checked = []
        for row, update in rows:
            at_row = Collector(file)
            checked.append(_check_update(conn, at_row, plan_id, update, gemeente, today))
            named = (Problem(file, p.message, row, p.column) for p in at_row.problems)
            problems.problems.extend(named)
        problems.raise_if_any()
        return [_insert_update(conn, plan_id, values, user) for values in checked]


def _check_user(problems: Collector, user: str | None, role: str | None) -> None:
    if not auth.allows(role, ROLE) or not (user or "").strip():
        problems.add("alleen een ingelogde redacteur of beheerder mag voortgang registreren")


def _check_plan(conn, problems: Collector, plan_id: str, gemeente: str | None) -> None:
    owner_of = conn.execute(
        select(policy_plan.c.gemeente).where(policy_plan.c.plan_id == plan_id)
    ).scalar()
    if gemeente and owner_of != gemeente:
        problems.add(f"plan '{plan_id}' is niet het plan van {gemeente}", column="Actie")


def _check_update(conn, problems: Collector, plan_id: str, update: dict, gemeente, today) -> dict:
    """The problems of one update (added to `problems`) and its cleaned values."""
    status, due_date, update_date = update["status"], update["due_date"], update["update_date"]
    owner, note = (update["owner"] or "").strip(), (update["note"] or "").strip()
    today = today or datetime.now(LOCAL_TZ).date()
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
    action_code = update["action_code"]
    found = conn.execute(
        select(policy_element.c.kind).where(
            policy_element.c.plan_id == plan_id, policy_element.c.code == action_code
        )
    ).first()
    if found is None or found.kind != "actie":
        problems.add(f"actie '{action_code}' bestaat niet in plan '{plan_id}'", column="Actie")
    wijken = sorted(set(update.get("wijken") or ()))
    if wijken:
        stmt = select(area.c.code).where(area.c.level == "wijk", area.c.code.in_(wijken))
        if gemeente:
            stmt = stmt.where(area.c.code.like(f"WK{gemeente[2:]}%"))
        known = {r.code for r in conn.execute(stmt)}
        for code in wijken:
            if code not in known:
                problems.add(f"onbekende wijk '{code}'", column="Wijk(en)")
    return {
        "action_code": action_code,
        "status": status,
        "owner": owner,
        "due_date": due_date,
        "update_date": update_date,
        "note": note,
        "wijken": wijken,
    }


def _insert_update(conn, plan_id: str, values: dict, user: str | None) -> int:
    wijken = values["wijken"]
    new_id = conn.execute(
        insert(policy_update).values(
            plan_id=plan_id,
            **{k: v for k, v in values.items() if k != "wijken"},
            user_name=(user or "").strip(),
            registered_at=datetime.now(UTC),
        )
    ).inserted_primary_key[0]
    if wijken:
        conn.execute(
            insert(policy_update_area), [{"update_id": new_id, "area_code": c} for c in wijken]
        )
    return new_id


def actions_for_wijk(engine: Engine, wijk_code: str, plan_id: str | None = None) -> pd.DataFrame:
    """Acties whose current state names this wijk (a buurt code means its wijk).

    For the wijkprofiel. Columns: plan_id, theme_code, theme, doel_code, code, title, text,
    status, owner, due_date, update_date, note, user_name. Empty when nothing is tagged.
    `plan_id` None means every plan of the wijk's own gemeente (WK0164.. -> GM0164).
    """
    columns = (
        "plan_id theme_code theme doel_code code title text"
        " status owner due_date update_date note user_name"
    ).split()
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
    ids = [plan_id] if plan_id else plans(engine, f"GM{code[2:6]}")["plan_id"].tolist()
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


def all_actions(engine: Engine, gemeente: str) -> pd.DataFrame:
    """The acties of the gemeente's plan with their current state (empty without a plan).

    Not cached: progress changes without an import."""
    plan = plan_for(engine, gemeente)
    if plan is None:
        return pd.DataFrame(columns=["theme_code", "doel_code", "code", "status"])
    return actions(elements(engine, plan["plan_id"]), updates(engine, plan["plan_id"]))


def theme_titles(engine: Engine, gemeente: str) -> dict[str, str]:
    """Code -> title of the top level (thema's, or doelen) of the gemeente's plan."""
    plan = plan_for(engine, gemeente)
    if plan is None:
        return {}
    top = themes(elements(engine, plan["plan_id"]))
    return dict(zip(top["code"], top["title"], strict=True))


def progress_version(engine: Engine) -> tuple[int, int]:
    """Changes with every registered update: a cache key for views that show progress."""
    return queries.id_version(engine, policy_update.c.id)

"""Import of plan files ('beleidsplan') and indicator-link files ('beleidsindicatoren').

A plan file (`data/beleid/*.csv`, format in `data/beleid/README.md`) holds the plan word for
word: themes, their ambitie, doelen and acties. A link file names the indicators that belong to
a theme. Both go through the importer like any other file, inside its transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from dashboard.domain.parsing import ParseError, check_text, parse_number, parse_whole
from dashboard.domain.progress import CODE_RE, GROUP_KINDS, PARENT_KINDS, PLAN_ID_RE
from dashboard.domain.progress import KINDS as ELEMENT_KINDS
from dashboard.errors import Collector
from dashboard.ingest.readers import checksum, read_rows
from dashboard.ingest.result import ImportResult
from dashboard.store.schema import (
    area,
    indicator,
    policy_budget,
    policy_element,
    policy_indicator,
    policy_plan,
    policy_update,
    release,
)
from dashboard.store.writes import SourceInfo, insert_release, upsert_source

# The file kinds this module reads (recognised by their header, see `catalogue.KINDS`).
KINDS = {"beleidsplan", "beleidsindicatoren"}


def load_file(conn: Connection, kind: str, name: str, data: bytes, info: SourceInfo | None):
    """Load a plan file ('beleidsplan') or an indicator-link file ('beleidsindicatoren').

    Called by the importer inside the importer's transaction. The same file again (same
    checksum as the active release) changes nothing.
    """
    problems = Collector(name)
    rows = read_rows(data, problems)
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
    upsert_source(  # an existing description (from the manifest) stays unless one is given
        conn,
        info
        or SourceInfo(
            key,
            "Gemeente (eigen beleidsplan)",
            plan_id[:40],
            title,
            "openbaar beleidsdocument van de gemeente",
            note="Ingelezen zonder bronbeschrijving; vul die aan in data/bronnen.toml.",
        ),
        keep_existing=info is None,
    )
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
        required = ("soort", "code", "volgorde", "titel", "tekst")
        missing = [c for c in required if not check_text(r.get(c), required=False)]
        for col in missing:
            problems.add(f"'{col}' is leeg", row=row, column=col)
        if missing:
            continue
        if r["soort"] not in ELEMENT_KINDS:
            problems.add(
                f"soort '{r['soort']}' onbekend; verwacht een van "
                f"{', '.join(sorted(ELEMENT_KINDS))}",
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
        try:  # '²' passes str.isdigit, 3000000000 overflows PostgreSQL's integer
            r["volgorde"] = str(parse_whole(r["volgorde"], 1))
        except ParseError as exc:
            problems.add(
                f"volgorde moet een geheel getal vanaf 1 zijn: {exc}", row=row, column="volgorde"
            )
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
    _check_gemeente(conn, plans, ok, problems)
    for row, r in ok:
        if check_text(r.get("lasten"), required=False):
            try:
                value = parse_number(r["lasten"], "," if "," in r["lasten"] else ".")
            except ParseError as exc:
                value = None
                problems.add(f"lasten: {exc}", row=row, column="lasten")
            else:
                if value is None or value < 0:
                    problems.add(
                        f"lasten '{r['lasten']}' is geen bedrag: verwacht een getal vanaf 0 "
                        "(x 1.000 euro), zonder scheidingsteken voor duizendtallen",
                        row=row,
                        column="lasten",
                    )
            r["lasten"] = value
        else:
            r["lasten"] = None
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


def _check_gemeente(conn, plans, rows, problems) -> None:
    """The plan row names its gemeente (a CBS code in the database); other rows leave the
    column empty or repeat the same code."""
    if len(plans) != 1:
        return
    row, plan = plans[0]
    code = check_text(plan.get("gemeente"), required=False).upper()
    if "gemeente" not in plan:
        problems.add(
            "kolom 'gemeente' ontbreekt: een plan hoort bij een gemeente; zet de CBS-code "
            "(bijvoorbeeld GM0164) in de kolom 'gemeente' van de rij met soort 'plan'",
            row=row,
            column="gemeente",
        )
        return
    if not code:
        problems.add(
            "'gemeente' is leeg: de rij met soort 'plan' noemt de CBS-code van de gemeente "
            "waar het plan bij hoort (bijvoorbeeld GM0164)",
            row=row,
            column="gemeente",
        )
        return
    known = conn.execute(
        select(area.c.code).where(area.c.code == code, area.c.level == "gemeente").limit(1)
    ).first()
    if known is None:
        problems.add(
            f"gemeente '{plan['gemeente']}' is onbekend: verwacht de CBS-code van een gemeente "
            "in de database (GM gevolgd door vier cijfers, bijvoorbeeld GM0164)",
            row=row,
            column="gemeente",
        )
        return
    plan["gemeente"] = code
    for other_row, r in rows:
        other = check_text(r.get("gemeente"), required=False).upper()
        if other and other != code and r is not plan:
            problems.add(
                f"gemeente '{r['gemeente']}' verschilt van die van het plan ({code}); een plan "
                "hoort bij één gemeente",
                row=other_row,
                column="gemeente",
            )


def _write_plan(conn, plan_id, rows, rel_id) -> list[str]:
    gemeente = next(r["gemeente"] for _, r in rows if r["soort"] == "plan")
    conn.execute(delete(policy_plan).where(policy_plan.c.plan_id == plan_id))
    conn.execute(insert(policy_plan).values(plan_id=plan_id, gemeente=gemeente, release_id=rel_id))
    conn.execute(delete(policy_budget).where(policy_budget.c.plan_id == plan_id))
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
    budgets = [
        {"plan_id": plan_id, "code": r["code"], "lasten": r["lasten"], "release_id": rel_id}
        for _, r in rows
        if r["lasten"] is not None
    ]
    if budgets:
        conn.execute(insert(policy_budget), budgets)
    return notices


def _check_links(conn, plan_id, rows, problems) -> list[dict]:
    e, parent = policy_element, policy_element.alias("parent")
    themes = {  # the plan's top level: its thema's, or the doelen directly under the plan
        r.code
        for r in conn.execute(
            select(e.c.code)
            .join(parent, (parent.c.plan_id == e.c.plan_id) & (parent.c.code == e.c.parent_code))
            .where(e.c.plan_id == plan_id, e.c.kind.in_(GROUP_KINDS), parent.c.kind == "plan")
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
        try:
            volgorde = parse_whole(r.get("volgorde") or row)
        except ParseError as exc:
            problems.add(f"volgorde moet een geheel getal zijn: {exc}", row=row, column="volgorde")
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
                "position": volgorde,
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

"""Catalogue files: indicator metadata, column mappings, derivations, peer groups, aliases.

These are data, not code: a gemeente edits the CSVs in `data/` (or uploads its own) to add
indicators, map a new download to them, or define a comparison group.
"""

from __future__ import annotations

import math
import re

from sqlalchemy import Connection, delete, insert, select, update

from dashboard.errors import Collector
from dashboard.ingest.readers import checksum, read_rows
from dashboard.ingest.result import ImportResult
from dashboard.store.schema import (
    area,
    area_alias,
    derivation,
    indicator,
    indicator_mapping,
    peer_group,
    peer_group_member,
    release,
)
from dashboard.store.writes import SourceInfo, insert_release, upsert_source

KINDS: dict[str, set[str]] = {
    # Most specific first: a derivation file also has the columns of an indicator file.
    "afgeleid": {"id", "teller", "noemer", "factor"},
    "indicatoren": {"id", "naam", "eenheid", "beter", "definitie"},
    "koppelingen": {"tabel", "dimensie", "meetwaarde", "indicator", "rol"},
    "vergelijkingsgroepen": {"groep", "groepnaam", "gemeentecode"},
    "gebiedsnamen": {"alias", "gebiedscode"},
    "gebieden": {"gebiedscode", "naam", "niveau", "indeling"},
    # A safety plan and its indicator links (read by `ingest.plan`).
    "beleidsplan": {"plan_id", "soort", "code", "ouder", "volgorde", "titel", "tekst"},
    "beleidsindicatoren": {"plan_id", "thema", "indicator"},
}
LEVELS = {"land", "aggregaat", "provincie", "gemeente", "wijk", "buurt"}
BETTER = {"hoger", "lager", "neutraal"}
SKIP = "overslaan"  # alias target for names that are no area at all
ROLES = {"waarde", "aantal", "noemer", "ondergrens", "bovengrens", "marge", "negeren"}


def _whole_number(text: str) -> int | None:
    """'12' -> 12; anything else (also '²', which str.isdigit accepts) -> None."""
    return int(text) if re.fullmatch(r"[0-9]+", text or "") else None


def _required(rec: dict, cols, row: int, problems: Collector) -> bool:
    ok = True
    for col in cols:
        if not rec.get(col):
            problems.add(f"'{col}' is leeg", row=row, column=col)
            ok = False
    return ok


def load(conn: Connection, kind: str, name: str, data: bytes, info=None):
    """Validate the whole file, then upsert its rows. Returns an ImportResult."""
    problems = Collector(name)
    rows = read_rows(data, problems)
    problems.raise_if_any()
    loader = {
        "indicatoren": _indicators,
        "koppelingen": _mappings,
        "afgeleid": _derivations,
        "vergelijkingsgroepen": _peer_groups,
        "gebiedsnamen": _aliases,
        "gebieden": _areas,
    }[kind]
    loader(conn, rows, problems)
    problems.raise_if_any()
    info = info or SourceInfo(
        f"catalogus-{kind}",
        "dashboard (eigen catalogus)",
        kind,
        f"Catalogus: {kind}",
        "onderdeel van het dashboard",
    )
    key = info.key
    upsert_source(conn, info)
    digest = checksum(data)
    if not conn.execute(
        select(release.c.id).where(release.c.source_key == key, release.c.checksum == digest)
    ).first():
        conn.execute(update(release).where(release.c.source_key == key).values(active=False))
        insert_release(
            conn,
            source_key=key,
            file_name=name,
            checksum=digest,
            file_format=kind,
            row_count=len(rows),
        )
    return ImportResult(name, key, kind, "geïmporteerd", rows=len(rows))


def _upsert(conn: Connection, table, key_cols: dict, values: dict) -> None:
    cond = [table.c[k] == v for k, v in key_cols.items()]
    if conn.execute(select(*[table.c[k] for k in key_cols]).where(*cond)).first():
        conn.execute(update(table).where(*cond).values(**values))
    else:
        conn.execute(insert(table).values(**key_cols, **values))


def _indicators(conn, rows, problems):
    for row, r in rows:
        if not _required(r, ("id", "naam", "eenheid", "beter"), row, problems):
            continue
        if r["beter"] not in BETTER:
            problems.add(
                f"'{r['beter']}' is geen geldige richting; verwacht hoger, lager of neutraal",
                row=row,
                column="beter",
            )
            continue
        if r.get("footprint") and _whole_number(r["footprint"]) is None:
            problems.add(f"'{r['footprint']}' is geen geheel getal", row=row, column="footprint")
            continue
        _upsert(
            conn,
            indicator,
            {"id": r["id"]},
            _indicator_values(
                r,
                source_key=r.get("bron") or None,
                kind=r.get("soort") or "waarde",
                footprint=_whole_number(r.get("footprint", "")),
            ),
        )


def _indicator_values(r: dict, **extra) -> dict:
    """Indicator metadata from a catalogue row (indicatoren.csv or afgeleid.csv)."""
    return {
        "name": r["naam"],
        "unit": r["eenheid"],
        "definition": r.get("definitie", ""),
        "better": r["beter"],
        "levels": r.get("niveaus", ""),
        "theme": r.get("thema", ""),
        "auto": False,
        **extra,
    }


def _known_indicators(conn) -> set[str]:
    return {r.id for r in conn.execute(select(indicator.c.id))}


def _mappings(conn, rows, problems):
    known = _known_indicators(conn)
    for row, r in rows:
        if not _required(r, ("tabel", "meetwaarde", "indicator", "rol"), row, problems):
            continue
        if r["rol"] not in ROLES:
            problems.add(
                f"rol '{r['rol']}' onbekend; verwacht een van {', '.join(sorted(ROLES))}",
                row=row,
                column="rol",
            )
            continue
        if r["rol"] != "negeren" and r["indicator"] not in known:
            problems.add(
                f"indicator '{r['indicator']}' staat niet in de catalogus",
                row=row,
                column="indicator",
            )
            continue
        _upsert(
            conn,
            indicator_mapping,
            {
                "table_id": r["tabel"],
                "dimension": r["dimensie"],
                "measure": r["meetwaarde"],
                "indicator_id": r["indicator"],
            },
            {"role": r["rol"]},
        )


METHODS = {"verhouding", "som"}


def _derivations(conn, rows, problems):
    known = _known_indicators(conn)
    for row, r in rows:
        method = r.get("methode") or "verhouding"
        if method not in METHODS:
            problems.add(
                f"methode '{method}' onbekend; verwacht verhouding of som",
                row=row,
                column="methode",
            )
            continue
        if method == "som":
            if r["teller"] not in known:
                problems.add(
                    f"indicator '{r['teller']}' staat niet in de catalogus",
                    row=row,
                    column="teller",
                )
                continue
            _upsert(
                conn,
                derivation,
                {"indicator_id": r["teller"]},
                {
                    "numerator": r["teller"],
                    "denominator": "",
                    "factor": 1.0,
                    "period_offsets": "0",
                    "method": "som",
                },
            )
            continue
        if not _required(
            r, ("id", "naam", "eenheid", "beter", "teller", "noemer", "factor"), row, problems
        ):
            continue
        for col in ("teller",) + (() if r["noemer"] == "eigen_noemer" else ("noemer",)):
            if r[col] not in known:
                problems.add(
                    f"indicator '{r[col]}' staat niet in de catalogus", row=row, column=col
                )
        try:
            factor = float(r["factor"])
            offsets = [int(x) for x in (r.get("noemer_periode") or "0").split()]
        except ValueError:
            problems.add("factor en noemer_periode moeten getallen zijn", row=row, column="factor")
            continue
        if not math.isfinite(factor) or factor <= 0:
            problems.add("factor moet een positief, eindig getal zijn", row=row, column="factor")
            continue
        if r["beter"] not in BETTER:
            problems.add("verwacht hoger, lager of neutraal", row=row, column="beter")
        if problems.problems:
            continue
        noemer = "de eigen noemer van de bron" if r["noemer"] == "eigen_noemer" else r["noemer"]
        _upsert(
            conn,
            indicator,
            {"id": r["id"]},
            _indicator_values(
                r,
                source_key=None,
                kind=r.get("soort") or "per_1000",
                derived_from=f"berekend: {r['teller']} / {noemer} × {r['factor']}",
            ),
        )
        _upsert(
            conn,
            derivation,
            {"indicator_id": r["id"]},
            {
                "numerator": r["teller"],
                "denominator": r["noemer"],
                "factor": factor,
                "period_offsets": " ".join(str(o) for o in offsets),
            },
        )


def _peer_groups(conn, rows, problems):
    codes = {r.code for r in conn.execute(select(area.c.code).where(area.c.level == "gemeente"))}
    groups: dict[str, tuple[str, str]] = {}
    members: set[tuple[str, str]] = set()
    for row, r in rows:
        if not _required(r, ("groep", "groepnaam", "gemeentecode"), row, problems):
            continue
        if r["gemeentecode"] not in codes:
            problems.add(
                f"onbekende gemeentecode '{r['gemeentecode']}'", row=row, column="gemeentecode"
            )
            continue
        groups[r["groep"]] = (r["groepnaam"], r.get("omschrijving", ""))
        members.add((r["groep"], r["gemeentecode"]))
    if problems.problems:
        return
    for gid, (gname, desc) in groups.items():
        _upsert(conn, peer_group, {"id": gid}, {"name": gname, "description": desc})
        conn.execute(delete(peer_group_member).where(peer_group_member.c.group_id == gid))
    conn.execute(
        insert(peer_group_member), [{"group_id": g, "area_code": c} for g, c in sorted(members)]
    )


def _aliases(conn, rows, problems):
    codes = {r.code for r in conn.execute(select(area.c.code))}
    for row, r in rows:
        if not _required(r, ("alias", "gebiedscode"), row, problems):
            continue
        if r["gebiedscode"] not in codes and r["gebiedscode"] != SKIP:
            problems.add(
                f"onbekende gebiedscode '{r['gebiedscode']}'; gebruik een bestaande "
                f"code of '{SKIP}'",
                row=row,
                column="gebiedscode",
            )
            continue
        _upsert(
            conn,
            area_alias,
            {"alias": r["alias"]},
            {"code": r["gebiedscode"], "note": r.get("toelichting", "")},
        )


def _areas(conn, rows, problems):
    """Areas without geometry, such as Nederland and CBS's own G4/G32/G40 aggregates."""
    for row, r in rows:
        if not _required(r, ("gebiedscode", "naam", "niveau", "indeling"), row, problems):
            continue
        if r["niveau"] not in LEVELS:
            problems.add(
                f"niveau '{r['niveau']}' onbekend; verwacht {', '.join(sorted(LEVELS))}",
                row=row,
                column="niveau",
            )
            continue
        if _whole_number(r["indeling"]) is None or len(r["indeling"]) != 4:
            problems.add("indeling moet een jaartal zijn", row=row, column="indeling")
            continue
        _upsert(
            conn,
            area,
            {"code": r["gebiedscode"], "indeling": int(r["indeling"])},
            {"name": r["naam"], "level": r["niveau"], "parent_code": r.get("ouder") or None},
        )

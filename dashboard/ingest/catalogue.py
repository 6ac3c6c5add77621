"""Catalogue files: indicator metadata, column mappings, derivations, peer groups, aliases.

These are data, not code: a gemeente edits the CSVs in `data/` (or uploads its own) to add
indicators, map a new download to them, or define a comparison group.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from dashboard.domain.parsing import (
    ParseError,
    check_text,
    is_plain_code,
    parse_number,
    parse_whole,
    parse_year,
)
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


# Period offsets of a derivation (noemer_periode) are a few years back or ahead at most.
MAX_PERIOD_OFFSET = 100
# How a user allows a catalogue file to change what is already there (named in the refusal).
CHANGE_FLAG = "--wijzigen"


class Changes:
    """Changes to existing entries (an area's name or level, an indicator's unit).

    A catalogue file may add; changing what is there is refused unless the import is called
    with `allow_changes` (CLI `--wijzigen`). Allowed changes are listed in `notices`.
    """

    def __init__(self, problems: Collector, allow: bool):
        self.problems = problems
        self.allow = allow
        self.notices: list[str] = []

    def check(self, what: str, field: str, old, new, row: int, column: str) -> bool:
        """True when `new` may be written (no change, or changes allowed)."""
        if old is None or old == new:
            return True
        if self.allow:
            self.notices.append(f"{what}: {field} '{old}' → '{new}'")
            return True
        self.problems.add(
            f"{what} bestaat al met {field} '{old}'; dit bestand zou dat wijzigen in '{new}'. "
            f"Een bestaande {field} wijzigen kan alleen bewust: importeer met {CHANGE_FLAG}",
            row=row,
            column=column,
        )
        return False


def _duplicates(rows, key, label, column: str, problems: Collector) -> None:
    """Refuse every row whose key (`key(rec)`, None to skip) is already on an earlier row."""
    seen: dict = {}
    for row, r in rows:
        k = key(r)
        if k is None:
            continue
        if k in seen:
            problems.add(f"{label(k)} staat ook op rij {seen[k]}", row=row, column=column)
        else:
            seen[k] = row


def _required(rec: dict, cols, row: int, problems: Collector) -> bool:
    ok = True
    for col in cols:
        try:
            check_text(rec.get(col), what=f"'{col}'", missing="is leeg")
        except ParseError as exc:
            problems.add(str(exc), row=row, column=col)
            ok = False
    return ok


def load(
    conn: Connection, kind: str, name: str, data: bytes, info=None, allow_changes: bool = False
):
    """Validate the whole file, then upsert its rows. Returns an ImportResult.

    Duplicate keys within the file are refused; changing an existing area's name or level or an
    existing indicator's unit only with `allow_changes` (listed in the result's notices).
    """
    problems = Collector(name)
    rows = read_rows(data, problems)
    problems.raise_if_any()
    changes = Changes(problems, allow_changes)
    loader = {
        "indicatoren": _indicators,
        "koppelingen": _mappings,
        "afgeleid": _derivations,
        "vergelijkingsgroepen": _peer_groups,
        "gebiedsnamen": _aliases,
        "gebieden": _areas,
    }[kind]
    loader(conn, rows, problems, changes)
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
    return ImportResult(name, key, kind, "geïmporteerd", rows=len(rows), notices=changes.notices)


def _upsert(conn: Connection, table, key_cols: dict, values: dict) -> None:
    cond = [table.c[k] == v for k, v in key_cols.items()]
    if conn.execute(select(*[table.c[k] for k in key_cols]).where(*cond)).first():
        conn.execute(update(table).where(*cond).values(**values))
    else:
        conn.execute(insert(table).values(**key_cols, **values))


def _indicator_id(r: dict) -> str | None:
    return r.get("id") or None


def _label_id(k) -> str:
    return f"id '{k}'"


def _unit_ok(conn, r: dict, row: int, changes: Changes) -> bool:
    """An existing indicator's unit changes only when allowed. Indicators created
    automatically by a data import have no unit yet: the catalogue fills it in."""
    old = conn.execute(
        select(indicator.c.unit, indicator.c.auto).where(indicator.c.id == r["id"])
    ).first()
    if old is None or old.auto or not old.unit:
        return True
    return changes.check(f"indicator {r['id']}", "eenheid", old.unit, r["eenheid"], row, "eenheid")


def _indicators(conn, rows, problems, changes):
    _duplicates(rows, _indicator_id, _label_id, "id", problems)
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
        try:  # '²', 'Infinity' and 3000000000 (beyond PostgreSQL's integer) are refused
            footprint = parse_whole(r["footprint"]) if r.get("footprint") else None
        except ParseError as exc:
            problems.add(str(exc), row=row, column="footprint")
            continue
        try:  # the first period of a new, incomparable series (Veiligheidsmonitor: 2021)
            series_break = parse_year(r["reeksbreuk"]) if r.get("reeksbreuk") else None
        except ParseError as exc:
            problems.add(str(exc), row=row, column="reeksbreuk")
            continue
        if not _unit_ok(conn, r, row, changes):
            continue
        _upsert(
            conn,
            indicator,
            {"id": r["id"]},
            _indicator_values(
                r,
                source_key=r.get("bron") or None,
                kind=r.get("soort") or "waarde",
                footprint=footprint,
                series_break=series_break,
                series_break_note=r.get("reeksbreuk_toelichting", "") if series_break else "",
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


def _mapping_key(r: dict):
    if not r.get("tabel") or not r.get("meetwaarde"):
        return None
    return (r["tabel"], r.get("dimensie", ""), r["meetwaarde"], r.get("indicator", ""))


def _label_mapping(k) -> str:
    return f"koppeling tabel '{k[0]}', dimensie '{k[1]}', meetwaarde '{k[2]}', indicator '{k[3]}'"


def _mappings(conn, rows, problems, _changes):
    _duplicates(rows, _mapping_key, _label_mapping, "meetwaarde", problems)
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


def _derivation_key(r: dict) -> str | None:
    """A derivation is stored per indicator: its own id, or for 'som' its teller."""
    return (r.get("teller") if r.get("methode") == "som" else r.get("id")) or None


def _derivations(conn, rows, problems, changes):
    _duplicates(rows, _derivation_key, _label_id, "id", problems)
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
            factor = parse_number(r["factor"], ".")
        except ParseError as exc:
            problems.add(f"{exc}; factor moet een getal zijn", row=row, column="factor")
            continue
        if factor is None or factor <= 0:  # None: 'nan' and the CBS codes for 'onbekend'
            problems.add("factor moet een positief, eindig getal zijn", row=row, column="factor")
            continue
        try:
            offsets = [
                parse_whole(x, -MAX_PERIOD_OFFSET, MAX_PERIOD_OFFSET)
                for x in (r.get("noemer_periode") or "0").split()
            ]
        except ParseError as exc:
            problems.add(
                f"{exc}; noemer_periode moet een of meer gehele getallen zijn",
                row=row,
                column="noemer_periode",
            )
            continue
        if r["beter"] not in BETTER:
            problems.add("verwacht hoger, lager of neutraal", row=row, column="beter")
        if problems.problems or not _unit_ok(conn, r, row, changes):
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


def _peer_groups(conn, rows, problems, _changes):
    _duplicates(
        rows,
        lambda r: (r["groep"], r["gemeentecode"]) if r.get("groep") else None,
        lambda k: f"gemeente '{k[1]}' in groep '{k[0]}'",
        "gemeentecode",
        problems,
    )
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


def _aliases(conn, rows, problems, _changes):
    _duplicates(rows, lambda r: r.get("alias") or None, lambda k: f"alias '{k}'", "alias", problems)
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


def _areas(conn, rows, problems, changes):
    """Areas without geometry, such as Nederland and CBS's own G4/G32/G40 aggregates."""
    _duplicates(
        rows,
        lambda r: (r["gebiedscode"], r.get("indeling", "")) if r.get("gebiedscode") else None,
        lambda k: f"gebied '{k[0]}' (indeling {k[1]})",
        "gebiedscode",
        problems,
    )
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
        if not is_plain_code(r["gebiedscode"]):
            problems.add(
                f"'{r['gebiedscode']}' is geen gebiedscode: alleen de hoofdletters A-Z en de "
                "cijfers 0-9 (zoals GM0164, NL01 of G32)",
                row=row,
                column="gebiedscode",
            )
            continue
        try:
            indeling = parse_year(r["indeling"])
        except ParseError as exc:
            problems.add(f"indeling moet een jaartal zijn: {exc}", row=row, column="indeling")
            continue
        old = conn.execute(
            select(area.c.name, area.c.level).where(
                area.c.code == r["gebiedscode"], area.c.indeling == indeling
            )
        ).first()
        if old is not None:
            what = f"gebied {r['gebiedscode']}"
            ok = changes.check(what, "naam", old.name, r["naam"], row, "naam")
            if not changes.check(what, "niveau", old.level, r["niveau"], row, "niveau") or not ok:
                continue
        _upsert(
            conn,
            area,
            {"code": r["gebiedscode"], "indeling": indeling},
            {"name": r["naam"], "level": r["niveau"], "parent_code": r.get("ouder") or None},
        )

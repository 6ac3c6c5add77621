"""Import one file into the database: all-or-nothing, in one transaction.

Flow: read (readers / geo) -> resolve areas and indicators -> validate everything, collecting every
problem -> write a release, its observations or geometries -> mark superseded values -> recompute
derived indicators. Any problem raises ValidationError and the transaction is rolled back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, insert, select, update

from dashboard.domain.parsing import (
    ParseError,
    clean_code,
    is_area_code,
    level_of,
    normalise_name,
    parse_number,
    parse_period,
    strip_suffix,
)
from dashboard.errors import Collector
from dashboard.ingest import catalogue, derive, geo, plan
from dashboard.ingest.readers import (
    GEO_SUFFIXES,
    MAX_FILE_BYTES,
    Batch,
    auto_indicator_id,
    read_table,
)
from dashboard.ingest.result import ImportResult, Progress, noop
from dashboard.store.schema import (
    area,
    area_alias,
    indicator,
    indicator_mapping,
    observation,
    release,
    source,
)
from dashboard.store.writes import SourceInfo, insert_release, upsert_source

# Regions in CBS tables that are not a gemeente, wijk or buurt and are skipped with a notice.
NON_AREA_PATTERNS = [
    re.compile(r"\((BT|PD|RE|PO|PV|CR|LD|GGD|VR|RR|RD|LG|COROP)\)$", re.IGNORECASE),
    re.compile(r"niet[- ]gemeentelijk ingedeeld|niet in te delen", re.IGNORECASE),
    re.compile(r"^(buitenland|onbekend)$", re.IGNORECASE),
]
ROLES = {"waarde", "aantal", "noemer", "ondergrens", "bovengrens", "marge", "negeren"}
BETTER = {"hoger", "lager", "neutraal"}


class AreaResolver:
    """Resolve area codes and names ('Hengelo (O.)') to CBS codes known in the database.

    Rules (documented in the README):
    - codes must be known; wijk/buurt codes of a gemeente whose wijken/buurten are not loaded
      at all are outside the dashboard's coverage and skipped (reason 'buiten');
    - names match exactly (case, accents and spacing aside), via `area_alias`, or without the
      suffix '(gemeente)'; a name without suffix also matches a known name with a province
      suffix ('Hengelo' -> 'Hengelo (O.)'), but a name with a province suffix never matches
      another province ('Hengelo (Gld.)' is not Hengelo (O.));
    - police units, provinces and 'niet in te delen' rows are no areas (reason 'skip').
    """

    def __init__(self, conn: Connection):
        self.codes: set[str] = set()
        self.covered: set[tuple[str, str]] = set()
        self.by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_stripped: dict[str, list[tuple[int, str]]] = defaultdict(list)
        years = []
        for code, name, indeling, level in conn.execute(
            select(area.c.code, area.c.name, area.c.indeling, area.c.level)
        ):
            self.codes.add(code)
            self.by_name[normalise_name(name)].append((indeling, code))
            self.by_stripped[normalise_name(strip_suffix(name))].append((indeling, code))
            if level in ("wijk", "buurt"):
                self.covered.add((code[2:6], level))
            if level == "gemeente":
                years.append(indeling)
        self.first_year = min(years) if years else 0
        self.aliases = {
            normalise_name(a): c
            for a, c in conn.execute(select(area_alias.c.alias, area_alias.c.code))
        }

    @staticmethod
    def _pick(cands: list[tuple[int, str]], year: int) -> str:
        codes = {c for _, c in cands}
        if len(codes) == 1:
            return codes.pop()
        before = [(i, c) for i, c in cands if i <= year]
        return max(before)[1] if before else min(cands)[1]

    def resolve(self, ref: str, period: str = "9999") -> tuple[str | None, str]:
        """Return (code, '') or (None, reason); reasons 'skip' and 'buiten' are not errors."""
        if is_area_code(ref):
            code = clean_code(ref)
            if code in self.codes:
                return code, ""
            level = level_of(code)
            if level in ("wijk", "buurt") and (code[2:6], level) not in self.covered:
                return None, "buiten"
            return None, "onbekende gebiedscode"
        if any(p.search(ref.strip()) for p in NON_AREA_PATTERNS):
            return None, "skip"
        key = normalise_name(ref)
        if key in self.aliases:
            code = self.aliases[key]
            return (None, "skip") if code == catalogue.SKIP else (code, "")
        year = int(period[:4])
        suffix = re.search(r"\(([^)]*)\)\s*$", ref)
        cands = self.by_name.get(key)
        if not cands and suffix is None:
            cands = self.by_stripped.get(key)
        if not cands and suffix is not None and suffix.group(1).strip().lower() == "gemeente":
            cands = self.by_name.get(normalise_name(strip_suffix(ref)))
        if cands:
            return self._pick(cands, year), ""
        if year < self.first_year:
            return None, "buiten"  # a gemeente that no longer existed when our indeling starts
        return None, "onbekende gebiedsnaam"


def _mapping_lookup(
    conn: Connection, table_id: str
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows = conn.execute(select(indicator_mapping).where(indicator_mapping.c.table_id == table_id))
    for r in rows:
        out[(r.dimension, r.measure.lower())].append((r.indicator_id, r.role))
    return out


def _wide_targets(batch: Batch, cell) -> list[tuple[str, str]]:
    mapping = batch.mapping or {}
    spec = mapping["kolommen"][cell.measure]
    if "indicator_kolom" in mapping:
        ind = mapping.get("indicatoren", {}).get(cell.dim)
        return [(ind, spec)] if ind else [("", "onbekende_indicator")]
    targets = []
    for item in [spec] if isinstance(spec, str) else spec:
        ind, _, role = item.partition(":")
        targets.append((ind, role or "waarde"))
    return targets


def _assemble(
    conn: Connection, batch: Batch, resolver: AreaResolver, problems: Collector, skip_unknown: bool
) -> tuple[list[dict], dict[str, dict]]:
    """Turn cells into observation records; return (records, auto-registered indicators)."""
    known = {r.id for r in conn.execute(select(indicator.c.id))}
    lookup = _mapping_lookup(conn, batch.table_id) if batch.mapping is None else {}
    auto: dict[str, dict] = {}
    records: dict[tuple, dict] = {}
    resolved: dict[tuple[str, str], tuple[str | None, str]] = {}
    skipped_rows: set[int] = set()
    unknown: dict[str, list] = {}
    for cell in batch.cells:
        key_area = (cell.area, cell.period[:4])
        if key_area not in resolved:
            resolved[key_area] = resolver.resolve(cell.area, cell.period)
        code, reason = resolved[key_area]
        if code is None:
            if reason in ("skip", "buiten") or skip_unknown or _is_missing(cell.raw):
                # Known non-areas, or a dissolved gemeente listed without any value.
                skipped_rows.add(cell.row)
            else:
                unknown.setdefault(cell.area, [reason, cell.area_column or cell.column, set()])[
                    2
                ].add(cell.row)
            continue
        if batch.mapping is not None:
            targets = _wide_targets(batch, cell)
        else:
            targets = lookup.get((cell.dim, cell.measure.lower()))
            if not targets:
                ind_id = auto_indicator_id(batch.table_key(), cell.dim, cell.measure)
                if ind_id not in known and ind_id not in auto:
                    name = cell.measure_label + (f" — {cell.dim_label}" if cell.dim_label else "")
                    auto[ind_id] = {
                        "id": ind_id,
                        "name": name,
                        "unit": cell.unit or "",
                        "definition": f"Automatisch overgenomen uit {batch.file_name}, "
                        f"kolom '{cell.column}'.",
                        "better": "neutraal",
                        "kind": "waarde",
                        "auto": True,
                    }
                targets = [(ind_id, "waarde")]
        for ind_id, role in targets:
            if role == "negeren":
                continue
            if role == "onbekende_indicator" or (ind_id not in known and ind_id not in auto):
                problems.add(
                    f"onbekende indicator '{cell.dim or ind_id}': voeg die eerst toe aan "
                    "de indicatorcatalogus",
                    row=cell.row,
                    column=cell.column,
                )
                continue
            value = _number(cell.raw, batch.decimal, problems, cell.row, cell.column)
            if value is None:
                continue
            if cell.margin:
                role = "marge"
            rec = records.setdefault(
                (ind_id, code, cell.period, cell.variant),
                {
                    "indicator_id": ind_id,
                    "area_code": code,
                    "period": cell.period,
                    "variant": cell.variant,
                    "note": cell.note,
                    "provisional": cell.provisional,
                    "_rows": {},
                },
            )
            if role in rec["_rows"] and rec["_rows"][role] != cell.row:
                problems.add(
                    f"dubbele rij: {ind_id} voor {cell.area} in {cell.period} staat ook "
                    f"op rij {rec['_rows'][role]}",
                    row=cell.row,
                    column=cell.column,
                )
                continue
            rec["_rows"][role] = cell.row
            rec[role] = value
    for name, (reason, column, rows) in unknown.items():
        ordered = sorted(rows)
        listed = ", ".join(str(r) for r in ordered[:5]) + (" ..." if len(ordered) > 5 else "")
        problems.add(
            f"{reason} '{name}' in {len(ordered)} rij(en) ({listed}): dit gebied staat "
            "niet in de database; importeer eerst de gebiedsindeling of controleer de "
            "code of naam",
            row=ordered[0],
            column=column,
        )
    skipped_rows -= {r for _, _, rows in unknown.values() for r in rows}
    batch.skipped += len(skipped_rows)
    if skipped_rows:
        batch.notices.append(
            f"{len(skipped_rows)} rijen overgeslagen: gebied niet in de "
            "database of geen gemeente, wijk of buurt (bijv. buurten van andere "
            "gemeenten, politie-eenheden, provincies, opgeheven gemeenten "
            "zonder cijfers)"
        )
    return [_finish(r) for r in records.values() if _has_value(r)], auto


NON_NEGATIVE = {"aantal", "per_1000", "per_10000", "percentage"}


def _bad_number(raw, decimal: str) -> bool:
    """True when the text is not a number at all (already reported by `_number`)."""
    try:
        parse_number(raw, decimal)
    except ParseError:
        return True
    return False


def _is_missing(raw) -> bool:
    try:
        return parse_number(raw, ",") is None
    except ParseError:
        return False


def _has_value(rec: dict) -> bool:
    return any(rec.get(k) is not None for k in ("waarde", "aantal", "noemer"))


def _number(raw, decimal, problems, row, column):
    try:
        return parse_number(raw, decimal)
    except ParseError as exc:
        problems.add(f"{exc} (verwacht een getal of een leeg veld)", row=row, column=column)
        return None


def _finish(rec: dict) -> dict:
    value, margin = rec.get("waarde"), rec.get("marge")
    lower, upper = rec.get("ondergrens"), rec.get("bovengrens")
    if margin is not None and value is not None:
        lower, upper = value - margin, value + margin
    return {
        "indicator_id": rec["indicator_id"],
        "area_code": rec["area_code"],
        "period": rec["period"],
        "value": value,
        "lower": lower,
        "upper": upper,
        "count": rec.get("aantal"),
        "denominator": rec.get("noemer"),
        "variant": rec["variant"],
        "note": rec["note"],
        "provisional": rec["provisional"],
        "derived": False,
    }


def _template_records(
    conn: Connection, batch: Batch, resolver: AreaResolver, problems: Collector
) -> tuple[list[dict], dict[str, dict]]:
    kinds = dict(conn.execute(select(indicator.c.id, indicator.c.kind)).all())
    known = set(kinds)
    auto: dict[str, dict] = {}
    out: dict[tuple, dict] = {}
    for rec in batch.template_rows:
        row = rec["_row"]
        ind = rec["indicator"]
        if not ind:
            problems.add("indicator ontbreekt", row=row, column="indicator")
            continue
        if ind not in known and ind not in auto:
            if rec.get("naam") and rec.get("eenheid") and rec.get("beter") in BETTER:
                auto[ind] = {
                    "id": ind,
                    "name": rec["naam"],
                    "unit": rec["eenheid"],
                    "definition": rec.get("definitie", ""),
                    "better": rec["beter"],
                    "kind": "waarde",
                    "auto": False,
                }
            else:
                problems.add(
                    f"onbekende indicator '{ind}': gebruik een id uit de catalogus of "
                    "vul naam, eenheid en beter (hoger/lager/neutraal) in",
                    row=row,
                    column="indicator",
                )
                continue
        try:
            period, prov = parse_period(rec["periode"])
        except ParseError as exc:
            problems.add(str(exc), row=row, column="periode")
            continue
        code, reason = resolver.resolve(rec["gebied"], period)
        if code is None:
            text = (
                reason if reason.startswith("onbekend") else "gebied zonder grenzen in de database"
            )
            problems.add(f"{text} '{rec['gebied']}'", row=row, column="gebied")
            continue
        nums = {}
        for col in ("waarde", "ondergrens", "bovengrens", "marge", "aantal", "noemer"):
            nums[col] = _number(rec.get(col, ""), batch.decimal, problems, row, col)
        if nums["waarde"] is None and not _bad_number(rec.get("waarde", ""), batch.decimal):
            # An empty cell or a symbol such as '.', 'x', 'NaN': in your own figures a value
            # must be there; a missing value would silently replace an earlier one.
            problems.add("waarde ontbreekt of is geen getal", row=row, column="waarde")
        for col in ("aantal", "noemer", "marge"):
            if nums[col] is not None and nums[col] < 0:
                problems.add(f"{col} mag niet negatief zijn", row=row, column=col)
        kind = kinds.get(ind) or auto.get(ind, {}).get("kind", "waarde")
        if nums["waarde"] is not None and nums["waarde"] < 0 and kind in NON_NEGATIVE:
            problems.add(
                f"een {kind.replace('_', ' ')}-waarde kan niet negatief zijn",
                row=row,
                column="waarde",
            )
        key = (ind, code, period, rec.get("variant", ""))
        if key in out:
            problems.add(
                f"dubbele rij: {ind} voor {rec['gebied']} in {period} staat ook op rij "
                f"{out[key]['_row']}",
                row=row,
                column="indicator",
            )
            continue
        out[key] = {
            "_row": row,
            "indicator_id": ind,
            "area_code": code,
            "period": period,
            "variant": rec.get("variant", ""),
            "note": rec.get("toelichting", ""),
            "provisional": prov,
            "waarde": nums["waarde"],
            "marge": nums["marge"],
            "ondergrens": nums["ondergrens"],
            "bovengrens": nums["bovengrens"],
            "aantal": nums["aantal"],
            "noemer": nums["noemer"],
        }
    return [_finish(r) for r in out.values()], auto


def _resolve_source(conn: Connection, batch: Batch, given: SourceInfo | None) -> SourceInfo:
    if given is not None:
        return given
    if batch.table_id:
        row = conn.execute(select(source).where(source.c.table_id == batch.table_id)).first()
        if row:
            return SourceInfo(
                row.key, row.owner, row.table_id, row.title, row.licence, row.url, row.note
            )
        politie = batch.table_id.startswith("47")
        return SourceInfo(
            key=f"{'politie' if politie else 'cbs'}-{batch.table_id}",
            owner="Politie (data.politie.nl)" if politie else "CBS (StatLine)",
            table_id=batch.table_id,
            title=batch.title or f"Tabel {batch.table_id} ({batch.file_name})",
            licence="© Politie, open data" if politie else "CC BY 4.0",
            note="bron automatisch herkend bij import",
        )
    owner = batch.owner_hint or "eigen gegevens gemeente"
    licence = (
        "CC BY 4.0"
        if owner.upper().startswith("CBS")
        else "© Politie, open data"
        if owner.lower().startswith("politie")
        else "eigen gegevens; zie de aanleverende afdeling"
    )
    return SourceInfo(
        key=f"bestand-{batch.table_key()}"[:80],
        owner=owner,
        table_id=batch.table_key()[:40],
        title=batch.title or batch.file_name,
        licence=licence,
        note="bron automatisch herkend bij import",
    )


def sniff_special(data: bytes) -> str | None:
    """Catalogue files (indicators, mappings, derivations) are recognised by their header."""
    try:
        first = data.decode("utf-8-sig").splitlines()[0].lower()
    except (UnicodeDecodeError, IndexError):
        return None
    cols = {c.strip().strip('"') for c in re.split(r"[;,]", first)}
    for kind, required in catalogue.KINDS.items():
        if required <= cols:
            return kind
    return None


def import_file(
    engine: Engine,
    path: Path | str,
    *,
    dry_run: bool = False,
    mapping: dict | None = None,
    source_info: SourceInfo | None = None,
    skip_unknown_areas: bool = False,
    indeling: int | None = None,
    exclude_areas: tuple[str, ...] = (),
    display_name: str | None = None,
    progress: Progress = noop,
    replace_file: bool = False,
) -> ImportResult:
    """Import one file. Raises ValidationError (nothing changed) when anything is wrong.

    `replace_file`: this file is a new version of an earlier import of the same file name and
    source, and replaces it whole (a key that the new version no longer has stops being
    current). The build uses it for the shipped files; a user's import only supersedes per key.
    """
    path = Path(path)
    name = Path(display_name).name if display_name else path.name
    problems = Collector(name)
    if not path.exists():
        problems.add("bestand niet gevonden")
        problems.raise_if_any()
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.add(f"bestand is groter dan {MAX_FILE_BYTES // 2**20} MB")
        problems.raise_if_any()
    progress(0.05, f"{name}: lezen")
    data = path.read_bytes() if path.suffix.lower() != ".shp" else b""
    special = sniff_special(data) if path.suffix.lower() not in GEO_SUFFIXES else None
    if path.suffix.lower() in GEO_SUFFIXES:
        batch = geo.read_geo(path, name, indeling=indeling, exclude=exclude_areas)
    elif special:
        batch = None
    else:
        batch = read_table(Path(name), data, mapping)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            if special in plan.KINDS:
                result = plan.load_file(conn, special, name, data, source_info)
            elif special:
                result = catalogue.load(conn, special, name, data, source_info)
            else:
                result = _import_batch(
                    conn, batch, source_info, skip_unknown_areas, progress, replace_file
                )
            if dry_run:
                trans.rollback()
                result.status = "proef (niets opgeslagen)"
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
    progress(1.0, f"{name}: {result.status}")
    return result


def _import_batch(
    conn: Connection,
    batch: Batch,
    source_info: SourceInfo | None,
    skip_unknown: bool,
    progress: Progress,
    replace_file: bool = False,
) -> ImportResult:
    problems = Collector(batch.file_name)
    problems.problems.extend(batch.problems)
    info = _resolve_source(conn, batch, source_info)
    result = ImportResult(
        batch.file_name, info.key, batch.file_format, "geïmporteerd", notices=batch.notices
    )
    existing = conn.execute(
        select(release.c.id).where(
            and_(release.c.source_key == info.key, release.c.checksum == batch.checksum)
        )
    ).first()
    if existing:
        result.status = "al aanwezig (zelfde release, niets veranderd)"
        result.release_id = existing.id
        return result
    upsert_source(conn, info)
    if batch.geo is not None:
        progress(0.3, f"{batch.file_name}: gebieden en grenzen controleren")
        rows = geo.validate_parents(conn, batch, problems)
        problems.raise_if_any()
        rel_id = _new_release(conn, info, batch, len(rows))
        progress(0.6, f"{batch.file_name}: {len(rows)} gebieden opslaan")
        geo.write(conn, batch, rows, rel_id)
        result.rows, result.release_id = len(rows), rel_id
        return result
    progress(0.2, f"{batch.file_name}: gebieden en indicatoren herkennen")
    resolver = AreaResolver(conn)
    if batch.template_rows:
        records, auto = _template_records(conn, batch, resolver, problems)
    else:
        records, auto = _assemble(conn, batch, resolver, problems, skip_unknown)
    if not records and not problems.problems:
        problems.add("geen enkele waarde herkend voor een gebied in de database")
    problems.raise_if_any()
    progress(0.5, f"{batch.file_name}: {len(records)} waarden opslaan")
    for meta in auto.values():
        conn.execute(insert(indicator).values(source_key=info.key, **meta))
    if auto:
        result.notices.append(
            f"{len(auto)} nieuwe indicator(en) aangemaakt; vul hun metadata "
            "aan in de indicatorcatalogus"
        )
    rel_id = _new_release(conn, info, batch, len(records))
    for rec in records:
        rec["release_id"] = rel_id
    for start in range(0, len(records), 5000):
        conn.execute(insert(observation), records[start : start + 5000])
    _supersede(conn, rel_id)
    if replace_file:
        _retire_earlier_versions(conn, rel_id, info.key, batch.file_name)
    progress(0.8, f"{batch.file_name}: afgeleide indicatoren herberekenen")
    derive.recompute(conn)
    result.rows, result.skipped, result.release_id = len(records), batch.skipped, rel_id
    return result


def _new_release(conn: Connection, info: SourceInfo, batch: Batch, rows: int) -> int:
    return insert_release(
        conn,
        source_key=info.key,
        file_name=batch.file_name,
        checksum=batch.checksum,
        file_format=batch.file_format,
        row_count=rows,
        skipped_count=batch.skipped,
    )


def _supersede(conn: Connection, rel_id: int) -> None:
    """A newer release wins for every (indicator, area, period, variant) it holds."""
    new = observation.alias("new")
    conn.execute(
        update(observation)
        .where(
            observation.c.release_id != rel_id,
            observation.c.release_id.is_not(None),
            observation.c.current.is_(True),
        )
        .where(
            select(new.c.id)
            .where(
                new.c.release_id == rel_id,
                new.c.indicator_id == observation.c.indicator_id,
                new.c.area_code == observation.c.area_code,
                new.c.period == observation.c.period,
                new.c.variant == observation.c.variant,
            )
            .exists()
        )
        .values(current=False)
    )


def _retire_earlier_versions(conn: Connection, rel_id: int, source_key: str, name: str) -> None:
    """Earlier releases of the same file of the same source are no longer current."""
    earlier = select(release.c.id).where(
        release.c.source_key == source_key, release.c.file_name == name, release.c.id != rel_id
    )
    conn.execute(
        update(observation)
        .where(observation.c.release_id.in_(earlier), observation.c.current.is_(True))
        .values(current=False)
    )


def import_upload(
    engine: Engine,
    file_name: str,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress = noop,
) -> ImportResult:
    """Import bytes from the upload form: same importer, same errors as the command line."""
    import tempfile

    safe = re.sub(r"[^\w.\-]+", "_", Path(file_name).name)[:120] or "upload.csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        return import_file(engine, path, dry_run=dry_run, display_name=file_name, progress=progress)

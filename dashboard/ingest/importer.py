"""Import one file into the database: all-or-nothing, in one transaction.

Flow: read (readers / geo) -> resolve areas and indicators (areas / records) -> validate
everything, collecting every problem -> write a release, its observations or geometries -> mark
superseded values -> recompute derived indicators. Any problem raises ValidationError and the
transaction is rolled back.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from dashboard.errors import Collector
from dashboard.ingest import catalogue, derive, geo, plan, xlsx
from dashboard.ingest.areas import AreaResolver
from dashboard.ingest.batch import Batch
from dashboard.ingest.readers import GEO_SUFFIXES, MAX_FILE_BYTES, read_table
from dashboard.ingest.records import assemble, template_records
from dashboard.ingest.result import ImportResult, Progress, noop
from dashboard.store.schema import indicator, observation, release, source
from dashboard.store.writes import SourceInfo, insert_release, lock_imports, upsert_source


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
    allow_changes: bool = False,
    sheet: str | None = None,
    user: str = "",
) -> ImportResult:
    """Import one file. Raises ValidationError (nothing changed) when anything is wrong.

    `replace_file`: this file is a new version of an earlier import of the same file name and
    source, and replaces it whole (a key that the new version no longer has stops being
    current). The build uses it for the shipped files; a user's import only supersedes per key.
    `allow_changes`: a catalogue file may rename an area, change its level or an indicator's
    unit (listed in the notices); without it such a row is refused.
    `sheet`: of an Excel workbook, the sheet to read (default the first); the sheet becomes
    the rows a CSV would hold and runs through the same readers (`ingest.xlsx`).
    `user`: who imports it (the signed-in user of the upload form), recorded with each release.
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
    sheets: list[str] = []
    if xlsx.is_workbook_name(name) or xlsx.is_workbook_name(path.name):
        sheets = xlsx.sheet_names(data, name)
        name, data = xlsx.to_csv(data, name, sheet)
    elif sheet:
        problems.add(f"een blad ('{sheet}') kiezen kan alleen bij een Excel-werkmap (.xlsx)")
        problems.raise_if_any()
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
            # first in the transaction: the whole import, derivation included, runs under it
            lock_imports(conn)
            before = conn.execute(select(func.coalesce(func.max(release.c.id), 0))).scalar()
            if special in plan.KINDS:
                result = plan.load_file(conn, special, name, data, source_info)
            elif special:
                result = catalogue.load(
                    conn, special, name, data, source_info, allow_changes=allow_changes
                )
            else:
                result = _import_batch(
                    conn, batch, source_info, skip_unknown_areas, progress, replace_file
                )
            if user:  # the releases this import made (imports run one at a time: the lock)
                conn.execute(
                    update(release).where(release.c.id > before).values(imported_by=user[:200])
                )
            if dry_run:
                trans.rollback()
                result.status = "proef (niets opgeslagen)"
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
    if len(sheets) > 1 and not sheet:
        result.notices.append(
            f"de werkmap heeft {len(sheets)} bladen ({', '.join(sheets)}); het eerste is gelezen. "
            "Kies een ander blad met --blad NAAM of het veld 'Blad' van het uploadformulier"
        )
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
        records, auto = template_records(conn, batch, resolver, problems)
    else:
        records, auto = assemble(conn, batch, resolver, problems, skip_unknown)
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
    sheet: str | None = None,
    user: str = "",
) -> ImportResult:
    """Import bytes from the upload form: same importer, same errors as the command line."""
    import tempfile

    safe = re.sub(r"[^\w.\-]+", "_", Path(file_name).name)[:120] or "upload.csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        return import_file(
            engine,
            path,
            dry_run=dry_run,
            display_name=file_name,
            progress=progress,
            sheet=sheet,
            user=user,
        )

"""Build the database from the shipped default data (`data/bronnen.toml`)."""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine

from dashboard import settings
from dashboard.ingest.importer import import_file
from dashboard.ingest.result import ImportResult, Progress, noop
from dashboard.store.schema import create_schema, release
from dashboard.store.writes import SourceInfo, insert_release, upsert_source


def read_manifest(path: Path | str | None = None) -> dict:
    path = Path(path or settings.get("DATA_MANIFEST"))
    with path.open("rb") as fh:
        manifest = tomllib.load(fh)
    manifest["_dir"] = path.parent
    manifest["_path"] = path
    return manifest


def source_info(manifest: dict, key: str) -> SourceInfo:
    b = manifest["bronnen"][key]
    return SourceInfo(
        key=key,
        owner=b["eigenaar"],
        table_id=b["tabel"],
        title=b["titel"],
        licence=b["licentie"],
        url=b.get("url", ""),
        note=b.get("toelichting", ""),
    )


def build(
    engine: Engine, manifest_path: Path | str | None = None, progress: Progress = noop
) -> list[ImportResult]:
    """Create the schema and import every step of the manifest, in order.

    Each step is its own transaction, so a rerun skips what is already there (same checksum),
    and a shipped file that changed replaces its earlier version whole.
    """
    manifest = read_manifest(manifest_path)
    create_schema(engine)
    steps = manifest["stap"]
    # A release knows its file by name only: two steps with the same file name and source
    # (2023/wijken.csv, 2024/wijken.csv) are different files, and must not replace each other.
    names = Counter((step.get("bron"), Path(step["bestand"]).name) for step in steps)
    results = []
    for i, step in enumerate(steps):
        path = manifest["_dir"] / step["bestand"]

        def step_progress(fraction: float, message: str, i=i) -> None:
            progress((i + fraction) / len(steps), f"stap {i + 1}/{len(steps)}: {message}")

        info = source_info(manifest, step["bron"]) if "bron" in step else None
        results.append(
            import_file(
                engine,
                path,
                mapping=step.get("kolommen_config"),
                source_info=info,
                skip_unknown_areas=step.get("onbekende_gebieden") == "overslaan",
                indeling=step.get("indeling"),
                exclude_areas=tuple(step.get("uitsluiten", ())),
                progress=step_progress,
                # a changed shipped file is the new state of that file
                replace_file=names[(step.get("bron"), path.name)] == 1,
                # the shipped catalogue is the reference: a new version may rename or re-unit
                allow_changes=True,
            )
        )
    _mark_complete(engine, manifest)
    return results


BUILD_SOURCE = "standaardgegevens"


def manifest_digest(manifest: dict) -> str:
    """Checksum of the manifest and every file it names: changes when the shipped data do."""
    digest = hashlib.sha256()
    digest.update(Path(manifest["_path"]).read_bytes())
    for step in manifest["stap"]:
        digest.update((manifest["_dir"] / step["bestand"]).read_bytes())
    return digest.hexdigest()


def _mark_complete(engine: Engine, manifest: dict) -> None:
    """Record that every step of this manifest has been loaded (a build killed half-way is
    not marked, so the next start finishes it)."""
    from sqlalchemy import select

    digest = manifest_digest(manifest)
    with engine.begin() as conn:
        if conn.execute(
            select(release.c.id).where(
                release.c.source_key == BUILD_SOURCE, release.c.checksum == digest
            )
        ).first():
            return
        upsert_source(
            conn,
            SourceInfo(
                BUILD_SOURCE,
                "dashboard",
                "bronnen.toml",
                "Meegeleverde standaardgegevens (volledig ingelezen)",
                "zie de afzonderlijke bronnen",
            ),
            keep_existing=True,
        )
        insert_release(
            conn,
            source_key=BUILD_SOURCE,
            file_name="bronnen.toml",
            checksum=digest,
            file_format="manifest",
            row_count=len(manifest["stap"]),
        )


def is_complete(engine: Engine, manifest_path: Path | str | None = None) -> bool:
    """True when the database holds every step of the current manifest."""
    from sqlalchemy import inspect, select

    if not inspect(engine).has_table("release"):
        return False
    digest = manifest_digest(read_manifest(manifest_path))
    with engine.connect() as conn:
        return (
            conn.execute(
                select(release.c.id).where(
                    release.c.source_key == BUILD_SOURCE, release.c.checksum == digest
                )
            ).first()
            is not None
        )

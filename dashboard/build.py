"""Build the database from the shipped default data (`data/bronnen.toml`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import Engine

from . import settings
from .db import create_schema
from .importer import ImportResult, Progress, _noop, import_file
from .readers import SourceInfo


def read_manifest(path: Path | str | None = None) -> dict:
    path = Path(path or settings.get("DATA_MANIFEST"))
    with path.open("rb") as fh:
        manifest = tomllib.load(fh)
    manifest["_dir"] = path.parent
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
    engine: Engine, manifest_path: Path | str | None = None, progress: Progress = _noop
) -> list[ImportResult]:
    """Create the schema and import every step of the manifest, in order.

    Each step is its own transaction, so a rerun skips what is already there (same checksum).
    """
    manifest = read_manifest(manifest_path)
    create_schema(engine)
    steps = manifest["stap"]
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
            )
        )
    return results

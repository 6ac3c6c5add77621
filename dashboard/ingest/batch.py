"""The normalised batch every reader fills: the file's `Cell`s (or template rows, or geometries)
and what was learnt about the file while reading it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dashboard.domain.parsing import slug
from dashboard.store.writes import SourceInfo


@dataclass
class Cell:
    """One value in a file, before indicator mapping. `row` is the 1-based line in the file."""

    row: int
    column: str
    area: str
    period: str
    provisional: bool
    dim: str
    dim_label: str
    measure: str
    measure_label: str
    unit: str
    raw: object
    margin: str = ""  # "", "marge" (± half-width), "ondergrens" or "bovengrens"
    variant: str = ""
    area_column: str = ""  # the column that names the area, for messages about unknown areas
    note: str = ""


@dataclass
class Batch:
    file_name: str
    checksum: str
    file_format: str
    source: SourceInfo | None = None
    table_id: str = ""
    cells: list[Cell] = field(default_factory=list)
    decimal: str = "."
    template_rows: list[dict] = field(default_factory=list)
    title: str = ""
    owner_hint: str = ""
    problems: list = field(default_factory=list)
    geo: object = None  # GeoDataFrame in EPSG:28992 with code, name, level, parent_code
    indeling: int | None = None
    skipped: int = 0
    notices: list[str] = field(default_factory=list)
    mapping: dict | None = None  # explicit column mapping from the manifest (wide files)

    def table_key(self) -> str:
        """Table id, else a short key from the title or the file name (for indicator ids)."""
        return self.table_id or slug(self.title, 30) or slug(Path(self.file_name).stem, 30)

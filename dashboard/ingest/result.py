"""What an import reports: its result, and the progress callback it calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[float, str], None]


@dataclass
class ImportResult:
    file_name: str
    source_key: str
    file_format: str
    status: str  # "geïmporteerd", "al aanwezig", "proef (niets opgeslagen)"
    rows: int = 0
    skipped: int = 0
    release_id: int | None = None
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.file_name}: {self.status}",
            f"formaat {self.file_format}",
            f"bron {self.source_key}",
            f"{self.rows} rijen",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} overgeslagen")
        return "; ".join(parts) + "".join(f"\n  - {n}" for n in self.notices)


def noop(_fraction: float, _message: str) -> None:
    pass

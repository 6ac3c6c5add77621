"""Validation problems are collected and raised once, with file, row and column."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"bestand {self.file}"]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ValidationError(ValueError):
    """All problems found in one input, in Dutch, raised together."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        head = f"Import geweigerd: {n} {'probleem' if n == 1 else 'problemen'} gevonden."
        lines = [f"- {p}" for p in self.problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"- ... en nog {n - MAX_LISTED} problemen van dezelfde soort")
        return "\n".join([head, *lines, "Er is niets in de database veranderd."])


class Collector:
    """Collect problems for one file; `raise_if_any` raises a single ValidationError."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, row, column))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

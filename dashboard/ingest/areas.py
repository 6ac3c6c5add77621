"""Area resolution for the importer: CBS codes and area names ('Hengelo (O.)') to the codes
known in the database, and the CBS regions that are no area at all."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import Connection, select

from dashboard.domain.parsing import (
    clean_code,
    is_area_code,
    level_of,
    normalise_name,
    strip_suffix,
)
from dashboard.ingest import catalogue
from dashboard.store.schema import area, area_alias

# Regions in CBS tables that are not a gemeente, wijk or buurt and are skipped with a notice.
NON_AREA_PATTERNS = [
    re.compile(r"\((BT|PD|RE|PO|PV|CR|LD|GGD|VR|RR|RD|LG|COROP)\)$", re.IGNORECASE),
    re.compile(r"niet[- ]gemeentelijk ingedeeld|niet in te delen", re.IGNORECASE),
    re.compile(r"^(buitenland|onbekend)$", re.IGNORECASE),
]

# How a region name marks a gemeente: '(gemeente)' in StatLine downloads, '(GM)' in the CBS
# regional tables since 2021 ("Hengelo (O.) (GM)").
GEMEENTE_SUFFIXES = {"gemeente", "gm"}


class AreaResolver:
    """Resolve area codes and names ('Hengelo (O.)') to CBS codes known in the database.

    Rules (documented in the README):
    - codes must be known; wijk/buurt codes of a gemeente whose wijken/buurten are not loaded
      at all are outside the dashboard's coverage and skipped (reason 'buiten');
    - names match exactly (case, accents and spacing aside), via `area_alias`, or without the
      suffix '(gemeente)' or '(GM)'; a name without suffix also matches a known name with a province
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
        marked = suffix is not None and suffix.group(1).strip().lower() in GEMEENTE_SUFFIXES
        if not cands and marked:
            cands = self.by_name.get(normalise_name(strip_suffix(ref)))
        if cands:
            return self._pick(cands, year), ""
        if year < self.first_year:
            return None, "buiten"  # a gemeente that no longer existed when our indeling starts
        return None, "onbekende gebiedsnaam"

"""Readers of CBS tables: the StatLine CSV download (long and pivoted table export) and the
CBS / politie open-data (OData) and `cbsodata` tables, into the cells of a `Batch`."""

from __future__ import annotations

import re

from dashboard.domain.parsing import (
    ParseError,
    clean_code,
    collapse_ws,
    is_area_code,
    looks_numeric,
    parse_period,
)
from dashboard.errors import Collector
from dashboard.ingest.batch import Batch, Cell
from dashboard.ingest.csvrows import data_rows

REGION_COLUMNS = {
    "regio's",
    "regios",
    "regio",
    "regios_code",
    "gemeenten",
    "gemeente",
    "wijken en buurten",
    "wijkenenbuurten",
    "regioS".lower(),
    "gebied",
}
PERIOD_COLUMNS = {"perioden", "periode", "jaar"}
TABLE_ID_RE = re.compile(r"([0-9]{5}(?:NED|ENG)|[0-9]{5})", re.IGNORECASE | re.ASCII)


def table_id(name: str, title_lines: list[str]) -> str:
    for text in [name, *title_lines]:
        m = TABLE_ID_RE.search(text)
        if m:
            tid = m.group(1).upper()
            return tid if tid.endswith(("NED", "ENG")) else tid + "NED"
    return ""


def _unit_of(header: str) -> tuple[str, str]:
    """'Geregistreerde misdrijven per 1000 inw.  (per 1 000 inwoners)' -> (label, unit)."""
    header = collapse_ws(header)
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", header)
    label, unit = (m.group(1), m.group(2)) if m else (header, "")
    label = label.split("/")[-1].strip() or label
    return label, unit


def _camel_label(key: str) -> str:
    """'TotaleFunctionerenTevreden_38' -> 'Totale functioneren tevreden'."""
    base = re.sub(r"_[0-9]+$", "", key)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else key


def _region_header_row(rows: list[list[str]]) -> int | None:
    """Index of the last header row that starts with a region label ("Regio's")."""
    found = None
    for i, row in enumerate(rows[:40]):
        if row and collapse_ws(row[0]).lower() in REGION_COLUMNS and len(row) >= 2:
            found = i
    return found


def is_pivoted(rows: list[list[str]]) -> bool:
    """A StatLine table export: periods or topics as columns, regions as rows."""
    h = _region_header_row(rows)
    if h is None:
        return False
    header = [collapse_ws(c).lower() for c in rows[h]]
    return "perioden" not in header and "periode" not in header


def read_statline_pivot(batch: Batch, rows: list[list[str]], problems: Collector) -> None:
    """Read a StatLine table export (see tests/fixtures/real/statline_*).

    Layout: title lines and filter lines ("Soort misdrijf: Totaal misdrijven") with one field;
    a header block whose last row starts with "Regio's"; then one row per region; then a
    footer ("Bron: CBS"). Each value column is described by the header cells above it
    (topic, period, unit); leading text columns hold further row dimensions (topic, unit).
    """
    h = _region_header_row(rows)
    width = len(rows[h])
    first = h
    while first > 0 and len(rows[first - 1]) > 1:
        first -= 1
    header_rows = [rows[i] + [""] * (width - len(rows[i])) for i in range(first, h + 1)]
    fixed = [collapse_ws(r[0]) for r in rows[:first] if len(r) == 1 and ":" in r[0]]
    owner_lines = [collapse_ws(r[0]) for r in rows if len(r) == 1 and r[0].startswith("Bron")]
    title_lines = [collapse_ws(r[0]) for r in rows[:first] if len(r) == 1 and r[0].strip()]
    batch.table_id = batch.table_id or table_id(batch.file_name, title_lines)
    batch.title = title_lines[0] if title_lines else ""
    batch.owner_hint = owner_lines[0].removeprefix("Bron:").strip() if owner_lines else ""
    body = data_rows(rows, h, width, problems)
    if not body:
        return
    # Row-dimension columns: leading columns with text values.
    dims = []
    for j in range(1, width):
        values = [r[j] for _, r in body[:200] if r[j].strip()]
        if values and sum(looks_numeric(v, batch.decimal) for v in values) < len(values) / 2:
            dims.append(j)
        else:
            break
    unit_col = next((j for j in dims if not collapse_ws(rows[h][j])), None)
    dim_cols = [j for j in dims if j != unit_col]
    # Forward-fill merged header cells from the left, per header row.
    filled = []
    for row in header_rows:
        out, last = [], ""
        for j, cell in enumerate(row):
            last = collapse_ws(cell) or (last if j > max(dims, default=0) else "")
            out.append(last)
        filled.append(out)
    row_labels = {collapse_ws(r[0]).lower() for r in header_rows}
    skip_words = {"perioden", "periode", "onderwerp", "onderwerpen", ""} | REGION_COLUMNS
    columns = {}
    for j in range(max(dims, default=0) + 1, width):
        period, prov, parts = None, False, []
        for i, row in enumerate(filled):
            cell = row[j]
            try:
                period, prov = parse_period(cell)
                continue
            except ParseError:
                pass
            if cell.lower() in skip_words or cell.lower() in row_labels and i < len(filled) - 1:
                continue
            parts.append(cell)
        if period is None:
            problems.add(
                "geen periode gevonden in de kopregels boven deze kolom",
                row=h + 1,
                column=str(j + 1),
            )
            continue
        unit = (
            parts[-1]
            if len(parts) > 1
            or (
                parts
                and collapse_ws(rows[h][0]).lower() in REGION_COLUMNS
                and filled[-1][j] == parts[-1]
            )
            else ""
        )
        label = " / ".join(p for p in parts if p != unit) or "waarde"
        columns[j] = (period, prov, label, unit)
    for line, r in body:
        extra = [collapse_ws(r[j]) for j in dim_cols]
        dim = " | ".join(fixed + extra)
        unit_here = collapse_ws(r[unit_col]) if unit_col is not None else ""
        for j, (period, prov, label, unit) in columns.items():
            measure = label if label != "waarde" or not extra else extra[-1]
            column = " ".join(c for c in (row[j] for row in filled) if c)
            batch.cells.append(
                Cell(
                    line,
                    column,
                    collapse_ws(r[0]),
                    period,
                    prov,
                    dim,
                    dim,
                    label,
                    measure,
                    unit or unit_here,
                    r[j],
                    area_column=collapse_ws(rows[h][0]),
                )
            )


def _split_columns(header, body, decimal):
    """Split StatLine columns into dimensions (text) and measures (numbers), in order."""
    dims, measures = [], []
    for j, col in enumerate(header):
        values = [r[j] for _, r in body[:200] if r[j].strip()]
        numeric = sum(looks_numeric(v, decimal) for v in values)
        is_dim = col.lower() in REGION_COLUMNS | PERIOD_COLUMNS | {"marges", "id"}
        if not measures and (is_dim or (values and numeric < len(values) / 2)):
            dims.append(j)
        else:
            measures.append(j)
    return dims, measures


def read_statline(batch: Batch, header, body, problems: Collector) -> None:
    low = [c.lower() for c in header]
    dims, measures = _split_columns(header, body, batch.decimal)
    region = next((j for j in dims if low[j] in REGION_COLUMNS), None)
    period = next((j for j in dims if low[j] in PERIOD_COLUMNS), None)
    if region is None:
        problems.add("kolom met regio's ontbreekt (verwacht bijvoorbeeld \"Regio's\")", row=1)
    if period is None:
        problems.add("kolom 'Perioden' ontbreekt", row=1)
    if not measures:
        problems.add("geen kolommen met cijfers gevonden", row=1)
    if region is None or period is None or not measures:
        return
    other = [j for j in dims if j not in (region, period)]
    labels = {j: _unit_of(header[j]) for j in measures}
    for line, r in body:
        if (parsed := _period(r[period], line, header[period], problems)) is None:
            continue
        per, prov = parsed
        dim = " | ".join(collapse_ws(r[j]) for j in other)
        for j in measures:
            label, unit = labels[j]
            batch.cells.append(
                Cell(
                    line,
                    header[j],
                    collapse_ws(r[region]),
                    per,
                    prov,
                    dim,
                    dim,
                    header[j],
                    label,
                    unit,
                    r[j],
                    area_column=header[region],
                )
            )


def read_cbs_table(batch: Batch, header, body, problems: Collector) -> None:
    low = [c.lower() for c in header]
    region = next((j for j, c in enumerate(low) if c in REGION_COLUMNS), None)
    period = low.index("perioden")
    marges = low.index("marges") if "marges" in low else None
    if region is None:
        problems.add("kolom met regio's ontbreekt (verwacht RegioS, WijkenEnBuurten of Gemeenten)")
        return
    skip = {region, period, marges, low.index("id")}
    dims, measures = [], []
    for j, col in enumerate(header):
        if j in skip:
            continue
        if not re.search(r"_[0-9]+$", col):
            dims.append(j)  # CBS convention: topics end in _<number>, dimensions never do
            continue
        values = [r[j].strip() for _, r in body[:200] if r[j].strip()]
        if values and not any(looks_numeric(v, ".") for v in values):
            batch.notices.append(
                f"kolom '{col}' bevat tekst (een kenmerk, geen cijfer) en is niet geïmporteerd"
            )
            continue
        measures.append(j)
    for line, r in body:
        if (parsed := _period(r[period], line, header[period], problems)) is None:
            continue
        per, prov = parsed
        dim = " | ".join(clean_code(r[j]) if is_area_code(r[j]) else r[j].strip() for j in dims)
        is_margin = margin_role(r[marges]) if marges is not None else ""
        area = r[region].strip()
        area = clean_code(area) if is_area_code(area) else collapse_ws(area)
        for j in measures:
            batch.cells.append(
                Cell(
                    line,
                    header[j],
                    area,
                    per,
                    prov,
                    dim,
                    dim,
                    header[j],
                    _camel_label(header[j]),
                    "",
                    r[j],
                    margin=is_margin,
                    area_column=header[region],
                )
            )


def margin_role(label: str) -> str:
    """The role of a row by its `Marges` label: "" for the value itself, "marge" for a 95%
    half-width (2012-2019 Veiligheidsmonitor), "ondergrens"/"bovengrens" for interval bounds
    (2021 onwards, not always symmetric)."""
    low = collapse_ws(label).lower()
    if "ondergrens" in low:
        return "ondergrens"
    if "bovengrens" in low:
        return "bovengrens"
    return "marge" if low.startswith(("betrouwbaar", "marge")) else ""


def _period(raw: str, line: int, column: str, problems: Collector) -> tuple | None:
    """The period of one data row (and whether it is provisional), or None with the problem
    collected."""
    try:
        return parse_period(raw)
    except ParseError as exc:
        problems.add(str(exc), row=line, column=column)
        return None

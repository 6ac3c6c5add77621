"""Readers of CBS tables: the StatLine CSV download (long and pivoted table export) and the
CBS / politie open-data (OData) tables as CBS writes them or as the `cbsodata` (Python) and
`cbsodataR` (R) packages do, into the cells of a `Batch`."""

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
# CBS keys of topics (measures) end in _<number> ('GeregistreerdeMisdrijven_1'); dimensions
# ('WijkenEnBuurten', 'Perioden') never do.
MEASURE_KEY_RE = re.compile(r"_[0-9]+$", re.ASCII)
# A CBS period code: 2023JJ00, 2023KW02, 2023MM03, 2023HJ01, 2023X000.
CBS_PERIOD_RE = re.compile(r"^[0-9]{4}(JJ|KW|MM|HJ|X0)[0-9]{2}$", re.ASCII)
# A column that repeats another in another form is named '<column>_<word>': cbsodataR's
# cbs_add_label_columns ('WijkenEnBuurten_label'), cbs_add_date_column ('Perioden_Date',
# 'Perioden_freq'), cbs_add_unit_column, cbs_add_statcode_column.
_COMPANION_RE = re.compile(r"^(?P<base>.+)_(?P<word>[A-Za-z]+)$", re.ASCII)
TABLE_ID_RE = re.compile(r"([0-9]{5}(?:NED|ENG)|[0-9]{5})", re.IGNORECASE | re.ASCII)


def table_id(name: str, title_lines: list[str]) -> str:
    for text in [name, *title_lines]:
        m = TABLE_ID_RE.search(text)
        if m:
            tid = m.group(1).upper()
            return tid if tid.endswith(("NED", "ENG")) else tid + "NED"
    return ""


def shown_columns(header: list[str], limit: int = 12) -> str:
    """The columns a file has, for a message: "'ID', 'WijkenEnBuurten', ..."."""
    names = [f"'{c}'" if c else "(kolom zonder naam)" for c in header[:limit]]
    return ", ".join(names) + (f" en {len(header) - limit} meer" if len(header) > limit else "")


def companion_columns(header: list[str]) -> dict[int, str]:
    """Columns named '<column>_<word>' beside a column of that name ({index: that column}): a
    label, date, frequency or unit written next to a code; never a topic (those end in a
    number)."""
    by_low = {c.lower(): c for c in header}
    out = {}
    for j, col in enumerate(header):
        m = _COMPANION_RE.match(col)
        if m and m.group("base").lower() in by_low:
            out[j] = by_low[m.group("base").lower()]
    return out


def is_cbs_keyed(header: list[str]) -> bool:
    """A table with CBS topic keys as column names ('AantalInwoners_5')."""
    return any(MEASURE_KEY_RE.search(c) for c in header)


def cbs_decimal(header: list[str], body, delimiter: str, columns=None) -> str:
    """The decimal sign of a machine-written CBS table: '.' with ',' between fields (CBS, R's
    write.csv, pandas); with ';' (R's write.csv2 writes ',', some dumps '.') the first value with
    a decimal part in a topic column (or in `columns`, names in lower case) decides. Topic
    columns never hold thousands separators, so '1810.0' there is a decimal point."""
    if delimiter != ";":
        return "."
    keys = [
        j
        for j, c in enumerate(header)
        if (c.lower() in columns if columns is not None else MEASURE_KEY_RE.search(c))
    ]
    for _, r in body:
        for j in keys:
            v = r[j].strip()
            if re.fullmatch(r"[+-]?[0-9]*,[0-9]+", v, re.ASCII):
                return ","
            if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", v, re.ASCII):
                return "."
    return ","


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
    if is_cbs_keyed(header):
        return False  # an OData table (cbsodataR without row names) that starts with its regions
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
        if is_dim or (not measures and values and numeric < len(values) / 2):
            dims.append(j)
        else:
            measures.append(j)
    return dims, measures


def read_statline(batch: Batch, header, body, problems: Collector, header_row: int = 1) -> None:
    low = [c.lower() for c in header]
    dims, measures = _split_columns(header, body, batch.decimal)
    # Every column with a region or period name is a dimension (see _split_columns), so "ontbreekt"
    # is only said of a column the file really lacks.
    region = next((j for j in dims if low[j] in REGION_COLUMNS), None)
    period = next((j for j in dims if low[j] in PERIOD_COLUMNS), None)
    found = "; gevonden kolommen: " + shown_columns(header)
    if region is None:
        problems.add(
            "kolom met regio's ontbreekt (verwacht bijvoorbeeld \"Regio's\")" + found,
            row=header_row,
        )
    if period is None:
        problems.add("kolom 'Perioden' ontbreekt" + found, row=header_row)
    if not measures:
        problems.add("geen kolommen met cijfers gevonden" + found, row=header_row)
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


def read_cbs_table(batch: Batch, header, body, problems: Collector, header_row: int = 1) -> None:
    """An OData table: codes for regions, periods (2023JJ00) and other dimensions, topics by
    their key. Columns beside a code that repeat it as a label, date or frequency (cbsodataR's
    `<dim>_label`, `Perioden_Date`, `Perioden_freq`) are not read: the codes are."""
    low = [c.lower() for c in header]
    companions = companion_columns(header)
    found = "; gevonden kolommen: " + shown_columns(header)
    region = next(
        (j for j, c in enumerate(low) if c in REGION_COLUMNS and j not in companions), None
    )
    period = low.index("perioden") if "perioden" in low else None
    marges = low.index("marges") if "marges" in low else None
    if region is None:
        problems.add(
            "kolom met regio's ontbreekt (verwacht RegioS, WijkenEnBuurten of Gemeenten)" + found,
            row=header_row,
        )
    if period is None:
        problems.add("kolom 'Perioden' ontbreekt" + found, row=header_row)
    if region is None or period is None:
        return
    skip = {region, period, marges, low.index("id") if "id" in low else None, *companions}
    if companions:
        batch.notices.append(
            "kolommen naast de codes niet gebruikt (de codes tellen): "
            + ", ".join(header[j] for j in sorted(companions))
        )
    dims, measures = [], []
    for j, col in enumerate(header):
        if j in skip:
            continue
        if not MEASURE_KEY_RE.search(col):
            dims.append(j)  # CBS convention: topics end in _<number>, dimensions never do
            continue
        values = [r[j].strip() for _, r in body[:200] if r[j].strip()]
        if values and not any(looks_numeric(v, batch.decimal) for v in values):
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

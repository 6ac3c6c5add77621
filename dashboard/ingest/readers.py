"""Read the files municipal analysts download into one normalised batch.

Supported, detected from the content (the user never edits the file):
- CBS StatLine CSV download: ';', decimal comma, BOM, title and footer lines, regions by name;
- CBS / politie OData CSV: codes padded with spaces, periods like 2023JJ00;
- a table written by the `cbsodata` package: labels instead of codes, optional `Marges` column;
- the long-format template (`data/sjabloon_indicatoren.csv`);
- a "wide" CSV described by an entry in the data manifest (shipped files);
- geometries: GeoJSON, GeoPackage or Shapefile in RD New or WGS84.

Readers only read and collect problems; `importer` resolves areas and writes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.domain.parsing import (
    ParseError,
    clean_code,
    collapse_ws,
    is_area_code,
    looks_numeric,
    parse_number,
    parse_period,
    slug,
)
from dashboard.errors import Collector
from dashboard.store.writes import SourceInfo

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
GEO_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip"}
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
TABLE_ID_RE = re.compile(r"(\d{5}(?:NED|ENG)|\d{5})", re.IGNORECASE)
TEMPLATE_COLUMNS = {"indicator", "gebied", "periode", "waarde"}


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
    margin: bool = False
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


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, problems: Collector) -> str | None:
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        problems.add("het bestand is leeg")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(
            "het bestand is in UTF-16 gecodeerd; sla het op als 'CSV UTF-8' en probeer opnieuw"
        )
        return None
    if b"\x00" in data[:4096]:
        problems.add("dit is geen tekstbestand (binaire inhoud); verwacht een CSV-bestand")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            "het bestand is niet in UTF-8 gecodeerd; sla het op als 'CSV UTF-8' en probeer opnieuw",
            row=line,
        )
        return None


DELIMITERS = (";", ",")


def _sniff_delimiter(lines: list[str]) -> str:
    sample = [ln for ln in lines[:30] if ln.strip()]
    counts = {d: sum(ln.count(d) for ln in sample) for d in (";", ",", "\t", "|")}
    return max(counts, key=counts.get)


def parse_csv(text: str, problems: Collector, delimiter: str | None = None) -> list[list[str]]:
    """All rows of a CSV text, or [] with a Dutch problem (row named) when it is no valid CSV.

    Only ';' and ',' separate fields; a tab or '|' is refused with a clear message.
    """
    delimiter = delimiter or _sniff_delimiter(text.splitlines())
    if delimiter not in DELIMITERS:
        shown = "tab" if delimiter == "\t" else f"'{delimiter}'"
        problems.add(
            f"het scheidingsteken {shown} wordt niet ondersteund; sla het bestand op "
            "met ';' of ',' tussen de velden",
            row=1,
        )
        return []
    csv.field_size_limit(2**31 - 1)  # long fields are reported per row below, not by csv
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        problems.add(f"geen geldige CSV ({_csv_error_nl(exc)})", row=reader.line_num)
        return []
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if len(value) > MAX_FIELD_CHARS:
                problems.add(
                    f"veld van {len(value)} tekens; verwacht hooguit {MAX_FIELD_CHARS}",
                    row=i,
                    column=(rows[0][j] if j < len(rows[0]) else str(j + 1)),
                )
    return rows


def _csv_error_nl(exc: csv.Error) -> str:
    text = str(exc)
    if "new-line" in text:
        return "regeleinde binnen een veld zonder aanhalingstekens"
    if "EOF" in text or "quote" in text.lower():
        return "een aanhalingsteken wordt niet gesloten"
    if "NUL" in text or "null" in text.lower():
        return "ongeldig teken (NUL)"
    return "onleesbare regel"


def _table_id(name: str, title_lines: list[str]) -> str:
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
    base = re.sub(r"_\d+$", "", key)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else key


def _locate_header(rows: list[list[str]]) -> int | None:
    """First row with at least two non-empty fields whose width is the most common width of the
    (up to 20) non-empty rows after it. Not just the next row: a short first data row would
    then make the second data row the header, and the message would blame the wrong thing."""
    for i, row in enumerate(rows[:50]):
        if sum(1 for c in row if c.strip()) < 2:
            continue
        widths = Counter(len(r) for r in rows[i + 1 : i + 21] if any(c.strip() for c in r))
        if widths and widths[len(row)] == max(widths.values()):
            return i
    return None


def detect_kind(header: list[str], body: list[list[str]], delimiter: str) -> str:
    cols = {collapse_ws(h).lower() for h in header}
    if {"indicator", "gebied"} <= cols:
        return "sjabloon"  # missing columns are reported by the template reader
    periods = [
        r[[collapse_ws(h).lower() for h in header].index("perioden")].strip()
        for r in body[:20]
        if "perioden" in cols
    ]
    if "perioden" in cols and "id" in cols:
        if periods and all(re.match(r"^\d{4}(JJ|KW|MM|HJ|X0)\d{2}$", p) for p in periods):
            return "cbs_odata"
        return "cbsodata"
    if "perioden" in cols or "periode" in cols:
        return "statline"
    return "onbekend"


def read_table(path: Path, data: bytes, mapping: dict | None = None) -> Batch:
    """Read any supported CSV into a Batch; raises ValidationError with every problem found."""
    name = path.name
    problems = Collector(name)
    batch = Batch(file_name=name, checksum=checksum(data), file_format="onbekend", mapping=mapping)
    text = decode(data, problems)
    problems.raise_if_any()
    delimiter = _sniff_delimiter(text.splitlines())
    rows = parse_csv(text, problems, delimiter)
    problems.raise_if_any()
    if mapping is None and _is_pivoted(rows):
        batch.file_format = "statline_tabel"
        batch.decimal = "," if delimiter == ";" else "."
        _read_statline_pivot(batch, rows, problems)
        problems.raise_if_any()
        return batch
    h = _locate_header(rows)
    filled_rows = [r for r in rows if sum(1 for c in r if c.strip()) >= 2]
    if h is None and len(filled_rows) == 1:
        problems.add("het bestand bevat een kopregel maar geen gegevens", row=1)
        problems.raise_if_any()
    if h is None:
        problems.add(
            "geen kopregel met kolomnamen gevonden; verwacht een CSV met een kopregel en "
            f"gegevensregels met evenveel kolommen (scheidingsteken '{delimiter}' herkend)"
        )
        problems.raise_if_any()
    header = [collapse_ws(c) for c in rows[h]]
    body_rows = _body(rows, h, len(header), problems)
    if not body_rows:
        problems.raise_if_any()
    title_lines = [" ".join(r) for r in rows[:h]]
    batch.table_id = _table_id(name, title_lines)
    if mapping is not None:
        batch.file_format = "breed"
        batch.decimal = mapping.get("decimaal", "," if delimiter == ";" else ".")
        _read_wide(batch, header, body_rows, mapping, problems)
    else:
        kind = detect_kind(header, [r for _, r in body_rows], delimiter)
        batch.file_format = kind
        batch.decimal = "," if delimiter == ";" and kind in ("statline", "sjabloon") else "."
        if kind == "sjabloon":
            batch.decimal = "," if delimiter == ";" else "."
            _read_template(batch, header, body_rows, problems)
        elif kind == "statline":
            _read_statline(batch, header, body_rows, problems)
        elif kind in ("cbs_odata", "cbsodata"):
            _read_cbs_table(batch, header, body_rows, problems)
        else:
            problems.add(
                "onbekend bestandsformaat: verwacht een CBS StatLine-download (met kolom "
                "'Perioden'), een CBS/politie open-data-CSV, een cbsodata-tabel of het sjabloon "
                f"met kolommen {', '.join(sorted(TEMPLATE_COLUMNS))}; gevonden kolommen: "
                + ", ".join(header[:12]),
                row=h + 1,
            )
    if not (batch.cells or batch.template_rows):
        problems.raise_if_any()
    # Row-level problems travel with the batch, so the importer reports them together with
    # the problems it finds itself (unknown areas, duplicates): all problems at once.
    batch.problems = problems.problems
    return batch


def _region_header_row(rows: list[list[str]]) -> int | None:
    """Index of the last header row that starts with a region label ("Regio's")."""
    found = None
    for i, row in enumerate(rows[:40]):
        if row and collapse_ws(row[0]).lower() in REGION_COLUMNS and len(row) >= 2:
            found = i
    return found


def _is_pivoted(rows: list[list[str]]) -> bool:
    """A StatLine table export: periods or topics as columns, regions as rows."""
    h = _region_header_row(rows)
    if h is None:
        return False
    header = [collapse_ws(c).lower() for c in rows[h]]
    return "perioden" not in header and "periode" not in header


def _read_statline_pivot(batch: Batch, rows: list[list[str]], problems: Collector) -> None:
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
    batch.table_id = batch.table_id or _table_id(batch.file_name, title_lines)
    batch.title = title_lines[0] if title_lines else ""
    batch.owner_hint = owner_lines[0].removeprefix("Bron:").strip() if owner_lines else ""
    body = _body(rows, h, width, problems)
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


def _body(rows, h, width, problems) -> list[tuple[int, list[str]]]:
    """Data rows with their line numbers. Trailing rows with at most one filled field (such as
    "Bron: CBS") are a footer; any other row of another width is a problem."""
    body = [(i + 1, r) for i, r in enumerate(rows) if i > h]
    while body and sum(1 for c in body[-1][1] if c.strip()) <= 1 and len(body[-1][1]) != width:
        body.pop()
    out = []
    for line, r in body:
        if not any(c.strip() for c in r):
            continue
        if len(r) != width:
            problems.add(
                f"{len(r)} velden gevonden, verwacht {width} (zoals de kopregel)", row=line
            )
            continue
        out.append((line, r))
    if not out:
        problems.add("het bestand bevat een kopregel maar geen gegevens")
    return out


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


def _read_statline(batch: Batch, header, body, problems: Collector) -> None:
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
        try:
            per, prov = parse_period(r[period])
        except ParseError as exc:
            problems.add(str(exc), row=line, column=header[period])
            continue
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


def _read_cbs_table(batch: Batch, header, body, problems: Collector) -> None:
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
        if not re.search(r"_\d+$", col):
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
        try:
            per, prov = parse_period(r[period])
        except ParseError as exc:
            problems.add(str(exc), row=line, column=header[period])
            continue
        dim = " | ".join(clean_code(r[j]) if is_area_code(r[j]) else r[j].strip() for j in dims)
        is_margin = marges is not None and r[marges].strip().lower().startswith("betrouwbaar")
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


def _read_wide(batch: Batch, header, body, mapping: dict, problems: Collector) -> None:
    """A CSV described in the manifest.

    The manifest names the area column, the period column (or a fixed period) and which
    columns hold which indicators.
    """
    low = {c.lower(): j for j, c in enumerate(header)}
    missing: list[str] = []

    def col(name: str) -> int | None:
        j = low.get(str(name).lower())
        if j is None:
            missing.append(name)
            problems.add(f"kolom '{name}' ontbreekt", row=1, column=name)
        return j

    area_j = col(mapping["gebied_kolom"]) if "gebied_kolom" in mapping else None
    period_j = col(mapping["periode_kolom"]) if "periode_kolom" in mapping else None
    variant_j = col(mapping["variant_kolom"]) if "variant_kolom" in mapping else None
    note_j = col(mapping["notitie_kolom"]) if "notitie_kolom" in mapping else None
    ind_j = col(mapping["indicator_kolom"]) if "indicator_kolom" in mapping else None
    filters = {col(k): str(v) for k, v in mapping.get("filter", {}).items()}
    columns = {col(k): k for k in mapping.get("kolommen", {})}
    if missing:
        return
    for line, r in body:
        if any(r[j].strip() != v for j, v in filters.items()):
            batch.skipped += 1
            continue
        area = r[area_j].strip() if area_j is not None else mapping["gebied"]
        raw_period = r[period_j] if period_j is not None else str(mapping["periode"])
        try:
            per, prov = parse_period(raw_period)
        except ParseError as exc:
            problems.add(
                str(exc), row=line, column=header[period_j] if period_j is not None else None
            )
            continue
        variant = r[variant_j].strip() if variant_j is not None else ""
        note = r[note_j].strip() if note_j is not None else ""
        dim = collapse_ws(r[ind_j]) if ind_j is not None else ""
        for j, key in columns.items():
            batch.cells.append(
                Cell(
                    line,
                    header[j],
                    clean_code(area) if is_area_code(area) else area,
                    per,
                    prov,
                    dim,
                    dim,
                    key,
                    key,
                    "",
                    r[j],
                    variant=variant,
                    note=note,
                    area_column=header[area_j] if area_j is not None else "",
                )
            )


TEMPLATE_OPTIONAL = {
    "ondergrens",
    "bovengrens",
    "marge",
    "aantal",
    "noemer",
    "variant",
    "toelichting",
    "naam",
    "eenheid",
    "beter",
    "definitie",
}


def _read_template(batch: Batch, header, body, problems: Collector) -> None:
    low = [c.lower() for c in header]
    missing = sorted(TEMPLATE_COLUMNS - set(low))
    if missing:
        problems.add("kolom(men) ontbreken: " + ", ".join(f"'{c}'" for c in missing), row=1)
        return
    repeated = sorted({c for c in low if low.count(c) > 1})
    if repeated:
        problems.add(
            "kolom(men) komen meer dan eens voor: " + ", ".join(f"'{c}'" for c in repeated), row=1
        )
        return
    unknown = [c for c in header if c.lower() not in TEMPLATE_COLUMNS | TEMPLATE_OPTIONAL]
    if unknown:
        problems.add(
            "onbekende kolom(men): "
            + ", ".join(unknown)
            + "; toegestaan zijn "
            + ", ".join(sorted(TEMPLATE_COLUMNS | TEMPLATE_OPTIONAL)),
            row=1,
        )
        return
    for line, r in body:
        rec = {low[j]: r[j].strip() for j in range(len(header))}
        rec["_row"] = line
        batch.template_rows.append(rec)


def parse_cell(cell: Cell, decimal: str, problems: Collector) -> float | None:
    try:
        return parse_number(cell.raw, decimal)
    except ParseError as exc:
        problems.add(
            str(exc) + " (verwacht een getal of een leeg veld)", row=cell.row, column=cell.column
        )
        return None


def auto_indicator_id(table_id: str, dim: str, measure: str) -> str:
    parts = [table_id.lower(), slug(dim, 40) if dim else "", slug(measure, 60)]
    return "_".join(p for p in parts if p)


def read_rows(data: bytes, problems: Collector) -> list[tuple[int, dict]]:
    """Rows of a catalogue-style CSV (`;` or `,`) as dicts keyed by the lower-case header,
    with their line number; empty lines skipped, every problem collected."""
    text = decode(data, problems)
    if text is None:
        return []
    first = text.splitlines()[0]
    rows = parse_csv(text, problems, ";" if first.count(";") > first.count(",") else ",")
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for i, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems.add("meer velden dan kolommen in de kopregel", row=i)
            continue
        values = values + [""] * (len(header) - len(values))
        out.append((i, {k: v.strip() for k, v in zip(header, values, strict=True)}))
    if not out and not problems.problems:
        problems.add("het bestand bevat geen regels onder de kopregel")
    return out

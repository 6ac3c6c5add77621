"""Read the files municipal analysts download into one normalised batch.

Supported, detected from the content (the user never edits the file):
- CBS StatLine CSV download: ';', decimal comma, BOM, title and footer lines, regions by name;
- CBS / politie OData CSV: codes padded with spaces, periods like 2023JJ00;
- the same table as the R package `cbsodataR` returns it, saved with write.csv or write.csv2:
  row names in a first column without a name, `<dim>_label`, `Perioden_Date` and
  `Perioden_freq` beside the codes, NA for a missing value;
- a table written by the `cbsodata` package: labels instead of codes, optional `Marges` column;
- the long-format template (`data/sjabloon_indicatoren.csv`);
- a "wide" CSV described by an entry in the data manifest (shipped files);
- geometries: GeoJSON, GeoPackage or Shapefile in RD New or WGS84.

Readers only read and collect problems; `importer` resolves areas and writes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dashboard.domain.parsing import (
    ParseError,
    clean_code,
    collapse_ws,
    is_area_code,
    parse_number,
    parse_period,
    slug,
)
from dashboard.errors import Collector
from dashboard.ingest.batch import Batch, Cell
from dashboard.ingest.csvrows import (
    data_rows,
    decode,
    drop_row_numbers,
    locate_header,
    parse_csv,
    sniff_delimiter,
)
from dashboard.ingest.statline import (
    CBS_PERIOD_RE,
    MEASURE_KEY_RE,
    PERIOD_COLUMNS,
    REGION_COLUMNS,
    cbs_decimal,
    companion_columns,
    is_cbs_keyed,
    is_pivoted,
    read_cbs_table,
    read_statline,
    read_statline_pivot,
    shown_columns,
    table_id,
)

MAX_FILE_BYTES = 200 * 1024 * 1024
GEO_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip"}
TEMPLATE_COLUMNS = {"indicator", "gebied", "periode", "waarde"}


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_kind(header: list[str], body: list[list[str]], delimiter: str) -> str:
    low = [collapse_ws(h).lower() for h in header]
    cols = set(low)
    if {"indicator", "gebied"} <= cols:
        return "sjabloon"  # missing columns are reported by the template reader
    # A CBS / politie OData table has an ID column (CBS's own CSV, cbsodata) or topics named by
    # their key (cbsodataR leaves the ID out); a StatLine download has neither.
    odata = "id" in cols or is_cbs_keyed(header)
    if "perioden" in cols and odata:
        j = low.index("perioden")
        periods = [r[j].strip() for r in body[:20]]
        if periods and all(CBS_PERIOD_RE.match(p) for p in periods):
            return "cbs_odata"
        return "cbsodata"
    if "perioden" in cols or "periode" in cols:
        return "statline"
    companions = companion_columns(header)
    regions = any(c in REGION_COLUMNS for j, c in enumerate(low) if j not in companions)
    if odata and regions and not cols & PERIOD_COLUMNS:
        return "cbs_zonder_perioden"  # the period belongs to the table (Kerncijfers, 84468NED)
    return "onbekend"


def read_table(path: Path, data: bytes, mapping: dict | None = None) -> Batch:
    """Read any supported CSV into a Batch; raises ValidationError with every problem found."""
    name = path.name
    problems = Collector(name)
    batch = Batch(file_name=name, checksum=checksum(data), file_format="onbekend", mapping=mapping)
    text = decode(data, problems)
    problems.raise_if_any()
    delimiter = sniff_delimiter(text.splitlines())
    rows = parse_csv(text, problems, delimiter)
    problems.raise_if_any()
    if mapping is None and is_pivoted(rows):
        batch.file_format = "statline_tabel"
        batch.decimal = "," if delimiter == ";" else "."
        read_statline_pivot(batch, rows, problems)
        problems.raise_if_any()
        return batch
    h = locate_header(rows)
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
    body_rows = data_rows(rows, h, len(header), problems)
    if not body_rows:
        problems.raise_if_any()
    header, body_rows, numbered = drop_row_numbers(header, body_rows)
    if numbered:
        batch.notices.append("de eerste kolom (zonder naam) bevat rijnummers en is niet gebruikt")
    title_lines = [" ".join(r) for r in rows[:h]]
    batch.table_id = table_id(name, title_lines)
    if mapping is not None:
        batch.file_format = "breed"
        keys = [str(k).lower() for k in mapping.get("kolommen", {})]
        if keys and all(MEASURE_KEY_RE.search(k) for k in keys):
            # CBS topic columns ('AantalInwoners_5') are machine-written: their sign is read
            default = cbs_decimal(header, body_rows, delimiter, set(keys))
        else:
            default = "," if delimiter == ";" else "."
        batch.decimal = mapping.get("decimaal", default)
        _read_wide(batch, header, body_rows, mapping, problems, h + 1)
    else:
        kind = detect_kind(header, [r for _, r in body_rows], delimiter)
        batch.file_format = kind
        batch.decimal = "," if delimiter == ";" and kind in ("statline", "sjabloon") else "."
        if kind == "sjabloon":
            batch.decimal = "," if delimiter == ";" else "."
            _read_template(batch, header, body_rows, problems, h + 1)
        elif kind == "statline":
            read_statline(batch, header, body_rows, problems, h + 1)
        elif kind in ("cbs_odata", "cbsodata"):
            batch.decimal = cbs_decimal(header, body_rows, delimiter)
            read_cbs_table(batch, header, body_rows, problems, h + 1)
        elif kind == "cbs_zonder_perioden":
            problems.add(_no_period_message(batch.table_id, header, body_rows), row=h + 1)
        else:
            problems.add(
                "onbekend bestandsformaat: verwacht een CBS StatLine-download (met kolom "
                "'Perioden'), een CBS/politie open-data-CSV, een cbsodata-tabel of het sjabloon "
                f"met kolommen {', '.join(sorted(TEMPLATE_COLUMNS))}; gevonden kolommen: "
                + shown_columns(header),
                row=h + 1,
            )
    if not (batch.cells or batch.template_rows):
        problems.raise_if_any()
    # Row-level problems travel with the batch, so the importer reports them together with
    # the problems it finds itself (unknown areas, duplicates): all problems at once.
    batch.problems = problems.problems
    return batch


def _no_period_message(tid: str, header: list[str], body) -> str:
    """For a CBS table without a Perioden column: either one that lost it (its label or date is
    still there), or one whose period belongs to the table itself (Kerncijfers wijken en
    buurten, 84468NED 'Geregistreerde misdrijven; wijken en buurten, 2018')."""
    low = [c.lower() for c in header]
    companions = companion_columns(header)
    region = next(
        header[j] for j, c in enumerate(low) if c in REGION_COLUMNS and j not in companions
    )
    text = (
        f"dit is een CBS-tabel{f' ({tid})' if tid else ''} met gebieden in kolom '{region}' "
        "maar zonder kolom 'Perioden'"
    )
    found = "; gevonden kolommen: " + shown_columns(header)
    beside = [c for c in header if c.lower().startswith("perioden_")]
    if beside:
        return (
            text
            + f" (wel {shown_columns(beside)}, naast de codes geschreven): sla de tabel opnieuw op "
            "mét de kolom Perioden (codes zoals 2023JJ00)" + found
        )
    sample = [r for _, r in body[:50]]
    codes = next(
        (
            header[j]
            for j in range(len(header))
            if sample and sum(is_area_code(r[j]) for r in sample) > len(sample) / 2
        ),
        "",
    )
    column = f'"{codes}"' if codes else '"<kolom met gebiedscodes>"'
    return (
        text + ". Bij sommige CBS-tabellen (zoals Kerncijfers wijken en buurten) hoort de "
        "periode bij de tabel zelf en staat die niet in het bestand; zo'n bestand kan niet als "
        "upload worden ingelezen. Neem het op in data/bronnen.toml als [[stap]] met "
        f"[stap.kolommen_config] gebied_kolom = {column}, periode = <jaar van de tabel> en "
        'kolommen = { <kolom> = "<indicator>" }' + found
    )


def _read_wide(
    batch: Batch, header, body, mapping: dict, problems: Collector, header_row: int = 1
) -> None:
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
            problems.add(
                f"kolom '{name}' ontbreekt; gevonden kolommen: {shown_columns(header)}",
                row=header_row,
                column=name,
            )
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


def _read_template(batch: Batch, header, body, problems: Collector, header_row: int = 1) -> None:
    low = [c.lower() for c in header]
    missing = sorted(TEMPLATE_COLUMNS - set(low))
    if missing:
        problems.add(
            "kolom(men) ontbreken: "
            + ", ".join(f"'{c}'" for c in missing)
            + "; gevonden kolommen: "
            + shown_columns(header),
            row=header_row,
        )
        return
    repeated = sorted({c for c in low if low.count(c) > 1})
    if repeated:
        problems.add(
            "kolom(men) komen meer dan eens voor: " + ", ".join(f"'{c}'" for c in repeated),
            row=header_row,
        )
        return
    unknown = [c for c in header if c.lower() not in TEMPLATE_COLUMNS | TEMPLATE_OPTIONAL]
    if unknown:
        problems.add(
            "onbekende kolom(men): "
            + ", ".join(unknown)
            + "; toegestaan zijn "
            + ", ".join(sorted(TEMPLATE_COLUMNS | TEMPLATE_OPTIONAL)),
            row=header_row,
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

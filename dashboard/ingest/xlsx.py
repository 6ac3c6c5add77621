"""Excel workbooks (.xlsx) in: one sheet turned into the same rows the CSV path reads.

A sheet becomes CSV text (';' between fields, decimal comma), so the very same readers and
validation run as for a CSV upload: header detection, the template, the plan formats. Numbers
stay as Excel stores them (a number cell 7.4 becomes "7,4"; a text cell "7,4" is read with the
Dutch rule), date cells become ISO dates (2024-03-31), empty rows at the end are ignored, and
the rows keep their sheet numbers, so a problem names "blad X, rij N, kolom Y".

Refused in Dutch, before anything is read: macro workbooks (.xlsm, or a workbook holding VBA),
encrypted workbooks and the old .xls format, bytes that are no workbook, zip bombs, formula cells
(the value on screen is not in the file unless Excel computed it; paste the values) and sheets
beyond the row and cell limits.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta

from dashboard.domain.parsing import MAX_TEXT_CHARS
from dashboard.errors import Collector

SUFFIXES = {".xlsx", ".xlsm", ".xls"}
# Rows and cells of one sheet; a real indicator or plan sheet stays far below.
MAX_ROWS = 200_000
MAX_CELLS = 5_000_000
# The workbook's parts unpacked: a sheet of MAX_CELLS cells stays below it, a zip bomb does not.
MAX_UNPACKED = 512 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and the old .xls are OLE files


def is_workbook_name(name: str) -> bool:
    return any(name.lower().endswith(s) for s in SUFFIXES)


def sheet_label(file_name: str, sheet: str) -> str:
    """How problems name the place: 'bestand plan.xlsx, blad Acties, rij 4, kolom ...'."""
    return f"{file_name}, blad {sheet}"


def open_workbook(data: bytes, name: str):
    """The workbook (read-only, formulas as written) or a ValidationError in Dutch."""
    import openpyxl  # imported here: only Excel uploads need it

    problems = Collector(name)
    low = name.lower()
    if low.endswith(".xlsm"):
        problems.add(
            "Excel-bestanden met macro's (.xlsm) worden niet ingelezen; sla het blad op als "
            "gewone Excel-werkmap (.xlsx)"
        )
    elif data.startswith(OLE):
        problems.add(
            "dit Excel-bestand is met een wachtwoord versleuteld of in het oude .xls-formaat "
            "opgeslagen; sla het zonder wachtwoord op als Excel-werkmap (.xlsx)"
        )
    elif not data.startswith(b"PK"):
        problems.add("dit is geen Excel-werkmap (.xlsx); verwacht een bestand uit Excel")
    problems.raise_if_any()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        problems.add("dit is geen geldige Excel-werkmap (.xlsx): het bestand is beschadigd")
        problems.raise_if_any()
    names = {p.filename.lower() for p in parts}
    if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
        problems.add("dit is geen Excel-werkmap (.xlsx): de onderdelen van een werkmap ontbreken")
    elif any(n.endswith("vbaproject.bin") for n in names):
        problems.add(
            "deze werkmap bevat macro's (VBA); sla het blad op als gewone Excel-werkmap (.xlsx) "
            "zonder macro's"
        )
    elif sum(p.file_size for p in parts) > MAX_UNPACKED:
        problems.add(
            f"de werkmap is uitgepakt groter dan {MAX_UNPACKED // 2**20} MB; lees minder rijen "
            "tegelijk in"
        )
    problems.raise_if_any()
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged part  # noqa: BLE001
        problems.add(
            f"de Excel-werkmap is niet te lezen ({type(exc).__name__}); sla haar opnieuw op "
            "als .xlsx en probeer opnieuw"
        )
        problems.raise_if_any()
        raise AssertionError("unreachable") from exc


def sheet_names(data: bytes, name: str) -> list[str]:
    wb = open_workbook(data, name)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def pick_sheet(wb, name: str, sheet: str | None):
    """The named sheet, or the first one; an unknown name is a problem listing the sheets."""
    if not sheet:
        return wb.worksheets[0]
    if sheet in wb.sheetnames:
        return wb[sheet]
    problems = Collector(name)
    problems.add(
        f"blad '{sheet}' bestaat niet in deze werkmap; bladen: "
        + ", ".join(f"'{s}'" for s in wb.sheetnames)
    )
    problems.raise_if_any()
    return None


def cell_text(value) -> str:
    """A cell as the text a CSV export with a decimal comma would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")  # shortest text that reads back the same float
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def sheet_values(data: bytes, name: str, sheet: str | None = None):
    """(label, rows of raw cell values): the rows from row 1, empty rows at the end dropped.
    Formula cells, too many rows or cells and too long texts are problems naming the cell."""
    from openpyxl.utils import get_column_letter

    wb = open_workbook(data, name)
    try:
        ws = pick_sheet(wb, name, sheet)
        label = sheet_label(name, ws.title)
        problems = Collector(label)
        rows: list[list] = []
        cells = 0
        for i, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=False), start=1):
            if i > MAX_ROWS:
                problems.add(f"het blad heeft meer dan {MAX_ROWS} rijen; lees minder tegelijk in")
                break
            values = []
            for j, cell in enumerate(row, start=1):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    problems.add(
                        f"cel {get_column_letter(j)}{i} bevat een formule; plak de waarden "
                        "(Plakken speciaal, Waarden) en sla opnieuw op",
                        row=i,
                        column=get_column_letter(j),
                    )
                    value = None
                elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    problems.add(
                        f"veld van {len(value)} tekens; verwacht hooguit {MAX_TEXT_CHARS}",
                        row=i,
                        column=get_column_letter(j),
                    )
                    value = ""
                values.append(value)
            cells += len(values)
            if cells > MAX_CELLS:
                problems.add(f"het blad heeft meer dan {MAX_CELLS} cellen; lees minder tegelijk in")
                break
            rows.append(values)
            if len(problems.problems) > 200:
                break
        problems.raise_if_any()
    finally:
        wb.close()
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    if not rows:
        problems.add("het blad is leeg")
        problems.raise_if_any()
    return label, rows


def to_csv(data: bytes, name: str, sheet: str | None = None) -> tuple[str, bytes]:
    """(label for problems, the sheet as CSV bytes with ';' and a decimal comma).

    A row with at most one filled cell (a title, a footer such as "Bron: CBS") is cut after
    that cell, as a CSV export writes it; other rows are as wide as the widest, so an empty
    last cell does not make a row shorter than the header."""
    label, rows = sheet_values(data, name, sheet)
    texts = [[cell_text(v) for v in r] for r in rows]
    width = max((_used(r) for r in texts if sum(1 for c in r if c.strip()) >= 2), default=0)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for r in texts:
        filled = sum(1 for c in r if c.strip())
        if filled == 0:
            out.write("\n")
        elif filled == 1:
            writer.writerow(r[: _used(r)])
        else:
            writer.writerow((r + [""] * width)[:width])
    return label, out.getvalue().encode("utf-8")


def _used(row: list[str]) -> int:
    """Position after the last filled cell."""
    return max((j + 1 for j, c in enumerate(row) if c.strip()), default=0)

"""Tables as Excel workbooks (.xlsx): every table download, and the voortgangsrapportage.

Text from data files never runs as a formula: every text cell is neutralised like a CSV
download (`neutral_cells`) and written as a text cell, never as a formula cell, headers too.
Numbers stay numbers and dates dates, so Excel can compute with them.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.domain import report
from dashboard.domain.fmt import neutralise
from dashboard.domain.progress import STATUSES

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD-MM-YYYY"


def put(ws, row: int, col: int, value) -> None:
    """One cell: text neutralised and typed as text; numbers and dates as they are."""
    cell = ws.cell(row=row, column=col)
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, datetime | date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = neutralise(str(value))
        cell.data_type = "s"  # never a formula, whatever the text


def write_frame(ws, frame: pd.DataFrame) -> None:
    """A header row (bold, frozen) and the rows of `frame`."""
    for j, name in enumerate(frame.columns, start=1):
        put(ws, 1, j, str(name))
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i, values in enumerate(frame.itertuples(index=False), start=2):
        for j, value in enumerate(values, start=1):
            put(ws, i, j, value.item() if hasattr(value, "item") else value)
    ws.freeze_panes = "A2"
    for j, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:200, j - 1])])
        ws.column_dimensions[get_column_letter(j)].width = min(max(longest + 2, 8), 60)


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def grid_cells(df: pd.DataFrame) -> pd.DataFrame:
    """The cells of a grid for its workbook: row labels that name something become the first
    column, and sparkline columns (a list of numbers per cell) stay on screen only."""
    out = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    lists = [c for c in out.columns if out[c].map(lambda v: isinstance(v, list | tuple)).any()]
    return out.drop(columns=lists)


def table_xlsx(frame: pd.DataFrame, sheet: str = "Tabel") -> bytes:
    """A table as a workbook with one sheet, for a download beside its CSV."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    write_frame(ws, frame.reset_index(drop=True))
    return _bytes(wb)


def voortgang_xlsx(rows: pd.DataFrame, info: list[list[str]]) -> bytes:
    """The voortgangsrapportage: the sheet of acties (`domain.report.rows`) with a choice list
    for the status and a date check, and the instructions sheet (`domain.report.instructions`)."""
    wb = Workbook()
    ws = wb.active
    ws.title = report.SHEET
    write_frame(ws, rows)
    last = max(len(rows) + 1, 2)
    col = {name: get_column_letter(j) for j, name in enumerate(rows.columns, start=1)}
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Kies een status uit de lijst: " + ", ".join(STATUSES),
    )
    status.add(f"{col[report.STATUS]}2:{col[report.STATUS]}{last}")
    when = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(1900,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Datum",
        error="Vul een datum in, zoals 31-03-2024.",
    )
    when.add(f"{col[report.DATE]}2:{col[report.DATE]}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(when)
    for i in range(2, last + 1):
        ws[f"{col[report.DATE]}{i}"].number_format = DATE_FORMAT
    info_ws = wb.create_sheet(report.INFO_SHEET)
    for i, line in enumerate(info, start=1):
        for j, value in enumerate(line, start=1):
            put(info_ws, i, j, value)
    info_ws["A1"].font = Font(bold=True, size=14)
    info_ws.column_dimensions["A"].width = 22
    info_ws.column_dimensions["B"].width = 110
    return _bytes(wb)

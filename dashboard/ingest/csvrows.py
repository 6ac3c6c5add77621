"""From bytes to CSV rows: decoding, the field separator, parsing, and where the header and the
data rows of a table are; every problem collected in Dutch with its row."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from dashboard.domain.parsing import MAX_TEXT_CHARS
from dashboard.errors import Collector

MAX_FIELD_CHARS = MAX_TEXT_CHARS  # the one limit for text fields of every format


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


def sniff_delimiter(lines: list[str]) -> str:
    sample = [ln for ln in lines[:30] if ln.strip()]
    counts = {d: sum(ln.count(d) for ln in sample) for d in (";", ",", "\t", "|")}
    return max(counts, key=counts.get)


def parse_csv(text: str, problems: Collector, delimiter: str | None = None) -> list[list[str]]:
    """All rows of a CSV text, or [] with a Dutch problem (row named) when it is no valid CSV.

    Only ';' and ',' separate fields; a tab or '|' is refused with a clear message.
    """
    delimiter = delimiter or sniff_delimiter(text.splitlines())
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


def locate_header(rows: list[list[str]]) -> int | None:
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


def data_rows(rows, h, width, problems) -> list[tuple[int, list[str]]]:
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


def drop_row_numbers(header: list[str], body: list[tuple[int, list[str]]]):
    """The header and data rows without a leading column of row numbers, and whether there was
    one: a first column without a name holding distinct whole numbers, as R's write.csv writes
    its row names (1, 2, ... or, after filtering or sorting, the original ones) and pandas'
    to_csv its index (0, 1, ...). A column without a name is never a dimension or a figure."""
    if len(header) < 2 or header[0].strip() or not body:
        return header, body, False
    values = [r[0].strip() for _, r in body]
    if not all(re.fullmatch(r"[0-9]+", v, re.ASCII) for v in values):
        return header, body, False
    if len(set(values)) != len(values):
        return header, body, False
    return header[1:], [(line, r[1:]) for line, r in body], True

"""Small pure parsers for the values found in CBS, politie and municipal files."""

from __future__ import annotations

import re
import unicodedata

# StatLine symbols and CBS codes that mean "no value" (geheim, onbekend, nihil niet bekend).
MISSING = {
    "",
    ".",
    "x",
    "?",
    "-",
    "na",
    "nan",
    "n.a.",
    "null",
    "none",
    "-99999999",
    "-99999998",
    "-99999997",
    "-99997",
}

_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:(?P<kind>JJ|KW|MM|HJ|X0)(?P<num>\d{2}))?(?P<prov>\*)?$"
)
# Wijk and buurt codes are GGGG + 2 or 4 characters; Amsterdam uses letters (BU0363AA01).
_CODE_RE = re.compile(
    r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4}|PV\d{2}|G4|G32|G40)$"
)
_LEVEL_BY_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land", "PV": "provincie"}


class ParseError(ValueError):
    """A single value could not be read; the caller adds file, row and column."""


def parse_number(text: str | float | int | None, decimal: str) -> float | None:
    """Read a number written with the file's decimal separator (',' or '.').

    Missing-value symbols give None. Thousands separators are refused, because "1.234" is
    ambiguous between a thousand and a decimal; the message says what was expected.
    """
    if text is None:
        return None
    if isinstance(text, int | float):
        return None if text != text else float(text)  # NaN -> None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if s.lower() in MISSING:
        return None
    other = "." if decimal == "," else ","
    if other in s and re.fullmatch(r"[+-]?[\d.,]+", s):
        raise ParseError(
            f"'{text}' is geen geldig getal: dit bestand gebruikt '{decimal}' als decimaalteken "
            "en geen scheidingsteken voor duizendtallen"
        )
    if s.count(decimal) > 1:
        raise ParseError(f"'{text}' is geen geldig getal: meer dan één '{decimal}'")
    s = s.replace(decimal, ".")
    try:
        value = float(s)
    except ValueError:
        raise ParseError(f"'{text}' is geen getal") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError(f"'{text}' is geen eindig getal")
    if value <= -99997:  # CBS codes for geheim/onbekend in the KWB files
        return None
    return value


def looks_numeric(text: str, decimal: str) -> bool:
    try:
        parse_number(text, decimal)
    except ParseError:
        return False
    return True


def parse_period(text: str) -> tuple[str, bool]:
    """Normalise a period and say whether it is provisional.

    '2023', '2023*', '2023JJ00' -> '2023'; '2023KW02' -> '2023-K2'; '2023MM03' -> '2023-03'.
    """
    s = str(text).strip()
    if s.endswith("(voorlopig)"):
        s = s.removesuffix("(voorlopig)").strip() + "*"
    m = _PERIOD_RE.match(s)
    if not m:
        raise ParseError(
            f"'{text}' is geen periode (verwacht bijvoorbeeld 2023, 2023* of 2023JJ00)"
        )
    year, kind, num, prov = m.group("year", "kind", "num", "prov")
    if not 1900 <= int(year) <= 2100:
        raise ParseError(f"'{text}' is geen geldig jaar")
    n = int(num) if num else 0
    valid = {
        None: True,
        "JJ": n == 0,
        "X0": n == 0,
        "KW": 1 <= n <= 4,
        "HJ": 1 <= n <= 2,
        "MM": 1 <= n <= 12,
    }
    if not valid[kind]:
        raise ParseError(f"'{text}' is geen geldige periode")
    if kind in (None, "JJ", "X0"):
        period = year
    elif kind == "KW":
        period = f"{year}-K{int(num)}"
    elif kind == "HJ":
        period = f"{year}-H{int(num)}"
    else:
        period = f"{year}-{int(num):02d}"
    return period, bool(prov)


def clean_code(text: str) -> str:
    """CBS OData codes come padded with spaces ('GM0164    ')."""
    return str(text).strip().upper()


def is_area_code(text: str) -> bool:
    return bool(_CODE_RE.match(clean_code(text)))


def level_of(code: str) -> str | None:
    code = clean_code(code)
    if code in ("G4", "G32", "G40"):
        return "aggregaat"
    return _LEVEL_BY_PREFIX.get(code[:2]) if is_area_code(code) else None


def parent_of(code: str) -> str | None:
    """The parent code follows from the CBS code itself: BU GGGG WW BB -> WK GGGG WW -> GM GGGG."""
    code = clean_code(code)
    if code.startswith("BU") and len(code) == 10:
        return "WK" + code[2:8]
    if code.startswith("WK") and len(code) == 8:
        return "GM" + code[2:6]
    return None


def normalise_name(name: str) -> str:
    """Key for matching names: case, accents, quotes and spacing do not matter."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    s = s.replace("'", "").replace("`", "")
    return re.sub(r"\s+", " ", s).strip().lower()


def strip_suffix(name: str) -> str:
    """'Hengelo (O.)' -> 'Hengelo', "'s-Gravenhage (gemeente)" -> "'s-Gravenhage"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(name)).strip()


def slug(text: str, max_len: int = 60) -> str:
    s = normalise_name(text)
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s[:max_len].rstrip("_")


def collapse_ws(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()

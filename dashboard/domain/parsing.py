"""Small pure parsers for the values found in CBS, politie and municipal files."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

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

# Digits are ASCII only: `str.isdigit()`, `int()`, `float()` and regex `\d` also accept
# fullwidth ('０'), Arabic-Indic ('٣') or superscript ('²') digits, and a code written with
# them once captured another gemeente's name. Every pattern below uses [0-9] and re.ASCII.
_PERIOD_RE = re.compile(
    r"^(?P<year>[0-9]{4})(?:(?P<kind>JJ|KW|MM|HJ|X0)(?P<num>[0-9]{2}))?(?P<prov>\*)?$", re.ASCII
)
# Wijk and buurt codes are GGGG + 2 or 4 characters; Amsterdam uses letters (BU0363AA01).
_CODE_RE = re.compile(
    r"^(NL[0-9]{2}|GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4}|PV[0-9]{2}|G4|G32|G40)$",
    re.ASCII,
)
_LEVEL_BY_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land", "PV": "provincie"}
_PLAIN_CODE_RE = re.compile(r"[A-Z0-9]{2,20}", re.ASCII)
_WHOLE_RE = re.compile(r"[+-]?[0-9]+", re.ASCII)
# A plain decimal number after the file's decimal sign became '.': 12, -3.5, .5, 1e5, 2.5E-3.
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NOT_FINITE = {"inf", "infinity", "nan"}
_INF = float("inf")
# What exports write for an empty text: never a real name.
_NULL_TEXT = {"nan", "none", "null", "<na>"}

# Years: CBS series start well after 1900; a year after next year is no measurement but a typo
# (a period 2099 once became the headline year of every page).
FIRST_YEAR = 1900
# Whole numbers (jaar, volgorde, indeling, footprint) go into INTEGER columns: PostgreSQL's
# integer is 32 bits signed, so 3000000000 would fail in the database instead of in Dutch here.
MAX_WHOLE = 2**31 - 1
# Largest absolute value of a figure. Real figures (inwoners, euro's, misdrijven) stay far
# below it; beyond it floats lose whole-number precision (2**53 is about 9e15) and the Dutch
# number formatting of the pages fails (1e27 crashed it).
MAX_ABS_NUMBER = 1e15
# One length limit for every text field of every format: CSV fields, catalogue and plan rows,
# names in GeoJSON/GeoPackage properties.
MAX_TEXT_CHARS = 10_000


class ParseError(ValueError):
    """A single value could not be read; the caller adds file, row and column."""


def is_ascii_digits(text: object) -> bool:
    """'2024' -> True; '２０２４', '٢٠٢٤', '²', '' -> False (unlike str.isdigit)."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def last_year(today: date | None = None) -> int:
    """The latest plausible year of a period: next year (figures may be dated ahead a little)."""
    return (today or date.today()).year + 1


def parse_whole(
    text: str | int | float | None, low: int = 0, high: int = MAX_WHOLE, what: str = "geheel getal"
) -> int:
    """An integer written with ASCII digits only, within [low, high].

    Refuses '', 'Infinity', 'NaN', '1_0', '1.5', '²', '３' and anything outside the bounds
    (by default 0 up to the PostgreSQL integer limit). Integral floats (2024.0, as geometry
    readers return them) are accepted.
    """
    value: int | None = None
    if isinstance(text, bool):
        value = None
    elif isinstance(text, int):
        value = text
    elif isinstance(text, float):
        value = (
            int(text) if text == text and text not in (_INF, -_INF) and text.is_integer() else None
        )
    elif text is not None:
        s = str(text).strip()
        value = int(s) if _WHOLE_RE.fullmatch(s) else None
    if value is None:
        raise ParseError(f"'{text}' is geen {what}")
    if not low <= value <= high:
        raise ParseError(f"'{text}' is geen geldig {what}: verwacht {low} t/m {high}")
    return value


def parse_year(text: str | int | float | None, today: date | None = None) -> int:
    """A year from FIRST_YEAR up to next year."""
    return parse_whole(text, FIRST_YEAR, last_year(today), what="jaartal")


def check_text(
    value: object, what: str = "tekst", required: bool = True, missing: str = "ontbreekt"
) -> str:
    """A text field (name, label) from any format: stripped, at most MAX_TEXT_CHARS characters.

    None, NaN (geometry readers give NaN for a missing property; a JSON NaN arrives as the
    text 'NaN'), 'None', 'null' and blanks are missing: with `required` a ParseError
    "<what> <missing>" ('naam ontbreekt'), otherwise ''.
    """
    try:
        absent = value is None or bool(value != value)  # NaN
    except TypeError:  # pandas.NA: its comparison has no truth value
        absent = True
    s = "" if absent else str(value).strip()
    if s.lower() in _NULL_TEXT:
        s = ""
    if not s:
        if required:
            raise ParseError(f"{what} {missing}")
        return ""
    if len(s) > MAX_TEXT_CHARS:
        raise ParseError(f"veld van {len(s)} tekens; verwacht hooguit {MAX_TEXT_CHARS}")
    return s


def _checked(value: float, text: object) -> float | None:
    if value != value or value in (_INF, -_INF):
        raise ParseError(f"'{text}' is geen eindig getal")
    if abs(value) >= MAX_ABS_NUMBER:
        raise ParseError(
            f"'{text}' is geen geldig getal: verwacht een waarde kleiner dan 10^15 "
            "(in absolute waarde)"
        )
    if value <= -99997:  # CBS codes for geheim/onbekend in the KWB files
        return None
    return value


def parse_number(text: str | float | int | None, decimal: str) -> float | None:
    """Read a number written with the file's decimal separator (',' or '.').

    Missing-value symbols give None. Thousands separators are refused, because "1.234" is
    ambiguous between a thousand and a decimal; so are spaces between digits ('3 010 000')
    and underscores ('1_5', which Python's float() reads as 15). Only ASCII digits count, and
    values of 10^15 and more (in absolute value) are refused (see MAX_ABS_NUMBER).
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ParseError(f"'{text}' is geen getal")
    if isinstance(text, int | float):
        return None if text != text else _checked(float(text), text)  # NaN -> None
    s = str(text).strip()
    if s.lower() in MISSING:
        return None
    if re.search(r"\s", s):  # also a no-break space (Excel's thousands grouping)
        if not re.fullmatch(r"[+-]?[0-9.,]+(?:\s+[0-9.,]+)+", s):
            raise ParseError(f"'{text}' is geen getal")
        raise ParseError(
            f"'{text}' is geen geldig getal: spaties tussen de cijfers zijn dubbelzinnig "
            "(duizendtallen of twee getallen?); schrijf het getal zonder spaties"
        )
    if "_" in s:
        raise ParseError(
            f"'{text}' is geen geldig getal: een liggend streepje (_) hoort niet in een getal"
        )
    other = "." if decimal == "," else ","
    if other in s and re.fullmatch(r"[+-]?[0-9.,]+", s, re.ASCII):
        raise ParseError(
            f"'{text}' is geen geldig getal: dit bestand gebruikt '{decimal}' als decimaalteken "
            "en geen scheidingsteken voor duizendtallen"
        )
    if s.count(decimal) > 1:
        raise ParseError(f"'{text}' is geen geldig getal: meer dan één '{decimal}'")
    s = s.replace(decimal, ".")
    if s.lower().lstrip("+-") in _NOT_FINITE:
        raise ParseError(f"'{text}' is geen eindig getal")
    if not _NUMBER_RE.fullmatch(s):
        raise ParseError(f"'{text}' is geen getal")
    return _checked(float(s), text)


def looks_numeric(text: str, decimal: str) -> bool:
    try:
        parse_number(text, decimal)
    except ParseError:
        return False
    return True


def parse_period(text: str, today: date | None = None) -> tuple[str, bool]:
    """Normalise a period and say whether it is provisional.

    '2023', '2023*', '2023JJ00' -> '2023'; '2023KW02' -> '2023-K2'; '2023MM03' -> '2023-03'.
    Years before FIRST_YEAR or after next year (`today`'s year + 1) are refused; provisional
    ('*', '(voorlopig)') means a figure not yet final, not a forecast, so it is no exception.
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
    newest = last_year(today)
    if not FIRST_YEAR <= int(year) <= newest:
        raise ParseError(f"'{text}' is geen geldig jaar: verwacht {FIRST_YEAR} t/m {newest}")
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
    """CBS OData codes come padded with spaces ('GM0164    '). Only ASCII is upper-cased:
    upper() would turn 'ſ' into 'S' and 'ı' into 'I', making a code of a non-code."""
    s = str(text).strip()
    return s.upper() if s.isascii() else s


def is_area_code(text: str) -> bool:
    """Only ASCII: 'GM０１６４' is no code, nor 'bu0363ſa01' (upper() turns 'ſ' into 'S')."""
    s = str(text).strip()
    return s.isascii() and bool(_CODE_RE.match(s.upper()))


def is_plain_code(text: str) -> bool:
    """A code of the catalogue (also CBS aggregates such as GT70K): ASCII A-Z and 0-9 only."""
    return bool(_PLAIN_CODE_RE.fullmatch(str(text)))


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


_DMY_RE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})", re.ASCII)
_YMD_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+)?", re.ASCII)
# Excel's day numbers: 1 is 1 January 1900 (with its leap-day bug), 2 958 465 is 9999-12-31.
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: object) -> date | None:
    """A date as a spreadsheet holds it: a date cell, an Excel day number (45382 is
    31 March 2024), '31-03-2024', '31/3/2024', '31.03.2024' or '2024-03-31'. Empty gives None;
    anything else, and a year outside FIRST_YEAR to next year, a ParseError."""
    from datetime import datetime, timedelta

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        out = value.date()
    elif isinstance(value, date):
        out = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or not 1 <= value < 2_958_466:
            raise ParseError(f"'{value}' is geen datum")
        out = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        s = str(value).strip()
        if m := _DMY_RE.fullmatch(s):
            d, mo, y = (int(g) for g in m.groups())
        elif m := _YMD_RE.fullmatch(s):
            y, mo, d = (int(g) for g in m.groups())
        else:
            raise ParseError(f"'{s}' is geen datum; schrijf dag-maand-jaar, zoals 31-03-2024")
        try:
            out = date(y, mo, d)
        except ValueError:
            raise ParseError(f"'{s}' is geen bestaande datum") from None
    if not FIRST_YEAR <= out.year <= last_year():
        raise ParseError(f"'{value}' is geen geldige datum: jaar {out.year} is onwaarschijnlijk")
    return out

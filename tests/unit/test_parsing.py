"""Rules for reading single values: one row per case, input -> expected."""

from datetime import date

import pandas as pd
import pytest

from dashboard.domain.parsing import (
    MAX_TEXT_CHARS,
    ParseError,
    check_text,
    is_area_code,
    is_ascii_digits,
    level_of,
    parent_of,
    parse_number,
    parse_period,
    parse_whole,
    parse_year,
)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("7,4", ",", 7.4),
        ("7.4", ".", 7.4),
        ("     645", ".", 645.0),
        ("", ",", None),
        (".", ",", None),
        ("x", ",", None),
        ("-99999999", ".", None),
        ("NA", ".", None),
        ("0", ",", 0.0),
        ("-3,5", ",", -3.5),
    ],
)
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize(
    ("text", "decimal", "message"),
    [
        ("7.4", ",", "',' als decimaalteken"),
        ("1.234,5", ",", "',' als decimaalteken"),
        ("7,4", ".", "'\\.' als decimaalteken"),
        ("abc", ",", "geen getal"),
        ("1,2,3", ",", "meer dan één"),
        ("inf", ".", "eindig"),
    ],
)
def test_parse_number_refuses(text, decimal, message):
    with pytest.raises(ParseError, match=message):
        parse_number(text, decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", ("2023", False)),
        ("2023*", ("2023", True)),
        ("2023JJ00", ("2023", False)),
        ("2023KW02", ("2023-K2", False)),
        ("2023MM03", ("2023-03", False)),
        (" 2017 ", ("2017", False)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["twintig", "23", "1800", "2023XX01"])
def test_parse_period_refuses(text):
    with pytest.raises(ParseError, match="periode|jaar"):
        parse_period(text)


# Issue 12: one strict parser per kind of value. A fixed day keeps the year bounds stable:
# next year is 2027, so 2027 passes and 2028 does not.
TODAY = date(2026, 6, 1)


class Refused(str):
    """The expected Dutch message fragment of a refusal (instead of a value)."""


STRICT_CASES = [
    # --- numbers: ASCII digits, no underscores, no spaces inside, |x| < 10^15
    ("number", "1_5", Refused("'1_5' is geen geldig getal: een liggend streepje (_)")),
    ("number", "3 010 000", Refused("spaties tussen de cijfers zijn dubbelzinnig")),
    ("number", "3\u00a0010", Refused("spaties tussen de cijfers zijn dubbelzinnig")),
    ("number", "3010000", 3010000.0),
    ("number", "1e27", Refused("'1e27' is geen geldig getal: verwacht een waarde kleiner")),
    ("number", "-1e15", Refused("kleiner dan 10^15")),
    ("number", "999999999999999", 999999999999999.0),
    ("number", 1e27, Refused("kleiner dan 10^15")),
    ("number", "1e5", 100000.0),
    ("number", "Infinity", Refused("'Infinity' is geen eindig getal")),
    ("number", "\uff17", Refused("'\uff17' is geen getal")),  # fullwidth 7
    ("number", "\u0663", Refused("'\u0663' is geen getal")),  # Arabic-Indic 3
    ("number", "\u00b2", Refused("'\u00b2' is geen getal")),  # superscript 2
    ("number", "-99999997", None),  # CBS code for 'onbekend' stays a missing value
    ("number", " 645 ", 645.0),
    ("number", "1 e5", Refused("'1 e5' is geen getal")),
    # --- whole numbers (jaar, volgorde, indeling, footprint)
    ("whole", "12", 12),
    ("whole", " 7 ", 7),
    ("whole", 2024.0, 2024),
    ("whole", "\u00b2", Refused("'\u00b2' is geen geheel getal")),
    ("whole", "\uff11\uff12", Refused("is geen geheel getal")),
    ("whole", "Infinity", Refused("'Infinity' is geen geheel getal")),
    ("whole", "NaN", Refused("'NaN' is geen geheel getal")),
    ("whole", float("nan"), Refused("is geen geheel getal")),
    ("whole", "1_0", Refused("'1_0' is geen geheel getal")),
    ("whole", "1.5", Refused("'1.5' is geen geheel getal")),
    ("whole", "", Refused("'' is geen geheel getal")),
    ("whole", "2147483647", 2147483647),
    ("whole", "3000000000", Refused("'3000000000' is geen geldig geheel getal: verwacht 0 t/m")),
    ("whole", "-1", Refused("verwacht 0 t/m 2147483647")),
    ("year", "2027", 2027),
    ("year", "2028", Refused("'2028' is geen geldig jaartal: verwacht 1900 t/m 2027")),
    ("year", "1850", Refused("'1850' is geen geldig jaartal")),
    ("year", "\u0662\u0660\u0662\u0664", Refused("is geen jaartal")),
    # --- periods: ASCII digits, 1900 up to next year; provisional is no forecast
    ("period", "2027", ("2027", False)),
    ("period", "2026*", ("2026", True)),
    ("period", "2099", Refused("'2099' is geen geldig jaar: verwacht 1900 t/m 2027")),
    ("period", "2099*", Refused("'2099*' is geen geldig jaar")),
    ("period", "1850", Refused("'1850' is geen geldig jaar")),
    ("period", "\u0662\u0660\u0662\u0664", Refused("is geen periode")),
    ("period", "\uff12\uff10\uff12\uff14", Refused("is geen periode")),
    ("period", "2024KW\uff10\uff12", Refused("is geen periode")),
    # --- text fields: one limit for every format; NaN and blanks are missing
    ("text", "  Binnenstad ", "Binnenstad"),
    ("text", None, Refused("naam ontbreekt")),
    ("text", float("nan"), Refused("naam ontbreekt")),
    ("text", pd.NA, Refused("naam ontbreekt")),
    ("text", "NaN", Refused("naam ontbreekt")),
    ("text", "   ", Refused("naam ontbreekt")),
    ("text", "x" * MAX_TEXT_CHARS, "x" * MAX_TEXT_CHARS),
    ("text", "x" * 1_000_000, Refused("veld van 1000000 tekens; verwacht hooguit 10000")),
]

PARSERS = {
    "number": lambda v: parse_number(v, ","),
    "whole": parse_whole,
    "year": lambda v: parse_year(v, today=TODAY),
    "period": lambda v: parse_period(v, today=TODAY),
    "text": lambda v: check_text(v, what="naam"),
}


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    STRICT_CASES,
    ids=[f"{k}-{str(t)[:20]!r}" for k, t, _ in STRICT_CASES],
)
def test_strict_parsers(kind, text, expected):
    """Input -> value, or a Dutch refusal that contains the fragment."""
    parse = PARSERS[kind]
    if isinstance(expected, Refused):
        with pytest.raises(ParseError) as info:
            parse(text)
        assert str(expected) in str(info.value)
    else:
        assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GM0164", True),
        ("GM\uff10\uff11\uff16\uff14", False),  # fullwidth digits
        ("GM\u0660\u0661\u0666\u0664", False),  # Arabic-Indic digits
        ("BU0363AA01", True),
        ("bu0363\u017fa01", False),  # long s: upper() would make it 'S'
    ],
)
def test_area_codes_are_ascii(text, expected):
    assert is_area_code(text) is expected
    assert (level_of(text) is not None) is expected


def test_ascii_digits():
    assert is_ascii_digits("2024")
    assert not any(map(is_ascii_digits, ["\u00b2", "\uff12\uff10", "\u0662", "", 2024]))


def test_period_bound_moves_with_today():
    assert parse_period("2028", today=date(2027, 1, 1)) == ("2028", False)
    with pytest.raises(ParseError):
        parse_period("2028", today=date(2026, 12, 31))


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("BU01640000", "buurt", "WK016400"),
        ("WK016409", "wijk", "GM0164"),
        ("GM0164    ", "gemeente", None),
        ("NL01", "land", None),
        ("G32", "aggregaat", None),
        ("XX12", None, None),
        ("BU0363AA01", "buurt", "WK0363AA"),  # Amsterdam: letters in wijk and buurt codes
        ("WK0363AA", "wijk", "GM0363"),
    ],
)
def test_codes(code, level, parent):
    assert level_of(code) == level
    assert parent_of(code) == parent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("-x+3", "'-x+3"),
        ("-0,116 score", "-0,116 score"),
        ("Binnenstad-Centrum", "Binnenstad-Centrum"),
        (12.5, 12.5),
        ("", ""),
    ],
)
def test_exported_cells_neutralise_formulas(value, expected):
    from dashboard.domain.fmt import neutralise

    assert neutralise(value) == expected


def test_csv_download_is_for_dutch_excel_and_runs_no_formulas():
    from dashboard.render.safe import csv_bytes

    frame = pd.DataFrame({"=HYPERLINK(1) 2017": ["=cmd|' /C calc'!A0", "57,2 ± 4,4"]})
    data = csv_bytes(frame)
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == ["'=HYPERLINK(1) 2017", "'=cmd|' /C calc'!A0", "57,2 ± 4,4"]
    two = csv_bytes(pd.DataFrame({"a": ["1,5"], "b": ["x"]})).decode("utf-8-sig")
    assert two.splitlines()[1] == "1,5;x"  # semicolons: the comma is the decimal sign


def test_table_cells_are_neutralised_whatever_the_text_dtype():
    """widgets.dataframe's own download button exports the cells: pandas 3's 'str' dtype too."""
    from dashboard.render.safe import neutral_cells

    for dtype in ("str", object):
        frame = pd.DataFrame({"naam": pd.Series(["@SUM(A1)", "Noord"], dtype=dtype), "n": [1, 2]})
        out = neutral_cells(frame)
        assert out["naam"].tolist() == ["'@SUM(A1)", "Noord"]
        assert out["n"].tolist() == [1, 2]
    assert frame["naam"].tolist() == ["@SUM(A1)", "Noord"]  # a copy: the caller's frame stays

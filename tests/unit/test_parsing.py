"""Rules for reading single values: one row per case, input -> expected."""

import pandas as pd
import pytest

from dashboard.domain.parsing import ParseError, level_of, parent_of, parse_number, parse_period


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


def test_st_table_escapes_cells_and_headers():
    """st.table renders cells and headers as markdown: a name from a data file stays text."""
    from dashboard.render.safe import md_frame

    out = md_frame(pd.DataFrame({"![x](http://h/) 2017": ["[klik](http://h/)", "57,2 ± 4,4"]}))
    assert out.columns[0] == r"\!\[x\]\(http\://h/\) 2017"
    assert out.iloc[0, 0] == r"\[klik\]\(http\://h/\)"
    assert out.iloc[1, 0] == "57,2 ± 4,4"

"""Dutch number and date formatting without Streamlit (used by figures and ui)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "nl_NL"


def fmt_number(value: float | None, decimals: int = 1) -> str:
    """7.4 -> '7,4'; 1234 -> '1.234' (decimals=0); None -> '–'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fmt_date(value: date | datetime | None) -> str:
    """-> '23 november 2026' (with the time for a datetime)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y, HH:mm", locale=LOCALE)
    return format_date(value, "d MMMM y", locale=LOCALE)


FORMULA_START = ("=", "+", "@", "\t", "\r", "|")


def neutralise(value):
    """Make text safe for a spreadsheet: a cell starting like a formula ('=cmd|...', '+1',
    '@SUM(...)', '-2+3') gets a leading apostrophe, so Excel shows it as text. Numbers and
    negative figures written as Dutch text ('-0,116 score') stay as they are."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_START):
        return "'" + value
    if value.startswith("-") and not SAFE_NEGATIVE.fullmatch(value):
        return "'" + value
    return value


# A negative Dutch figure with an optional unit ('-0,116 score'), nothing that can compute.
SAFE_NEGATIVE = re.compile(r"-[0-9][0-9.,]*(\s[^=+\-*/@|()]*)?")

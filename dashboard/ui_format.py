"""Dutch number and date formatting without Streamlit (used by figures and ui)."""

from __future__ import annotations

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

"""The one-screen Veiligheidsbeeld: small pure helpers that pick and shape what it shows."""

from __future__ import annotations

import pandas as pd

from dashboard.domain import benchmark
from dashboard.domain.fmt import fmt_number

# What the overview shows by default (catalogue ids; a gemeente without them sees a notice).
HEADLINE = "pol_totaal_misdrijven_per1000"
MAP_INDICATOR = "geregistreerde_misdrijven_per1000"


def value_in(series: pd.DataFrame, period: str) -> float | None:
    row = series[series["period"] == period]
    return None if row.empty else float(row.iloc[0]["value"])


def headline(own: pd.DataFrame, peers: pd.DataFrame) -> dict | None:
    """Latest value, change against the previous year with data, and the peer mean."""
    own = own.dropna(subset=["value"]).sort_values("period")
    if own.empty:
        return None
    last = own.iloc[-1]
    prev = own.iloc[-2] if len(own) > 1 else None
    peer = peers[peers["period"] == last["period"]] if not peers.empty else peers
    return {
        "period": last["period"],
        "value": float(last["value"]),
        "delta": None
        if prev is None
        else f"{fmt_number(last['value'] - prev['value'])} t.o.v. {prev['period']}",
        "peer": None if peer.empty else float(peer.iloc[0]["mean"]),
    }


def latest_period(options: pd.DataFrame, indicator_id: str) -> str:
    row = options[options["id"] == indicator_id]
    return row.iloc[0]["periods"][-1] if not row.empty else ""


def footprint_years(periods: list[str]) -> tuple[str, str]:
    """The latest year and the earliest year at most ten years before it."""
    latest = periods[-1]
    base = min((p for p in periods if int(latest) - 10 <= int(p) < int(latest)), default=latest)
    return base, latest


def compact_footprint(comps: list[benchmark.Comparison], rows: int = 9) -> pd.DataFrame:
    """The footprint rows that have a verdict in the latest year, position and development."""
    tested = [
        c
        for c in comps
        if c.verdicts["latest"] in (benchmark.BETER, benchmark.GELIJK, benchmark.SLECHTER)
    ]
    shown = tested[:rows]
    return pd.DataFrame(
        {
            "Indicator": [c.name.replace(", per 1.000 inwoners", "") for c in shown],
            "Positie": [benchmark.MARK[c.verdicts["latest"]] for c in shown],
            "Ontwikkeling": [
                benchmark.MARK.get(c.verdicts["development"], c.verdicts["development"])
                for c in shown
            ],
        }
    )


def theme_counts(acts: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Number of acties per theme (when no progress is registered yet)."""
    grouped = acts.groupby("theme_code", sort=False).size()
    return pd.DataFrame(
        {
            "Thema": [f"{c} {titles.get(c, '')}".strip() for c in grouped.index],
            "Acties": grouped.to_numpy(),
        }
    )

"""The one-screen Veiligheidsbeeld: small pure helpers that pick and shape what it shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.domain import benchmark
from dashboard.domain.fmt import fmt_number

# What the overview shows: the first of these catalogue ids the gemeente has figures for, with
# its label. No fixed id: a gemeente without any of them sees what is missing.
HEADLINES = {
    # CBS 83648NED first: the official series, every year 2010-2024 for every gemeente.
    "misdrijven_totaal_per1000": "Misdrijven per 1.000 inwoners",
    "pol_totaal_misdrijven_per1000": "Misdrijven per 1.000 inwoners",
    "geregistreerde_misdrijven_per1000": "Misdrijven per 1.000 inwoners",
}
# The wijk map: the first of these with values for the gemeente's wijken, else any indicator
# the wijken have (the first by name).
MAP_INDICATORS = {
    "geregistreerde_misdrijven_per1000": "Misdrijven per 1.000 inwoners",
    "lbm_overlast_onveiligheid": "Overlast en onveiligheid (Leefbaarometer)",
    "lbm_score": "Leefbaarometer-score",
    "bevolkingsdichtheid": "Bevolkingsdichtheid",
    "inwoners": "Inwoners",
}
CRIME_MAP = "geregistreerde_misdrijven_per1000"


def first_available(preferred: Sequence[str], available: Mapping[str, Sequence]) -> str | None:
    """The first preferred id with something in `available` (id -> periods or values)."""
    return next((i for i in preferred if len(available.get(i, ())) > 0), None)


def map_choice(options: pd.DataFrame) -> tuple[str, str] | None:
    """Indicator and latest year of the wijk map, from the level's options (`id`, `periods`):
    the first of MAP_INDICATORS the level has, else its first indicator. None: no figures."""
    periods = dict(zip(options["id"], options["periods"], strict=True)) if len(options) else {}
    periods = {i: p for i, p in periods.items() if len(p)}
    chosen = first_available(list(MAP_INDICATORS), periods) or next(iter(periods), None)
    return (chosen, periods[chosen][-1]) if chosen else None


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
            # Short names: the page and its PDF page hold the table beside the map.
            "Indicator": [c.name.replace(", per 1.000 inwoners", "").split(" (")[0] for c in shown],
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

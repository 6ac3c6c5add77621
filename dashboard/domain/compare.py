"""Comparison of the gemeente with a peer group (G32, G40, Twente): pure functions on frames."""

from __future__ import annotations

import pandas as pd


def peer_stats(
    values: pd.DataFrame, members: list[str], exclude: str | None = None
) -> pd.DataFrame:
    """Per period: unweighted mean, median, min, max and n over the peer members with a value.

    `exclude` leaves the gemeente itself out of its own peer mean.
    """
    sub = values[values["area_code"].isin(members) & values["value"].notna()]
    if exclude:
        sub = sub[sub["area_code"] != exclude]
    if sub.empty:
        return pd.DataFrame(columns=["period", "mean", "median", "min", "max", "n"])
    grouped = sub.groupby("period")["value"]
    out = pd.DataFrame(
        {
            "mean": grouped.mean(),
            "median": grouped.median(),
            "min": grouped.min(),
            "max": grouped.max(),
            "n": grouped.count(),
        }
    ).reset_index()
    return out.sort_values("period").reset_index(drop=True)


def rank(
    values: pd.DataFrame, members: list[str], code: str, period: str, better: str
) -> tuple[int, int] | None:
    """Rank of `code` among members (1 = best, following the indicator's direction)."""
    sub = values[(values["period"] == period) & values["area_code"].isin(set(members) | {code})]
    sub = sub.dropna(subset=["value"])
    if code not in set(sub["area_code"]):
        return None
    ascending = better == "lager"
    ordered = sub.sort_values("value", ascending=ascending)["area_code"].tolist()
    return ordered.index(code) + 1, len(ordered)

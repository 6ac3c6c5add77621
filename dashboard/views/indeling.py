"""Boundaries that change, applied to what the views show: series that keep only the periods
of today's area, and group developments without the gemeenten whose boundary changed.

The rule is `dashboard.domain.indeling`; the sizes come from `dashboard.store.indeling`
(read once per data version).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain import explain, indeling
from dashboard.store import indeling as store


def own_series(engine: Engine, code: str, name: str, frame: pd.DataFrame):
    """The periods of one area's series that are for today's area, and the note ('' when
    nothing is left out)."""
    bounds = store.boundaries(engine)
    if frame.empty:
        return frame, ""
    if "area_code" not in frame.columns:
        frame = frame.assign(area_code=code)
        kept = indeling.current_periods(frame, bounds).drop(columns="area_code")
        return kept, indeling.series_note(code, name, frame, bounds)
    return (
        indeling.current_periods(frame, bounds),
        indeling.series_note(code, name, frame, bounds),
    )


def changed_in_trend(
    engine: Engine, values: pd.DataFrame, members: list[str], own: str, published=()
) -> str:
    """Which members of the group's line had other boundaries in some of its years, in plain
    Dutch (`published`: the periods where CBS's own group figure is the line instead). The
    line is the group as it was in each year, like the footprint's position in one year."""
    bounds = store.boundaries(engine)
    sub = values[values["area_code"].isin(members) & (values["area_code"] != own)]
    sub = sub[~sub["period"].isin(set(published))].dropna(subset=["value"])
    parts = []
    for code, rows in sub.groupby("area_code"):
        if any(bounds.status(code, p) != indeling.OK for p in rows["period"].astype(str)):
            change = bounds.change(code)
            when = f" {indeling.change_text(change)}" if change else ""
            parts.append(f"{bounds.names.get(code, code)}{when}")
    if not parts:
        return ""
    shown = parts if len(parts) <= 8 else [*parts[:8], f"nog {len(parts) - 8} andere"]
    return (
        "Het groepsgemiddelde telt elke gemeente in de grenzen van dat jaar. In deze jaren "
        f"veranderde de grens van {indeling.join_names(shown)}: de groepslijn is daar geen "
        "zuivere ontwikkeling. In de ontwikkeling van de footprint tellen zulke gemeenten niet "
        "mee."
    )


def unchanged(engine: Engine, codes, base: str, latest: str) -> set[str]:
    """The codes whose boundary is the same in the indelingen of both years."""
    return indeling.unchanged_between(store.boundaries(engine), codes, base, latest)


def footprint_notes(
    engine: Engine,
    comps,
    values: pd.DataFrame,
    members: list[str],
    gemeente: str,
    same: set[str],
    group_label: str,
) -> list[str]:
    """What the footprint's developments leave out because a boundary changed."""
    if not comps:
        return []
    base, latest = comps[0].base, comps[0].latest
    if base == latest:
        return []
    bounds = store.boundaries(engine)
    notes = []
    if gemeente not in same:
        what = indeling.change_between(bounds, gemeente, base, latest)
        notes.append(
            f"{what[:1].upper()}{what[1:]}: de cijfers van {base} en {latest} gaan over "
            "verschillende gebieden. Bij de ontwikkeling staat daarom '≠ indeling gewijzigd'; "
            "de positie in elk jaar is wel te lezen."
        )
    both = values.dropna(subset=["value"]).groupby("area_code")["period"].nunique()
    with_both = set(both[both >= 2].index)
    left_out = [m for m in members if m != gemeente and m not in same and m in with_both]
    means = any(
        c.dev_peer.get(base) is not None and c.dev_peer[base].source.startswith("gemiddelde")
        for c in comps
    )
    aggregates = any(c.dev_peer[base].source.startswith("CBS-aggregaat") for c in comps)
    if left_out and means:
        group = explain.group_name(group_label)
        notes.append(indeling.development_note(bounds, left_out, base, latest, group))
    if left_out and aggregates:
        notes.append(
            f"Waar CBS zelf een cijfer voor de {group_label} publiceert, telt dat elke gemeente "
            "in de grenzen van dat jaar; een samenvoeging kunnen wij daar niet uit halen."
        )
    return notes

"""Wijkgericht: colour a level of areas for one indicator, and build a wijk or buurt profile.

Pure functions on DataFrames; the pages fetch the frames and render the results.
"""

from __future__ import annotations

import pandas as pd

from dashboard.domain import classify
from dashboard.domain.fmt import fmt_number

STATUS_TEXT = {
    "nvt": f"n.v.t. (minder dan {classify.MIN_POPULATION} inwoners)",
    "geen": "geen gegevens",
}

SINGULAR = {"misdrijven": "misdrijf", "inwoners": "inwoner", "woningen": "woning"}


def decimals_for(unit: str, kind: str) -> int:
    if kind == "aantal" or unit in ("inwoners", "misdrijven", "woningen", "aantal"):
        return 0
    if kind == "score":
        return 2
    return 1


def value_text(value, unit: str, kind: str) -> str:
    if value is None or pd.isna(value):
        return STATUS_TEXT["geen"]
    decimals = decimals_for(unit, kind)
    if kind == "score" and abs(value) < 1:
        decimals = 3  # Leefbaarometer dimensions are small deviations such as -0,092
    number = fmt_number(value, decimals)
    if number == "1":
        unit = SINGULAR.get(unit, unit)
    return f"{number} {unit}".strip()


def shade(values: pd.DataFrame, areas: pd.DataFrame, meta: dict) -> tuple[pd.DataFrame, dict]:
    """Colour every area: returns (frame per area, legend).

    The frame has area_code, name, value, status ('ok', 'onzeker', 'nvt', 'geen'), fill (hex),
    dashed (no data), text (Dutch value with unit). Classes use only values with status
    ok/onzeker, so an area with too few inhabitants cannot stretch the scale.
    """
    df = areas.rename(columns={"code": "area_code"})[["area_code", "name"]].merge(
        values, on="area_code", how="left"
    )
    df["status"] = [
        "geen" if pd.isna(v) else classify.rate_status(meta["kind"], c, d)
        for v, c, d in zip(df["value"], df["count"], df["denominator"], strict=True)
    ]
    usable = df.loc[df["status"].isin(["ok", "onzeker"]), "value"]
    bounds = classify.class_breaks(usable.tolist())
    colours = classify.palette(len(bounds) + 1, meta["better"])
    fills, texts = [], []
    for v, status in zip(df["value"], df["status"], strict=True):
        if status == "geen":
            fills.append(classify.NO_DATA)
            texts.append(STATUS_TEXT["geen"])
        elif status == "nvt":
            fills.append(classify.NOT_APPLICABLE)
            texts.append(STATUS_TEXT["nvt"])
        else:
            fills.append(colours[classify.classify(v, bounds)])
            text = value_text(v, meta["unit"], meta["kind"])
            texts.append(text + (" (onzeker: weinig meldingen)" if status == "onzeker" else ""))
    df["fill"], df["text"], df["dashed"] = fills, texts, df["status"] == "geen"
    dec = decimals_for(meta["unit"], meta["kind"])
    legend = {
        "colours": colours,
        "labels": classify.legend_labels(bounds, lambda x: fmt_number(x, dec)),
        "has_no_data": bool((df["status"] == "geen").any()),
        "has_nvt": bool((df["status"] == "nvt").any()),
        "direction": {
            "lager": "lichter is beter",
            "hoger": "lichter is beter",
            "neutraal": "donkerder is meer (geen oordeel)",
        }[meta["better"]],
    }
    return df, legend


def ranks(values: pd.DataFrame, better: str) -> pd.Series:
    """Rank 1 = best in the indicator's direction (lowest when lower is better)."""
    if better == "neutraal":
        return pd.Series([pd.NA] * len(values), index=values.index, dtype="object")
    return values["value"].rank(ascending=(better == "lager"), method="min")


def profile_table(
    area_code: str, own: pd.DataFrame, siblings: pd.DataFrame, city: pd.DataFrame
) -> pd.DataFrame:
    """One row per indicator with a value for the area: latest period, value, city value in
    that period, rank among siblings (same level), trend over all periods, status.

    `own`: queries.area_values for the area; `siblings`: level_all_values for its level;
    `city`: area_values for the gemeente.
    """
    rows = []
    for ind_id, grp in own.groupby("indicator_id", sort=False):
        grp = grp.sort_values("period")
        last = grp.iloc[-1]
        status = classify.rate_status(last["kind"], last["count"], last["denominator"])
        peers = siblings[
            (siblings["indicator_id"] == ind_id) & (siblings["period"] == last["period"])
        ].dropna(subset=["value"])
        peers = peers[
            [
                classify.rate_status(last["kind"], c, d) != "nvt"
                for c, d in zip(peers["count"], peers["denominator"], strict=True)
            ]
        ]
        rank_text = ""
        if (
            status != "nvt"
            and last["better"] != "neutraal"
            and area_code in set(peers["area_code"])
        ):
            r = ranks(peers.reset_index(drop=True), last["better"])
            pos = int(r[peers.reset_index(drop=True)["area_code"] == area_code].iloc[0])
            rank_text = f"{pos} van {len(peers)}"
        city_row = city[(city["indicator_id"] == ind_id) & (city["period"] == last["period"])]
        rows.append(
            {
                "indicator_id": ind_id,
                "name": last["name"],
                "unit": last["unit"],
                "kind": last["kind"],
                "better": last["better"],
                "period": last["period"],
                "value": last["value"],
                "count": last["count"],
                "denominator": last["denominator"],
                "status": status,
                "text": (
                    STATUS_TEXT["nvt"]
                    if status == "nvt"
                    else value_text(last["value"], last["unit"], last["kind"])
                ),
                "city": None if city_row.empty else float(city_row.iloc[0]["value"]),
                "rank": rank_text,
                "trend": grp["value"].tolist() if len(grp) > 1 else [],
                "periods": f"{grp['period'].iloc[0]}–{grp['period'].iloc[-1]}"
                if len(grp) > 1
                else str(last["period"]),
                "source_key": last["source_key"],
                "derived": bool(last["derived"]),
                "note": last["note"],
            }
        )
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


PROFILE_COLUMNS = [
    "indicator_id",
    "name",
    "unit",
    "kind",
    "better",
    "period",
    "value",
    "count",
    "denominator",
    "status",
    "text",
    "city",
    "rank",
    "trend",
    "periods",
    "source_key",
    "derived",
    "note",
]


def profile_view(
    table: pd.DataFrame,
    sources: dict[str, dict],
    city_label: str,
    derived_sources: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The profile table as shown: Dutch text per cell, the trend as a list for a sparkline.

    `derived_sources` names the inputs of derived indicators (indicator id -> source text)."""
    derived_sources = derived_sources or {}
    out = pd.DataFrame(
        {
            "Indicator": table["name"],
            "Jaar": table["period"],
            "Waarde": table["text"],
            city_label: [
                value_text(v, u, k) if v is not None and not pd.isna(v) else "–"
                for v, u, k in zip(table["city"], table["unit"], table["kind"], strict=True)
            ],
            "Plaats": table["rank"],
            "Verloop": table["trend"],
            "Bron": [
                derived_sources.get(ind) or source_label(sources, key, derived)
                for ind, key, derived in zip(
                    table["indicator_id"], table["source_key"], table["derived"], strict=True
                )
            ],
        }
    )
    return out


def source_label(sources: dict[str, dict], key, derived: bool) -> str:
    src = sources.get(key) if isinstance(key, str) else None
    if src is None:
        return "berekend door het dashboard" if derived else "onbekend"
    label = f"{src['owner']}, {src['table_id']}"
    return label + (" (bewerkt)" if derived else "")


# Columns of the buurten table in a wijk profile, when the indicators exist.
CHILD_COLUMNS = [
    ("inwoners", "Inwoners"),
    ("geregistreerde_misdrijven", "Misdrijven"),
    ("geregistreerde_misdrijven_per1000", "Misdrijven per 1.000 inwoners"),
    ("lbm_score", "Leefbaarometer"),
    ("lbm_overlast_onveiligheid", "Overlast en onveiligheid (Leefbaarometer)"),
]


def children_table(children: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The buurten of a wijk with the latest value of the key indicators (with the year)."""
    out = pd.DataFrame({"Buurt": children["name"].tolist(), "Code": children["code"].tolist()})
    for ind_id, label in CHILD_COLUMNS:
        sub = values[(values["indicator_id"] == ind_id) & values["area_code"].isin(out["Code"])]
        if sub.empty:
            continue
        period = sub["period"].max()
        latest = sub[sub["period"] == period].set_index("area_code")
        kind = (
            "per_1000" if ind_id.endswith("per1000") else ("score" if "lbm" in ind_id else "aantal")
        )
        digits = decimals_for("", kind)
        if kind == "score" and latest["value"].abs().max() < 1:
            digits = 3  # as `value_text`: Leefbaarometer deviations such as -0,092, not -0,09
        cells = []
        for code in out["Code"]:
            if code not in latest.index or pd.isna(latest.loc[code, "value"]):
                cells.append(STATUS_TEXT["geen"])
                continue
            row = latest.loc[code]
            status = classify.rate_status(kind, row["count"], row["denominator"])
            cells.append(
                STATUS_TEXT["nvt"] if status == "nvt" else fmt_number(row["value"], digits)
            )
        out[f"{label} ({period})"] = cells
    return out


# Headline figures at the top of a profile, when the indicators exist.
HEADLINES = [
    ("inwoners", "Inwoners"),
    ("geregistreerde_misdrijven", "Geregistreerde misdrijven"),
    ("geregistreerde_misdrijven_per1000", "Misdrijven per 1.000 inwoners"),
]

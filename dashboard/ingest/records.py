"""Observation records from a batch: cells mapped to indicators (or auto-registered ones) and
template rows checked value by value, with every problem collected."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from dashboard.domain.parsing import ParseError, parse_number, parse_period
from dashboard.errors import Collector
from dashboard.ingest.areas import AreaResolver
from dashboard.ingest.batch import Batch
from dashboard.ingest.readers import auto_indicator_id
from dashboard.store.schema import indicator, indicator_mapping

BETTER = {"hoger", "lager", "neutraal"}
_UNPARSED = object()


def _mapping_lookup(
    conn: Connection, table_id: str
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows = conn.execute(select(indicator_mapping).where(indicator_mapping.c.table_id == table_id))
    for r in rows:
        out[(r.dimension, r.measure.lower())].append((r.indicator_id, r.role))
    return out


def _wide_targets(batch: Batch, cell) -> list[tuple[str, str]]:
    mapping = batch.mapping or {}
    spec = mapping["kolommen"][cell.measure]
    if "indicator_kolom" in mapping:
        ind = mapping.get("indicatoren", {}).get(cell.dim)
        return [(ind, spec, None)] if ind else [("", "onbekende_indicator", None)]
    targets = []
    for item in [spec] if isinstance(spec, str) else spec:
        # "indicator", "indicator:rol" or "indicator:rol:variant": a third part stores the
        # column as a named variant of an indicator another source fills (shown side by side
        # under "Tegenstrijdige cijfers" where they differ).
        ind, _, rest = item.partition(":")
        role, _, variant = rest.partition(":")
        targets.append((ind, role or "waarde", variant.strip() or None))
    return targets


def assemble(
    conn: Connection, batch: Batch, resolver: AreaResolver, problems: Collector, skip_unknown: bool
) -> tuple[list[dict], dict[str, dict]]:
    """Turn cells into observation records; return (records, auto-registered indicators)."""
    known = {r.id for r in conn.execute(select(indicator.c.id))}
    lookup = _mapping_lookup(conn, batch.table_id) if batch.mapping is None else {}
    auto: dict[str, dict] = {}
    records: dict[tuple, dict] = {}
    resolved: dict[tuple[str, str], tuple[str | None, str]] = {}
    skipped_rows: set[int] = set()
    unknown: dict[str, list] = {}
    for cell in batch.cells:
        key_area = (cell.area, cell.period[:4])
        if key_area not in resolved:
            resolved[key_area] = resolver.resolve(cell.area, cell.period)
        code, reason = resolved[key_area]
        if code is None:
            if reason in ("skip", "buiten") or skip_unknown or _is_missing(cell.raw):
                # Known non-areas, or a dissolved gemeente listed without any value.
                skipped_rows.add(cell.row)
            else:
                unknown.setdefault(cell.area, [reason, cell.area_column or cell.column, set()])[
                    2
                ].add(cell.row)
            continue
        if batch.mapping is not None:
            targets = _wide_targets(batch, cell)
        else:
            targets = lookup.get((cell.dim, cell.measure.lower()))
            if not targets:
                ind_id = auto_indicator_id(batch.table_key(), cell.dim, cell.measure)
                if ind_id not in known and ind_id not in auto:
                    name = cell.measure_label + (f" — {cell.dim_label}" if cell.dim_label else "")
                    auto[ind_id] = {
                        "id": ind_id,
                        "name": name,
                        "unit": cell.unit or "",
                        "definition": f"Automatisch overgenomen uit {batch.file_name}, "
                        f"kolom '{cell.column}'.",
                        "better": "neutraal",
                        "kind": "waarde",
                        "auto": True,
                    }
                targets = [(ind_id, "waarde")]
        parsed = _UNPARSED
        for ind_id, role, *named in targets:
            variant = (named[0] if named else None) or cell.variant
            if role == "negeren":
                continue
            if role == "onbekende_indicator" or (ind_id not in known and ind_id not in auto):
                problems.add(
                    f"onbekende indicator '{cell.dim or ind_id}': voeg die eerst toe aan "
                    "de indicatorcatalogus",
                    row=cell.row,
                    column=cell.column,
                )
                continue
            if parsed is _UNPARSED:  # once per cell, also when it feeds several indicators
                parsed = _number(cell.raw, batch.decimal, problems, cell.row, cell.column)
            value = parsed
            if value is None:
                continue
            if cell.margin:
                role = cell.margin
            rec = records.setdefault(
                (ind_id, code, cell.period, variant),
                {
                    "indicator_id": ind_id,
                    "area_code": code,
                    "period": cell.period,
                    "variant": variant,
                    "note": cell.note,
                    "provisional": cell.provisional,
                    "_rows": {},
                },
            )
            if role in rec["_rows"] and rec["_rows"][role] != cell.row:
                problems.add(
                    f"dubbele rij: {ind_id} voor {cell.area} in {cell.period} staat ook "
                    f"op rij {rec['_rows'][role]}",
                    row=cell.row,
                    column=cell.column,
                )
                continue
            rec["_rows"][role] = cell.row
            rec[role] = value
    for name, (reason, column, rows) in unknown.items():
        ordered = sorted(rows)
        listed = ", ".join(str(r) for r in ordered[:5]) + (" ..." if len(ordered) > 5 else "")
        problems.add(
            f"{reason} '{name}' in {len(ordered)} rij(en) ({listed}): dit gebied staat "
            "niet in de database; importeer eerst de gebiedsindeling of controleer de "
            "code of naam",
            row=ordered[0],
            column=column,
        )
    skipped_rows -= {r for _, _, rows in unknown.values() for r in rows}
    batch.skipped += len(skipped_rows)
    if skipped_rows:
        batch.notices.append(
            f"{len(skipped_rows)} rijen overgeslagen: gebied niet in de "
            "database of geen gemeente, wijk of buurt (bijv. buurten van andere "
            "gemeenten, politie-eenheden, provincies, opgeheven gemeenten "
            "zonder cijfers)"
        )
    return [_finish(r) for r in records.values() if _has_value(r)], auto


NON_NEGATIVE = {"aantal", "per_1000", "per_10000", "percentage"}


def _bad_number(raw, decimal: str) -> bool:
    """True when the text is not a number at all (already reported by `_number`)."""
    try:
        parse_number(raw, decimal)
    except ParseError:
        return True
    return False


def _is_missing(raw) -> bool:
    try:
        return parse_number(raw, ",") is None
    except ParseError:
        return False


def _has_value(rec: dict) -> bool:
    return any(rec.get(k) is not None for k in ("waarde", "aantal", "noemer"))


def _number(raw, decimal, problems, row, column):
    try:
        return parse_number(raw, decimal)
    except ParseError as exc:
        problems.add(f"{exc} (verwacht een getal of een leeg veld)", row=row, column=column)
        return None


def _finish(rec: dict) -> dict:
    value, margin = rec.get("waarde"), rec.get("marge")
    lower, upper = rec.get("ondergrens"), rec.get("bovengrens")
    if margin is not None and value is not None:
        lower, upper = value - margin, value + margin
    return {
        "indicator_id": rec["indicator_id"],
        "area_code": rec["area_code"],
        "period": rec["period"],
        "value": value,
        "lower": lower,
        "upper": upper,
        "count": rec.get("aantal"),
        "denominator": rec.get("noemer"),
        "variant": rec["variant"],
        "note": rec["note"],
        "provisional": rec["provisional"],
        "derived": False,
    }


def template_records(
    conn: Connection, batch: Batch, resolver: AreaResolver, problems: Collector
) -> tuple[list[dict], dict[str, dict]]:
    kinds = dict(conn.execute(select(indicator.c.id, indicator.c.kind)).all())
    known = set(kinds)
    auto: dict[str, dict] = {}
    out: dict[tuple, dict] = {}
    for rec in batch.template_rows:
        row = rec["_row"]
        ind = rec["indicator"]
        if not ind:
            problems.add("indicator ontbreekt", row=row, column="indicator")
            continue
        if ind not in known and ind not in auto:
            if rec.get("naam") and rec.get("eenheid") and rec.get("beter") in BETTER:
                auto[ind] = {
                    "id": ind,
                    "name": rec["naam"],
                    "unit": rec["eenheid"],
                    "definition": rec.get("definitie", ""),
                    "better": rec["beter"],
                    "kind": "waarde",
                    "auto": False,
                }
            else:
                problems.add(
                    f"onbekende indicator '{ind}': gebruik een id uit de catalogus of "
                    "vul naam, eenheid en beter (hoger/lager/neutraal) in",
                    row=row,
                    column="indicator",
                )
                continue
        try:
            period, prov = parse_period(rec["periode"])
        except ParseError as exc:
            problems.add(str(exc), row=row, column="periode")
            continue
        code, reason = resolver.resolve(rec["gebied"], period)
        if code is None:
            text = (
                reason if reason.startswith("onbekend") else "gebied zonder grenzen in de database"
            )
            problems.add(f"{text} '{rec['gebied']}'", row=row, column="gebied")
            continue
        nums = {}
        for col in ("waarde", "ondergrens", "bovengrens", "marge", "aantal", "noemer"):
            nums[col] = _number(rec.get(col, ""), batch.decimal, problems, row, col)
        if nums["waarde"] is None and not _bad_number(rec.get("waarde", ""), batch.decimal):
            # An empty cell or a symbol such as '.', 'x', 'NaN': in your own figures a value
            # must be there; a missing value would silently replace an earlier one.
            problems.add("waarde ontbreekt of is geen getal", row=row, column="waarde")
        for col in ("aantal", "noemer", "marge"):
            if nums[col] is not None and nums[col] < 0:
                problems.add(f"{col} mag niet negatief zijn", row=row, column=col)
        kind = kinds.get(ind) or auto.get(ind, {}).get("kind", "waarde")
        if nums["waarde"] is not None and nums["waarde"] < 0 and kind in NON_NEGATIVE:
            problems.add(
                f"een {kind.replace('_', ' ')}-waarde kan niet negatief zijn",
                row=row,
                column="waarde",
            )
        key = (ind, code, period, rec.get("variant", ""))
        if key in out:
            problems.add(
                f"dubbele rij: {ind} voor {rec['gebied']} in {period} staat ook op rij "
                f"{out[key]['_row']}",
                row=row,
                column="indicator",
            )
            continue
        out[key] = {
            "_row": row,
            "indicator_id": ind,
            "area_code": code,
            "period": period,
            "variant": rec.get("variant", ""),
            "note": rec.get("toelichting", ""),
            "provisional": prov,
            "waarde": nums["waarde"],
            "marge": nums["marge"],
            "ondergrens": nums["ondergrens"],
            "bovengrens": nums["bovengrens"],
            "aantal": nums["aantal"],
            "noemer": nums["noemer"],
        }
    return [_finish(r) for r in out.values()], auto

"""What Data & bronnen shows: the catalogue's tables with Dutch headers and Dutch numbers.

Each function returns `(frame, columns)`: the frame with display columns added and the mapping
from column to Dutch header, as `web.widgets.dataframe` takes them.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard import settings
from dashboard.domain.fmt import fmt_date, fmt_number
from dashboard.domain.freshness import CYCLES, freshness
from dashboard.ingest.build import read_manifest

Table = tuple[pd.DataFrame, dict[str, str]]
AGE_NOTE = (
    "Ouderdom: vanaf het einde van de nieuwste periode in de gegevens (zonder periodes: vanaf "
    "het inlezen). 'Verouderd': ouder dan de verwachte cyclus van de bron plus de gebruikelijke "
    "publicatietermijn (maand: 1 + 2 maanden, jaar: 12 + 6, twee jaar: 24 + 6); de cyclus staat "
    "per bron in data/bronnen.toml. Nieuwe cijfers haalt een beheerder op met het commando "
    "python -m dashboard ophalen TABEL."
)


def cycles(manifest: dict | None = None) -> dict[str, str]:
    """The expected update cycle (`cyclus` in data/bronnen.toml) by source key and by table;
    without `manifest` from the configured file, read again only when the file changes."""
    if manifest is None:
        path = Path(settings.get("DATA_MANIFEST"))
        return dict(_file_cycles(str(path), path.stat().st_mtime_ns))
    return _cycles(manifest)


@lru_cache(maxsize=8)
def _file_cycles(path: str, mtime_ns: int) -> dict[str, str]:
    return _cycles(read_manifest(path))


def _cycles(manifest: dict) -> dict[str, str]:
    bronnen = manifest.get("bronnen", {})
    out = {}
    for key, b in bronnen.items():
        cycle = str(b.get("cyclus", "")).strip()
        if cycle in CYCLES:
            out[key] = cycle
            out.setdefault(f"tabel:{b.get('tabel', '')}", cycle)
    return out


def sources_table(src: pd.DataFrame, known: dict[str, str] | None = None, today=None) -> Table:
    known = cycles() if known is None else known
    today = today or date.today()
    fresh = [
        freshness(
            str(period).split("–")[-1] if period else None,
            None if pd.isna(imported) else imported,
            known.get(key) or known.get(f"tabel:{table}", ""),
            today,
        )
        for key, table, period, imported in zip(
            src["key"], src["table_id"], src["period"], src["imported_at"], strict=True
        )
    ]
    out = src.assign(
        imported=src["imported_at"].map(fmt_date),
        rows_nl=src["rows"].map(lambda v: fmt_number(v, 0)),
        age=[f.age for f in fresh],
        cycle=[f.cycle or "–" for f in fresh],
        verdict=[f.verdict or "–" for f in fresh],
    )
    return out, {
        "owner": "Eigenaar",
        "table_id": "Tabel",
        "title": "Omschrijving",
        "period": "Periode",
        "verdict": "Actueel?",
        "age": "Ouderdom",
        "cycle": "Verwachte cyclus",
        "licence": "Licentie",
        "imported": "Ingelezen op",
        "rows_nl": "Rijen",
        "url": "Vindplaats",
        "note": "Toelichting",
    }


DIRECTION = {"hoger": "hoger is beter", "lager": "lager is beter", "neutraal": "geen oordeel"}


def indicators_table(ind: pd.DataFrame) -> Table:
    return ind.assign(richting=ind["better"].map(DIRECTION)), {
        "name": "Indicator",
        "unit": "Eenheid",
        "richting": "Richting",
        "levels": "Niveaus",
        "source_key": "Bron",
        "definition": "Definitie",
        "derived_from": "Afgeleid",
        "id": "Code",
    }


def releases_table(rel: pd.DataFrame) -> Table:
    out = rel.assign(datum=rel["imported_at"].map(fmt_date), controlegetal=rel["checksum"].str[:12])
    out["door"] = rel.get("imported_by", pd.Series("", index=rel.index)).replace("", "–")
    for col in ("row_count", "skipped_count"):
        out[col] = rel[col].map(lambda n: fmt_number(n, 0))
    return out, {
        "id": "Nr.",
        "source_key": "Bron",
        "file_name": "Bestand",
        "file_format": "Formaat",
        "datum": "Ingelezen op",
        "door": "Door",
        "row_count": "Rijen",
        "skipped_count": "Overgeslagen",
        "controlegetal": "Controlegetal (SHA-256)",
    }


def conflicts_table(conf: pd.DataFrame) -> pd.DataFrame:
    """Both figures of every conflict with their document: the table as shown."""
    columns = {
        "name": "Indicator",
        "area_code": "Gebied",
        "period": "Jaar",
        "waarde": "Waarde",
        "variant": "Document",
        "note": "Opmerking",
    }
    document = [
        variant or f"primair: {owner or ''} {table or ''}".strip()
        for variant, owner, table in zip(
            conf["variant"], conf.get("owner", ""), conf.get("table_id", ""), strict=True
        )
    ]
    out = conf.assign(waarde=conf["value"].map(fmt_number), variant=document)
    return out[list(columns)].rename(columns=columns)

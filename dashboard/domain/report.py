"""The voortgangsrapportage: the plan's acties in one spreadsheet, filled in and read back.

Pure: the columns and sheets of the workbook, the rows it starts with, and which rows of a
filled-in workbook change an actie. Writing is `render.xlsx`, reading `ingest.voortgang`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.domain.fmt import neutralise
from dashboard.domain.progress import NOT_REGISTERED, STATUSES

SHEET = "Voortgang"
INFO_SHEET = "Instructies"
# Column names as the progress form names its fields, so a problem names the same thing.
CODE, THEME, DOEL, TEXT = "Actie", "Thema", "Doel", "Omschrijving"
STATUS, OWNER, DATE, NOTE = "Status", "Eigenaar of partner", "Datum van de update", "Toelichting"
COLUMNS = [CODE, THEME, DOEL, TEXT, STATUS, OWNER, DATE, NOTE]
EDITABLE = [STATUS, OWNER, DATE, NOTE]
PLAN_LABEL, GEMEENTE_LABEL = "Plan-id", "Gemeente (CBS-code)"
# The newest update when the file was made: an actie updated since is not overwritten.
VERSION_LABEL = "Stand van de updates"


def rows(acts: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """One row per actie in document order, with its current state (empty where nothing is
    registered: nothing is invented)."""
    return pd.DataFrame(
        {
            CODE: acts["code"],
            THEME: [f"{c} {titles.get(c, '')}".strip() for c in acts["theme_code"]],
            DOEL: [f"{c} {titles.get(c, '')}".strip() if c else "" for c in acts["doel_code"]],
            TEXT: acts["text"],
            STATUS: ["" if s == NOT_REGISTERED else s for s in acts["status"]],
            OWNER: [o or "" for o in acts["owner"]],
            DATE: pd.Series(
                [d if isinstance(d, date) else None for d in acts["update_date"]], dtype=object
            ),
            NOTE: [n or "" for n in acts["note"]],
        }
    )


def instructions(
    plan_id: str, plan_title: str, gemeente: str, city: str, version: int = 0
) -> list[list[str]]:
    """The instructions sheet, line by line; the plan, gemeente and the version of the updates
    are read back on upload."""
    return [
        ["Voortgangsrapportage", ""],
        [PLAN_LABEL, plan_id],
        [GEMEENTE_LABEL, gemeente],
        [VERSION_LABEL, str(version)],
        ["Plan", plan_title],
        ["Gemeente", city],
        ["", ""],
        ["Zo werkt het", ""],
        ["1.", f"Vul op het blad '{SHEET}' per actie de kolommen {', '.join(EDITABLE)} in."],
        ["2.", f"Status is een van: {', '.join(STATUSES)} (keuzelijst in de cel)."],
        ["3.", "Datum als datum (31-03-2024); niet in de toekomst."],
        [
            "4.",
            "Een rij die u niet verandert, blijft zoals hij is; een veranderde rij wordt "
            "een nieuwe update met uw naam.",
        ],
        ["5.", f"Laat de kolommen {CODE}, {THEME}, {DOEL} en {TEXT} staan; voeg geen acties toe."],
        [
            "6.",
            "Lees het bestand in op de pagina Thema's (Voortgangsrapportage inlezen). Eerst "
            "wordt elke rij gecontroleerd; bij één fout wordt niets opgeslagen.",
        ],
    ]


def plain(value: object) -> object:
    """A text cell as written before the download neutralised it ("'=x" back to "=x")."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def changed(new: dict, cur: dict) -> bool:
    """Whether a row of the workbook differs from the actie's current state."""

    def norm(state: dict) -> tuple:
        status = state.get("status") or ""
        return (
            "" if status == NOT_REGISTERED else status,
            (state.get("owner") or "").strip(),
            state.get("update_date") if isinstance(state.get("update_date"), date) else None,
            (state.get("note") or "").strip(),
        )

    return norm(new) != norm(cur)


def summary(changed_codes: list[str], total: int) -> str:
    """'12 acties bijgewerkt (van 63 in het bestand).'"""
    n = len(changed_codes)
    if n == 0:
        return f"Geen acties veranderd (van {total} in het bestand); er is niets opgeslagen."
    word = "actie" if n == 1 else "acties"
    return f"{n} {word} bijgewerkt (van {total} in het bestand): {', '.join(changed_codes)}."

"""Source age on the Data page: from the newest period (or the import), against the cycle in
data/bronnen.toml (domain/freshness.py, views/sources.py)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from dashboard.domain.freshness import CYCLES, freshness, months_between, period_end
from dashboard.ingest.build import read_manifest
from dashboard.views import sources

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "period, end",
    [
        ("2024", date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("2023-K2", date(2023, 6, 30)),
        ("2023-H1", date(2023, 6, 30)),
        ("2023-12", date(2023, 12, 31)),
        ("geen", None),
    ],
)
def test_period_end(period, end):
    assert period_end(period) == end


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2024, 12, 31), date(2026, 12, 1), 23),
        (date(2026, 10, 31), date(2026, 11, 30), 1),
        (date(2026, 11, 15), date(2026, 12, 1), 0),
        (date(2027, 1, 1), date(2026, 12, 1), 0),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    "period, imported, cycle, age, verdict",
    [
        ("2024", None, "jaar", "nieuwste periode 2024: 23 maanden geleden", "verouderd"),
        ("2025", None, "jaar", "nieuwste periode 2025: 11 maanden geleden", "actueel"),
        ("2026-09", None, "maand", "nieuwste periode 2026-09: 2 maanden geleden", "actueel"),
        ("2026-07", None, "maand", "nieuwste periode 2026-07: 4 maanden geleden", "verouderd"),
        ("2023", None, "twee jaar", "nieuwste periode 2023: 2 jaar geleden", "verouderd"),
        ("2025", None, "twee jaar", "nieuwste periode 2025: 11 maanden geleden", "actueel"),
        ("2019", None, "", "nieuwste periode 2019: 6 jaar geleden", ""),
        (None, datetime(2026, 11, 20, 9), "", "ingelezen minder dan een maand geleden", ""),
        (None, datetime(2026, 2, 1, 9), "jaar", "ingelezen 10 maanden geleden", "actueel"),
        (None, None, "jaar", "–", ""),
    ],
)
def test_freshness(period, imported, cycle, age, verdict):
    got = freshness(period, imported, cycle, TODAY)
    assert (got.age, got.verdict) == (age, verdict)
    assert got.cycle == (CYCLES[cycle][2] if cycle else "")


def test_every_cycle_in_the_manifest_is_known():
    bronnen = read_manifest()["bronnen"]
    given = {k: b["cyclus"] for k, b in bronnen.items() if "cyclus" in b}
    assert set(given.values()) <= set(CYCLES)
    assert given["politie-47018NED"] == "maand"
    assert given["cbs-83648NED-reeks"] == "jaar"
    assert given["cbs-85146NED"] == "twee jaar"


def test_sources_table_marks_by_key_and_by_table():
    src = pd.DataFrame(
        {
            "key": ["cbs-85146NED", "cbs-83648NED-opgehaald", "eigen"],
            "table_id": ["85146NED", "83648NED", "x"],
            "period": ["2021–2023", "2010–2025", ""],
            "imported_at": pd.Series(
                [datetime(2026, 1, 5), datetime(2026, 11, 30), None], dtype=object
            ),
            "rows": [10, 20, 30],
        }
    )
    known = {"cbs-85146NED": "twee jaar", "tabel:83648NED": "jaar"}
    out, cols = sources.sources_table(src, known, TODAY)
    assert list(out["verdict"]) == ["verouderd", "actueel", "–"]
    assert list(out["cycle"]) == ["elke twee jaar", "elk jaar", "–"]
    assert out["age"][0] == "nieuwste periode 2023: 2 jaar geleden"
    assert cols["age"] == "Ouderdom" and cols["verdict"] == "Actueel?"

"""Slide and PDF progress tables leave out status columns that hold only zeros."""

import pandas as pd
import pytest

from dashboard.domain import progress


@pytest.mark.parametrize(
    ("afgerond", "loopt", "kept"),
    [
        ([0, 0], ["0", "0"], ["Thema", "Acties", "nog geen update"]),
        (["1 (10%)", 0], ["0", "0"], ["Thema", "Acties", "afgerond", "nog geen update"]),
        ([0, 0], ["0", "2 (12%)"], ["Thema", "Acties", "loopt", "nog geen update"]),
        (["10 (100%)", "3 (30%)"], ["0", "1 (10%)"], None),
    ],
)
def test_without_empty_statuses(afgerond, loopt, kept):
    table = pd.DataFrame(
        {
            "Thema": ["T1", "T2"],
            "Acties": [10, 10],
            "afgerond": afgerond,
            "loopt": loopt,
            "vertraagd": ["0", "0"],
            "nog geen update": ["10 (100%)", "7 (70%)"],
        }
    )
    shown = progress.without_empty_statuses(table)
    expected = kept or ["Thema", "Acties", "afgerond", "loopt", "nog geen update"]
    assert list(shown.columns) == expected

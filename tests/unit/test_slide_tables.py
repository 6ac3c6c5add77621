"""The slide's progress table leaves out status columns that hold only zeros."""

import pandas as pd
import pytest

from dashboard.web import presentation


@pytest.mark.parametrize(
    ("values", "empty"),
    [
        ([0, 0, 0], True),
        (["0", "0 (0%)"], True),
        ([0, 1], False),
        (["0", "2 (12%)"], False),
        (["10 (100%)"], False),
    ],
)
def test_all_zero(values, empty):
    assert presentation._all_zero(pd.Series(values)) is empty

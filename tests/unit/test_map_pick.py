"""The area chosen on a pydeck map, read from the widget's state before the map is drawn."""

import pytest

from dashboard.web import widgets


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),  # the first run: no map yet
        ({"selection": {"indices": {}, "objects": {}}}, None),  # nothing clicked
        ({"selection": {"objects": {"gebieden": [{"area_code": "WK016400"}]}}}, "WK016400"),
        ({"selection": {"objects": {"labels": [{"area_code": "WK016400"}]}}}, None),
        ({"selection": {"objects": {"gebieden": ["WK016400"]}}}, None),  # not an area row
        ({}, None),
    ],
)
def test_map_pick(monkeypatch, state, expected):
    monkeypatch.setattr(widgets.st, "session_state", {} if state is None else {"kaart": state})
    assert widgets.map_pick("kaart") == expected

"""Classification, normalisation and the URL parser: table-driven."""

import json

import pytest

from dashboard.domain import classify
from dashboard.domain.fmt import fmt_number
from dashboard.render import maps


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2.8, 4.6, 6.4, 8.2]),
        ([5, 5, 5], []),  # one distinct value: one class
        ([1, 2], [1.5]),  # fewer values than classes
        ([], []),
        ([1, None, float("nan"), 3], [2.0]),  # missing values ignored
        ([0.01, 0.02, 0.03, 0.04, 0.05, 0.06], [0.02, 0.03, 0.04, 0.05]),
    ],
)
def test_class_breaks(values, expected):
    assert classify.class_breaks(values) == expected


@pytest.mark.parametrize(
    ("value", "bounds", "expected"),
    [(1, [2, 4], 0), (2, [2, 4], 1), (3, [2, 4], 1), (4, [2, 4], 2), (9, [], 0), (None, [2], None)],
)
def test_classify(value, bounds, expected):
    assert classify.classify(value, bounds) == expected


@pytest.mark.parametrize(
    ("better", "first", "last"),
    [
        ("lager", classify.ORANGE_RED[0], classify.ORANGE_RED[-1]),  # low values light
        ("hoger", classify.ORANGE_RED[-1], classify.ORANGE_RED[0]),  # low values dark (worse)
        ("neutraal", classify.BLUES[0], classify.BLUES[-1]),
    ],
)
def test_palette_follows_direction(better, first, last):
    colours = classify.palette(5, better)
    assert colours[0] == first and colours[-1] == last


def test_legend_labels_dutch():
    labels = classify.legend_labels([1234.5, 2000], lambda x: fmt_number(x, 1))
    assert labels == ["minder dan 1.234,5", "1.234,5 tot 2.000,0", "2.000,0 of meer"]


@pytest.mark.parametrize(
    ("kind", "count", "den", "expected"),
    [
        ("per_1000", 40, 15, "nvt"),  # business park: 15 inhabitants
        ("per_1000", 5, 1500, "onzeker"),
        ("per_1000", 717, 1170, "ok"),
        ("aantal", 40, 15, "ok"),  # counts are never suppressed
        ("per_1000", 10, None, "ok"),
    ],
)
def test_rate_status(kind, count, den, expected):
    assert classify.rate_status(kind, count, den) == expected


def test_deck_needs_no_internet():
    """No MapView, no map style, no map provider: nothing for the browser to fetch."""
    deck = maps.choropleth(
        [], [{"name": "<b>x</b>", "position": [1, 2]}], [], {"target": [0, 0, 0], "zoom": 0}
    )
    spec = json.loads(deck.to_json())
    assert [v["@@type"] for v in spec["views"]] == ["OrthographicView"]
    assert not spec.get("mapStyle") and not spec.get("mapProvider")
    assert "http" not in deck.to_json()


def test_tooltip_fields_are_plain_text():
    """Streamlit's deck.gl chart escapes each field it puts into the tooltip's HTML: escaping
    here as well showed "&#x27;t Wilbert" (the browser test hovers the map to check)."""
    fields = maps.tooltip_fields("'t Wilbert", "BU1", "1", "2023", "a&b")
    assert fields["t_name"] == "'t Wilbert" and fields["t_source"] == "a&b"
    assert "{t_name}" in maps.TOOLTIP["html"]  # the template Streamlit fills in

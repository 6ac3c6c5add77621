"""One table for every page's URL spec: query parameters in, spec and notices out."""

from __future__ import annotations

import pytest

from dashboard.views import urls

OPTIONS = {
    "wijk": {"a": ["2022", "2023"], "lbm": ["2002", "2024"]},
    "buurt": {"a": ["2023"], "lbm": ["2024"]},
}
AREAS = {"WK016400": "wijk", "BU01640000": "buurt"}
WIJKEN = ["WK016400", "WK016401"]
PERIODS = ["2013", "2015", "2017", "2024"]
THEMES = ["T1", "T2", "T3"]
HOSTILE = "![x](http://evil.example/i.png) [Klik hier](http://evil.example)"


def kaart(params):
    return urls.parse_view(params, OPTIONS, AREAS, "a")


def wijkprofiel(params):
    return urls.parse_profile(params, set(AREAS))


def g32(params):
    return urls.parse_comparison(params, PERIODS, ("2017", "2024")), []


def themas(params):
    return urls.parse_theme(params, THEMES), []


def beeld(params):
    return urls.parse_agenda(params, WIJKEN, PERIODS, ("2017", "2024")), []


OFFERED = {"GM0164": "Hengelo (O.)", "GM0153": "Enschede", "GM0141": "Almelo"}


def gemeente(params):
    return urls.parse_gemeente(params, OFFERED, "GM0164")


def gemeente_after_almelo(params):
    """The session chose Almelo earlier; a page switch came without `gemeente`."""
    return urls.parse_gemeente(params, OFFERED, "GM0164", remembered="GM0141")


CASES = [
    # Kaart
    (kaart, {}, urls.MapView("wijk", "a", "2023"), 0),
    (
        kaart,
        {"niveau": "buurt", "indicator": "lbm", "jaar": "2024"},
        urls.MapView("buurt", "lbm", "2024"),
        0,
    ),
    (kaart, {"gebied": "BU01640000"}, urls.MapView("buurt", "a", "2023", "BU01640000"), 0),
    (  # the area decides the level
        kaart,
        {"gebied": "bu01640000", "niveau": "wijk"},
        urls.MapView("buurt", "a", "2023", "BU01640000"),
        0,
    ),
    (kaart, {"gebied": "BU99999999"}, urls.MapView("wijk", "a", "2023"), 1),
    (kaart, {"gebied": "BU０１６４００００"}, urls.MapView("wijk", "a", "2023"), 1),  # fullwidth
    (kaart, {"indicator": "bestaat_niet"}, urls.MapView("wijk", "a", "2023"), 1),
    (kaart, {"indicator": "lbm", "jaar": "1999"}, urls.MapView("wijk", "lbm", "2024"), 1),
    (kaart, {"niveau": "provincie"}, urls.MapView("wijk", "a", "2023"), 1),
    (kaart, {"niveau": "buurt", "jaar": "2022"}, urls.MapView("buurt", "a", "2023"), 1),
    (  # each area against its similar areas
        kaart,
        {"vergelijking": "vergelijkbaar"},
        urls.MapView("wijk", "a", "2023", vergelijking="vergelijkbaar"),
        0,
    ),
    (kaart, {"vergelijking": "g32"}, urls.MapView("wijk", "a", "2023"), 1),  # not on the Kaart
    (kaart, {"vergelijking": ""}, urls.MapView("wijk", "a", "2023"), 0),
    # Wijkprofiel
    (wijkprofiel, {}, urls.ProfileView(None), 0),
    (wijkprofiel, {"gebied": " wk016400 "}, urls.ProfileView("WK016400"), 0),
    (wijkprofiel, {"gebied": "WK999999"}, urls.ProfileView(None), 1),
    (wijkprofiel, {"gebied": "WK " + HOSTILE}, urls.ProfileView(None), 1),
    # G32-vergelijking
    (g32, {}, urls.ComparisonView("g32", "2017", "2024"), 0),
    (
        g32,
        {"vergelijking": "twente", "basisjaar": "2013", "jaar": "2015", "indicator": "x"},
        urls.ComparisonView("twente", "2013", "2015", "x"),
        0,
    ),
    (g32, {"vergelijking": "g99", "jaar": "2099"}, urls.ComparisonView("g32", "2017", "2024"), 0),
    # Thema's
    (themas, {}, urls.ThemeView(None), 0),
    (themas, {"thema": "T2"}, urls.ThemeView("T2"), 0),
    (themas, {"thema": " t3 "}, urls.ThemeView("T3"), 0),
    (themas, {"thema": "T9"}, urls.ThemeView(None, "T9"), 0),
    (themas, {"thema": "<b>"}, urls.ThemeView(None, "<B>"), 0),
    # Veiligheidsbeeld and the agenda's slides
    (beeld, {}, urls.AgendaView(None, "2017", "2024"), 0),
    (beeld, {"gebied": "wk016401"}, urls.AgendaView("WK016401", "2017", "2024"), 0),
    (beeld, {"gebied": "WK " + HOSTILE}, urls.AgendaView(None, "2017", "2024"), 0),
    (beeld, {"gebied": "BU01640000"}, urls.AgendaView(None, "2017", "2024"), 0),  # not a wijk
    (
        beeld,
        {"basisjaar": "2013", "jaar": "2015"},
        urls.AgendaView(None, "2013", "2015"),
        0,
    ),
    (beeld, {"basisjaar": "2013", "jaar": "1999"}, urls.AgendaView(None, "2017", "2024"), 0),
    # Every page: the gemeente in view
    (gemeente, {}, "GM0164", 0),
    (gemeente, {"gemeente": "GM0153"}, "GM0153", 0),
    (gemeente, {"gemeente": " gm0153 "}, "GM0153", 0),
    (gemeente, {"gemeente": "GM9998"}, "GM0164", 1),  # not in the database
    (gemeente, {"gemeente": "GM0183"}, "GM0164", 1),  # in the database, not offered
    (gemeente, {"gemeente": "WK015300"}, "GM0164", 1),
    (gemeente, {"gemeente": HOSTILE}, "GM0164", 1),
    (gemeente_after_almelo, {}, "GM0141", 0),
    (gemeente_after_almelo, {"gemeente": "GM0153"}, "GM0153", 0),
    (gemeente_after_almelo, {"gemeente": "GM9998"}, "GM0141", 1),
]


@pytest.mark.parametrize(("parse", "params", "expected", "n_notices"), CASES)
def test_url_spec(parse, params, expected, n_notices):
    spec, notices = parse(params)
    assert spec == expected
    assert len(notices) == n_notices


@pytest.mark.parametrize("params", [p for parse, p, _, n in CASES if n])
def test_notices_quote_values_as_text(params):
    """A rejected value never becomes a link or an image in the notice."""
    for parse in (kaart, wijkprofiel, gemeente):
        for notice in parse({**params, "indicator": HOSTILE} if parse is kaart else params)[1]:
            assert "](" not in notice and "![" not in notice


def test_unknown_gemeente_is_named_with_the_fallback():
    code, [notice] = urls.parse_gemeente({"gemeente": "GM9998"}, OFFERED, "GM0164")
    assert code == "GM0164"
    assert notice.startswith("Gemeente 'GM9998' is in dit dashboard niet beschikbaar")
    assert "Hengelo \\(O\\.\\) wordt getoond" in notice  # the name escaped for markdown


@pytest.mark.parametrize(
    ("params", "gemeente_code", "expected"),
    [
        ({"gebied": "WK015300"}, "GM0153", {"gebied": "WK015300", "gemeente": "GM0153"}),
        ({"gebied": "WK016400"}, "GM0164", {"gebied": "WK016400"}),  # the default: no parameter
        ({"gemeente": "GM0153"}, "GM0164", {}),
    ],
)
def test_links_carry_the_gemeente_unless_default(params, gemeente_code, expected):
    assert urls.with_gemeente(params, gemeente_code, "GM0164") == expected


@pytest.mark.parametrize(
    ("options", "preferred", "expected"),
    [
        ({"wijk": {"a": ["2023"], "b": ["2024"]}}, ["b", "a"], urls.MapView("wijk", "b", "2024")),
        ({"wijk": {"a": ["2023"]}}, ["x", "y"], urls.MapView("wijk", "a", "2023")),
        ({"wijk": {}, "buurt": {}}, ["a"], urls.MapView("wijk", "", "")),
    ],
)
def test_kaart_default_is_the_first_preferred_indicator_the_level_has(options, preferred, expected):
    assert urls.parse_view({}, options, {}, preferred) == (expected, [])


def test_kaart_names_a_level_without_figures():
    options = {"wijk": {"a": ["2024"]}, "buurt": {}}
    view, [notice] = urls.parse_view({"niveau": "buurt"}, options, {}, "a")
    assert view == urls.MapView("wijk", "a", "2024")
    assert notice == "Voor de buurten zijn nog geen cijfers; de wijken worden getoond."


def test_kaart_round_trip():
    view = urls.MapView("buurt", "lbm", "2024", "BU01640000")
    assert urls.parse_view(view.params(), OPTIONS, AREAS, "a") == (view, [])
    similar = urls.MapView("wijk", "a", "2023", vergelijking="vergelijkbaar")
    assert similar.params()["vergelijking"] == "vergelijkbaar"
    assert urls.parse_view(similar.params(), OPTIONS, AREAS, "a") == (similar, [])

"""Defaults chosen from what a gemeente has, and what it lacks named with where to get it
(issue 13, part 1): the rules as tables, then the views of real gemeenten in the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, delete
from sqlalchemy.pool import NullPool

from dashboard import settings
from dashboard.domain import missing, overview, wijkbeeld
from dashboard.store import queries
from dashboard.store.schema import observation
from dashboard.views import agenda


def options(**periods) -> pd.DataFrame:
    return pd.DataFrame({"id": list(periods), "periods": list(periods.values())})


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        (
            options(inwoners=["2024"], geregistreerde_misdrijven_per1000=["2022", "2023"]),
            ("geregistreerde_misdrijven_per1000", "2023"),
        ),
        (options(inwoners=["2024"], bevolkingsdichtheid=["2024"]), ("bevolkingsdichtheid", "2024")),
        (options(lbm_score=["2022", "2024"], inwoners=["2024"]), ("lbm_score", "2024")),
        (options(aandeel_65_plus=["2022"]), ("aandeel_65_plus", "2022")),  # none preferred
        (options(geregistreerde_misdrijven_per1000=[], inwoners=["2024"]), ("inwoners", "2024")),
        (options(), None),
    ],
)
def test_map_indicator_is_the_first_preferred_one_the_gemeente_has(available, expected):
    assert overview.map_choice(available) == expected


@pytest.mark.parametrize(
    ("counts", "label", "value"),
    [
        ({"wijk": 10, "buurt": 62}, "Wijken en buurten", "10 en 62"),
        ({"wijk": 10}, "Wijken", "10"),
        ({"wijk": 10, "buurt": 0}, "Wijken", "10"),
        ({"buurt": 3}, "Buurten", "3"),
        ({}, "Wijken en buurten", "nog geen"),
    ],
)
def test_area_count_names_a_missing_level_instead_of_a_zero(counts, label, value):
    got_label, got_value, why = missing.area_count(counts)
    assert (got_label, got_value) == (label, value)
    assert bool(why) == (value != "10 en 62")  # what is missing says where to get it


@pytest.mark.parametrize(
    "sentence",
    [
        missing.no_headline("X"),
        missing.no_area_figures("X"),
        missing.no_shapes("X"),
        missing.no_area_crime("X", "Bevolkingsdichtheid"),
        missing.no_areas("X"),
        missing.no_level("X", "buurt"),
        missing.no_gemeente_figures("X"),
        missing.no_figures_for("X"),
        missing.no_buurten("X"),
    ],
)
def test_every_missing_sentence_says_where_to_get_it(sentence):
    assert "Data & bronnen" in sentence
    assert any(src in sentence for src in ("47018NED", "85984NED", "Wijk- en buurtkaart"))


@pytest.fixture(scope="module")
def engine(built_db):
    # No pooled connection stays open between tests: on PostgreSQL the `db` fixture copies the
    # built database as a template, which needs it without sessions.
    eng = create_engine(built_db, poolclass=NullPool)
    yield eng
    eng.dispose()


def test_enschede_gets_a_wijk_map_of_what_it_has(engine):
    view = agenda.veiligheidsbeeld(engine, "GM0153")
    assert view.title == "Veiligheidsbeeld Enschede"
    assert view.map is not None and view.map.indicator == "bevolkingsdichtheid"
    assert len(view.map.fills) == 10
    assert view.map.caption == "Bevolkingsdichtheid per wijk, 2024"
    assert "hoe donkerder de wijk, hoe hoger het cijfer" in view.explanation
    assert "hoe meer misdrijven" not in view.explanation  # the map is not about crime
    assert any("Misdrijven per wijk of buurt van Enschede" in s for s in view.sentences)
    assert agenda.default_wijk(engine, "GM0153") == "WK015300"  # density: no verdict


def test_hengelo_keeps_its_crime_map_and_text(engine):
    view = agenda.veiligheidsbeeld(engine, "GM0164")
    assert view.map.indicator == overview.CRIME_MAP
    assert view.explanation == agenda.BEELD_TEXT
    assert [m.label for m in view.metrics][:3] == [
        "Misdrijven per 1.000 inwoners, 2024",
        "Gemiddelde G32, 2024",
        "Wijken en buurten",
    ]


def test_a_gemeente_with_only_a_border_gets_every_view_or_a_reason(db):
    engine, _, _ = db
    # Harenkarspel: a border of 2012; its CBS crime figures 2010-2012 removed on this copy.
    code = "GM0395"
    with engine.begin() as conn:
        conn.execute(delete(observation).where(observation.c.area_code == code))
    assert queries.series(engine, "inwoners", [code]).empty
    assert agenda.footprint_years(engine, code) is None
    view = agenda.veiligheidsbeeld(engine, code)
    assert view.map is None and not view.table("footprint")
    assert view.sentences[:2] == [
        missing.no_headline("Harenkarspel"),
        missing.no_area_figures("Harenkarspel"),
    ]
    assert agenda.view_for(engine, code, "wijk", None, "", "") is None


def test_gemeenten_with_data_and_the_setting(engine, monkeypatch):
    offered = queries.gemeenten_with_data(engine)
    # Harenkarspel (merged in 2013) has CBS crime figures of 2010-2012; "Buitenland" has none.
    assert offered["GM0153"] == "Enschede" and "GM0395" in offered and "GM0998" not in offered
    names = list(offered.values())
    assert names.index("Rucphen") < names.index("'s-Gravenhage") < names.index("Schagen")
    monkeypatch.setenv("GEMEENTEN", " gm0164, GM0153,,GM0164 ")
    assert settings.gemeenten() == ["GM0164", "GM0153"]
    monkeypatch.delenv("GEMEENTEN")
    assert settings.gemeenten() == []


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1, "misdrijven", "1 misdrijf"),
        (1.0, "inwoners", "1 inwoner"),
        (2, "misdrijven", "2 misdrijven"),
        (0, "woningen", "0 woningen"),
        (1.04, "per 1.000 inwoners", "1,0 per 1.000 inwoners"),
        (1.4, "misdrijven", "1 misdrijf"),
    ],
)
def test_one_event_is_singular(value, unit, shown):
    assert wijkbeeld.value_text(value, unit, "") == shown

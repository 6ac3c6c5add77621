"""Similar areas: the method (tables with known nearest neighbours) and the views on the shipped
database for Hengelo and Enschede, a wijk and a buurt, and a gemeente without characteristics."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import delete, insert, select

from dashboard.domain import similar
from dashboard.domain.similar import Characteristic
from dashboard.store.schema import area, observation
from dashboard.views import similar as view

A = Characteristic("a", "kenmerk a")
B = Characteristic("b", "kenmerk b")
C = Characteristic("c", "kenmerk c")
LOG = Characteristic("n", "aantal", log=True)


def codes(matches):
    return [m.code for m in matches]


# (values, characteristics, k, expected nearest codes in order)
NEAREST = [
    (  # on a line: the neighbours by distance, then code order on a tie
        {
            "T": {"a": 5, "b": 5},
            "P": {"a": 6, "b": 5},
            "Q": {"a": 4, "b": 5},
            "R": {"a": 9, "b": 6},
        },
        (A, B),
        3,
        ["P", "Q", "R"],  # P and Q are as far: code order
    ),
    (  # standardised: a characteristic with a large spread does not dominate
        {
            "T": {"a": 0, "b": 0},
            "P": {"a": 1000, "b": 0},  # far in a (sd ~ 1000): one standard deviation
            "Q": {"a": 0, "b": 3},  # far in b (sd ~ 1.3): more than two
            "R": {"a": 2000, "b": 1},
        },
        (A, B),
        1,
        ["P"],
    ),
    (  # a candidate with a missing figure is measured on what it shares (at least half)
        {
            "T": {"a": 1, "b": 1, "c": 1},
            "P": {"a": 1, "b": 1, "c": None},  # equal on the two it has
            "Q": {"a": 1.5, "b": 1.5, "c": 1.5},
            "R": {"a": 3, "b": 3, "c": 3},
        },
        (A, B, C),
        2,
        ["P", "Q"],
    ),
    (  # sharing fewer than half of the target's characteristics: not a candidate
        {
            "T": {"a": 1, "b": 1, "c": 1},
            "P": {"a": 1},
            "Q": {"a": 2, "b": 2, "c": 2},
            "R": {"a": 3, "b": 3, "c": 3},
        },
        (A, B, C),
        5,
        ["Q", "R"],
    ),
    (  # the target without enough characteristics has no similar areas
        {"T": {"a": 1}, "P": {"a": 1, "b": 2}, "Q": {"a": 2, "b": 3}},
        (A, B),
        5,
        [],
    ),
    (  # a characteristic without spread is left out (the rest decides)
        {
            "T": {"a": 1, "b": 7, "c": 0},
            "P": {"a": 2, "b": 7, "c": 5},
            "Q": {"a": 3, "b": 7, "c": 1},
        },
        (A, B, C),
        1,
        ["Q"],
    ),
    (  # k larger than the candidates: all of them
        {"T": {"a": 1, "b": 1}, "P": {"a": 2, "b": 2}},
        (A, B),
        5,
        ["P"],
    ),
]


@pytest.mark.parametrize(("values", "chars", "k", "expected"), NEAREST)
def test_nearest(values, chars, k, expected):
    assert codes(similar.nearest("T", values, chars, k=k)) == expected


def test_a_log_compares_ratios_not_differences():
    """10.000 inhabitants: 25.000 (2,5 times as many) is nearer than 1.000 (a tenth) on a log
    scale, although 1.000 is nearer in plain numbers."""
    values = {"T": {"n": 10_000}, "P": {"n": 1_000}, "Q": {"n": 25_000}}
    assert codes(similar.nearest("T", values, (LOG,), k=1, min_shared=1)) == ["Q"]
    plain = Characteristic("n", "aantal")
    assert codes(similar.nearest("T", values, (plain,), k=1, min_shared=1)) == ["P"]


def test_distance_is_the_root_mean_square_of_the_z_differences():
    values = {"T": {"a": 0, "b": 0}, "P": {"a": 2, "b": 2}}  # z: -1 and +1 on both
    (match,) = similar.nearest("T", values, (A, B))
    assert match.shared == 2
    assert math.isclose(match.distance, 2.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, None], (2.0, 2.0, 3)),
        ([float("nan"), 4], (4.0, 4.0, 1)),
        ([], (None, None, 0)),
        ([None], (None, None, 0)),
    ],
)
def test_summary(values, expected):
    assert similar.summary(values) == expected


@pytest.mark.parametrize(
    ("value", "mean", "expected"),
    [(5, 3, 2.0), (-0.1, 0.05, -0.15000000000000002), (None, 3, None), (5, None, None)],
)
def test_difference(value, mean, expected):
    assert similar.difference(value, mean) == expected


@pytest.mark.parametrize(
    ("level", "used", "names_missing"),
    [
        ("buurt", ["aantal inwoners"], ["leeftijdsgroepen", "huishoudens", "stedelijkheid"]),
        ("wijk", [c.label for c in similar.WIJK], ["aandeel niet-woonadressen"]),
    ],
)
def test_method_text_names_what_is_used_and_missing(level, used, names_missing):
    text = similar.method_text(level, "Hengelo", used, "2024", 62)
    assert "Niet in de database, dus niet gebruikt" in text
    assert ("Voor buurten zijn alleen" in text) == (level == "buurt")
    for word in [*used, *names_missing]:
        assert word in text
    assert "62" in text and "Hengelo" in text


# ---------------------------------------------------------------- on the shipped database
@pytest.mark.parametrize(
    ("gemeente", "code", "level", "scope", "n_used"),
    [
        ("GM0164", "WK016400", "wijk", "gemeente", 9),
        ("GM0164", "WK016400", "wijk", "twente", 9),
        ("GM0164", "BU01640000", "buurt", "gemeente", 2),
        ("GM0153", "WK015300", "wijk", "gemeente", 9),
        ("GM0153", "WK015300", "wijk", "twente", 9),
    ],
)
def test_profile_section_on_the_shipped_data(db, gemeente, code, level, scope, n_used):
    engine, _, _ = db
    out = view.profile_section(engine, gemeente, code, level, scope)
    assert not out["message"]
    areas = out["areas"]
    assert areas["Code"].iloc[0] == code and len(areas) == 1 + similar.K
    assert len(set(areas["Code"])) == len(areas)
    assert len(areas.columns) == 4 + n_used
    if scope == "gemeente":  # within the gemeente: only its own areas
        prefix = {"wijk": "WK", "buurt": "BU"}[level] + gemeente[2:]
        assert all(c.startswith(prefix) for c in areas["Code"])
    figures = out["figures"]
    assert {"Indicator", "Periode", "Bron"} <= set(figures.columns)
    inwoners = figures[figures["Indicator"] == "Aantal inwoners"].iloc[0]
    assert inwoners["Periode"] == "2024"
    assert inwoners["Gebieden met cijfer"] == f"{similar.K} van {similar.K}"
    assert "85984NED" in inwoners["Bron"]
    assert "85984NED" in out["sources"] and "2024" in out["sources"]
    assert "standaardscore" in out["method"]
    if level == "buurt":
        assert "Voor buurten zijn alleen" in out["method"]
        assert "leeftijdsgroepen" in out["method"]


def test_the_binnenstad_of_hengelo_is_most_like_city_centres(db):
    """Known neighbours: Hengelo's Binnenstad is most like the centre of Enschede or of another
    Twente town, and not like a rural wijk."""
    engine, _, _ = db
    found = view.find(engine, "GM0164", "WK016400", "wijk", "twente")
    names = dict(zip(found.candidates["code"], found.candidates["name"], strict=True))
    nearest = [names[m.code] for m in found.matches]
    assert any("Binnen" in n or "Centrum" in n for n in nearest), nearest
    assert not any("Landelijk" in n or "Buitengebied" in n for n in nearest), nearest
    distances = [m.distance for m in found.matches]
    assert distances == sorted(distances)


def test_scopes_offer_twente_only_where_it_has_more_areas(db):
    engine, _, _ = db
    assert set(view.scopes(engine, "GM0164", "wijk")) == {"gemeente", "twente"}
    assert set(view.scopes(engine, "GM0164", "buurt")) == {"gemeente"}  # Hengelo's buurten only


def load_wijken_elsewhere(engine, source: str = "GM0153", target: str = "GM0363") -> None:
    """A deployment that loads wijken outside Twente: the wijken of `source` once more, as if
    they were those of `target` (same characteristics, other codes)."""
    old, new = "WK" + source[2:], "WK" + target[2:]
    with engine.begin() as conn:
        areas = conn.execute(select(area).where(area.c.code.like(old + "%"))).mappings().all()
        rows = (
            conn.execute(select(observation).where(observation.c.area_code.like(old + "%")))
            .mappings()
            .all()
        )
        conn.execute(insert(area), [{**a, "code": new + a["code"][6:]} for a in areas])
        skip = {"id"} & set(rows[0].keys())
        conn.execute(
            insert(observation),
            [
                {
                    **{k: v for k, v in r.items() if k not in skip},
                    "area_code": new + r["area_code"][6:],
                }
                for r in rows
            ],
        )


def test_the_country_is_a_scope_once_the_database_has_wijken_outside_twente(db):
    engine, _, _ = db
    load_wijken_elsewhere(engine)
    options = view.scopes(engine, "GM0164", "wijk")
    assert options == {"gemeente": "Hengelo (O.)", "twente": "Twente", "land": "Nederland"}
    assert view.default_scope(options) == "twente"  # nearby first
    assert view.scopes(engine, "GM0363", "wijk").keys() == {"gemeente", "land"}
    assert view.default_scope(view.scopes(engine, "GM0363", "wijk")) == "land"
    found = view.find(engine, "GM0164", "WK016400", "wijk", "land")
    assert found.scope == "Nederland" and not found.message
    assert found.candidates["code"].str.startswith("WK0363").any()
    # An Enschede wijk's twin outside Twente has the same characteristics: distance 0, first.
    twin = view.find(engine, "GM0153", "WK015300", "wijk", "land").matches[0]
    assert twin.code == "WK036300" and twin.distance == 0


def test_a_gemeente_without_characteristics_gets_a_dutch_message(db):
    engine, _, _ = db
    with engine.begin() as conn:
        conn.execute(delete(observation).where(observation.c.area_code.like("WK0153%")))
    out = view.profile_section(engine, "GM0153", "WK015300", "wijk", "gemeente")
    assert "te weinig CBS-kenmerken" in out["message"]
    assert "Kerncijfers wijken en buurten" in out["message"]
    assert out["areas"].empty and out["figures"].empty


def test_an_area_with_characteristics_but_no_candidates_is_told_so(db):
    engine, _, _ = db
    with engine.begin() as conn:
        conn.execute(
            delete(observation).where(
                observation.c.area_code.like("WK0153%"), observation.c.area_code != "WK015300"
            )
        )
    out = view.profile_section(engine, "GM0153", "WK015300", "wijk", "gemeente")
    assert "geen andere wijken" in out["message"]


@pytest.mark.parametrize(
    ("gemeente", "niveau", "n"),
    [("GM0164", "wijk", 10), ("GM0164", "buurt", 62), ("GM0153", "wijk", 0)],
)
def test_kaart_against_similar_areas(db, gemeente, niveau, n):
    from dashboard.views import maps

    engine, _, _ = db
    base = maps.base_layers(engine, gemeente, niveau)
    out = view.kaart_view(engine, base, gemeente, niveau, "inwoners", "2024")
    shaded = out["shaded"]
    assert len(shaded) == len(base["areas"]) and (n == 0 or len(shaded) == n)
    assert "vergelijkbare" in out["meta"]["name"]
    compared = shaded[shaded["status"] != "geen"]
    assert len(compared) >= len(shaded) - 1, shaded[["area_code", "text"]]
    assert all("het gemiddelde van 5 vergelijkbare" in t for t in compared["text"])
    assert out["deck"] is not None

"""Boundaries that change: the rule per area and period on real merged codes, and on the built
database that no series, footprint development or group line mixes a merged gemeente's old
and new figures."""

from __future__ import annotations

import pytest
import shapely
from shapely import affinity
from sqlalchemy import create_engine, insert, select
from sqlalchemy.pool import NullPool

from dashboard.domain import benchmark, explain, indeling
from dashboard.domain.indeling import CHANGED, OK, OTHER
from dashboard.store import indeling as store
from dashboard.store.schema import area, geometry
from dashboard.store.writes import insert_release
from dashboard.views import agenda

SHIPPED = [2012, 2017, 2018, 2019, 2022, 2023, 2024]
KM2 = 1e6
# Polygon areas (km²) of the shipped gemeente files (data/bronnen/geo/gemeenten_*.geojson).
SIZES = {
    # Groningen: Meerstad from Slochteren (2012-2017), Haren and Ten Boer on 1 January 2019.
    "GM0014": {
        2012: 83.88,
        2017: 101.49,
        2018: 101.47,
        2019: 198.22,
        2022: 198.23,
        2023: 198.29,
        2024: 198.29,
    },
    # Het Hogeland: new code in 2019 (Bedum, De Marne, Eemsmond, Winsum); 2019 and 2022
    # differ by 1.2% (generalisation), within the tolerance.
    "GM1966": {2019: 480.1, 2022: 474.3, 2023: 474.3, 2024: 474.3},
    # Hengelo: unchanged (the files differ by 0.03%).
    "GM0164": {y: 61.86 for y in SHIPPED} | {2017: 61.84, 2019: 61.84},
    # Haren: gone in 2019.
    "GM0017": {2012: 50.9, 2017: 50.9, 2018: 50.9},
    # Leeuwarden: part of Boarnsterhim (2014), Leeuwarderadeel and part of Littenseradiel (2018).
    "GM0080": {
        2012: 83.88,
        2017: 170.39,
        2018: 255.99,
        2019: 255.97,
        2022: 255.51,
        2023: 255.46,
        2024: 255.46,
    },
}


def _sizes(code: str) -> dict[int, float]:
    return {year: km2 * KM2 for year, km2 in SIZES[code].items()}


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2010", 2012),
        ("2012", 2012),
        ("2016", 2012),
        ("2017", 2017),
        ("2021", 2019),
        ("2024", 2024),
    ],
)
def test_indeling_for_period(period, expected):
    assert indeling.indeling_for(period, SHIPPED) == expected


@pytest.mark.parametrize(
    ("code", "period", "reference", "expected"),
    [
        ("GM0014", "2018", None, CHANGED),  # old Groningen, before Haren and Ten Boer
        ("GM0014", "2019", None, OK),
        ("GM0014", "2013", None, CHANGED),  # the 2012 indeling, before Meerstad too
        ("GM0014", "2017", "2018", OK),  # both years before the merger
        ("GM0014", "2018", "2019", CHANGED),
        ("GM0014", "2012", "2017", CHANGED),  # Meerstad: 21% larger
        ("GM1966", "2018", None, OTHER),  # the code did not exist yet
        ("GM1966", "2010", None, OTHER),
        ("GM1966", "2019", None, OK),  # 1.2% apart: within the tolerance
        ("GM0164", "2010", None, OK),
        ("GM0164", "2018", None, OK),
        ("GM0017", "2018", None, OTHER),  # Haren is gone today
        ("GM0017", "2012", "2018", OK),
        ("GM0080", "2017", None, CHANGED),
        ("GM0080", "2018", None, OK),
    ],
)
def test_status_per_period(code, period, reference, expected):
    assert indeling.status(_sizes(code), SHIPPED, period, reference) == expected


@pytest.mark.parametrize(
    ("code", "change", "text"),
    [
        ("GM0014", (2018, 2019), "in 2019"),
        ("GM0080", (2017, 2018), "in 2018"),
        ("GM1966", (2018, 2019), "in 2019"),
        ("GM0164", None, None),
    ],
)
def test_last_change(code, change, text):
    found = indeling.last_change(_sizes(code), SHIPPED)
    assert found == change
    assert (indeling.change_text(found) if found else None) == text


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [(100.0, 101.9, True), (100.0, 102.1, False), (None, 50.0, True), (101.47, 198.22, False)],
)
def test_same_area_tolerance(a, b, same):
    assert indeling.same_area(a, b) is same


def test_no_indeling_shipped_means_ok():
    assert indeling.status({}, [], "2018") == OK  # an aggregate such as G32
    assert indeling.status({2024: None}, [2024], "2012") == OK  # only one indeling: the first


# ---------------------------------------------------------------- the built database
@pytest.fixture(scope="module")
def engine(built_db):
    # No pooled connection stays open between tests: on PostgreSQL the `db` fixture copies the
    # built database as a template, which needs it without sessions.
    eng = create_engine(built_db, poolclass=NullPool)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def bounds(engine):
    return store.boundaries(engine)


@pytest.mark.parametrize(
    ("code", "period", "expected"),
    [
        ("GM0014", "2018", CHANGED),
        ("GM0014", "2019", OK),
        ("GM1966", "2018", OTHER),
        ("GM1966", "2019", OK),
        ("GM1970", "2018", OTHER),  # Noardeast-Fryslân, 2019
        ("GM1980", "2021", OTHER),  # Dijk en Waard, 2022
        ("GM0363", "2022", CHANGED),  # Amsterdam before Weesp (indeling 2023)
        ("GM0164", "2012", OK),
        ("GM0153", "2012", OK),  # Enschede
        ("WK016401", "2018", OK),  # wijken: only 2024 is shipped
    ],
)
def test_shipped_geometries(bounds, code, period, expected):
    assert bounds.status(code, period) == expected


def test_shipped_sizes_and_mergers(bounds):
    groningen = bounds.sizes["GM0014"]
    assert groningen[2019] / groningen[2018] == pytest.approx(1.954, abs=0.01)
    assert bounds.merged[("GM0014", 2019)] == ["Haren", "Ten Boer"]
    assert bounds.merged[("GM0080", 2018)] == ["Leeuwarderadeel", "een deel van Littenseradiel"]
    assert bounds.merged[("GM0363", 2023)] == ["Weesp"]
    assert bounds.change("GM0164") is None
    assert 2018 not in bounds.sizes["GM1966"] and 2019 in bounds.sizes["GM1966"]


def test_boundaries_are_read_once_per_data_version(engine):
    assert store.boundaries(engine) is store.boundaries(engine)


def test_trend_of_a_merged_gemeente_starts_at_the_merger(engine):
    trend = agenda.trend_vs_group(engine, "misdrijven_totaal_per1000", "GM0014", "g40")
    assert trend["own"]["period"].min() == "2019"
    assert any(
        "indeling gewijzigd in 2019 (samengevoegd met Haren en Ten Boer)" in n
        for n in trend["indeling_notes"]
    )


def test_group_line_is_the_group_of_each_year_and_names_the_changes(engine):
    """The group's line is the same mean as the footprint's position in that year (the
    gemeenten as they were); it names the members whose boundary changed in its years."""
    trend = agenda.trend_vs_group(engine, "misdrijven_totaal_per1000", "GM0164", "g32")
    assert trend["own"]["period"].min() == "2010"  # Hengelo: unchanged, all years
    comps, _data = agenda.footprint(engine, "GM0164", "g32", "2017", "2024")
    comp = next(c for c in comps if c.indicator_id == "misdrijven_totaal_per1000")
    row = trend["peers"].set_index("period").loc["2017"]
    assert row["mean"] == pytest.approx(comp.peer["2017"].value)
    assert row["n"] == comp.peer["2017"].n
    note = trend["indeling_notes"][0]
    assert "Groningen in 2019" in note and "Tilburg tussen 2019 en 2022" in note


def test_footprint_development_without_merged_members(engine):
    """Hengelo against the G32, 2017-2024: the group's development counts neither Groningen
    (2019) nor the others whose boundary changed in between; positions and ranks stay."""
    comps, data = agenda.footprint(engine, "GM0164", "g32", "2017", "2024")
    comp = next(c for c in comps if c.indicator_id == "misdrijven_totaal_per1000")
    values = data["values"]
    values = values[values["indicator_id"] == comp.indicator_id]
    same = store.boundaries(engine)
    left_out = {m for m in data["members"] if same.status(m, "2017", "2024") != OK}
    assert {"GM0014", "GM0080", "GM0855"} <= left_out
    assert "GM0164" not in left_out
    for period in ("2017", "2024"):
        sub = values[
            (values["period"] == period)
            & values["area_code"].isin(set(data["members"]) - left_out - {"GM0164"})
        ]
        assert comp.dev_peer[period].value == pytest.approx(sub["value"].mean())
        assert comp.dev_peer[period].n == len(sub) < comp.peer[period].n
    meta = {"id": comp.indicator_id, "name": comp.name, "unit": comp.unit}
    meta |= {"better": comp.better, "kind": "per_1000"}
    plain = benchmark.compare(meta, values, data["members"], "GM0164", "2017", "2024", "g32")
    assert plain.peer == comp.peer and plain.rank == comp.rank
    assert {k: plain.verdicts[k] for k in ("base", "latest")} == {
        k: comp.verdicts[k] for k in ("base", "latest")
    }
    notes = " ".join(data["indeling_notes"])
    assert "Groningen is in 2019 samengevoegd met Haren en Ten Boer" in notes
    assert "Niet meegeteld in de ontwikkeling 2017–2024 van de G32" in notes


def test_footprint_of_a_merged_gemeente_has_no_development(engine):
    comps, data = agenda.footprint(engine, "GM0014", "g40", "2017", "2024")
    comp = next(c for c in comps if c.indicator_id == "misdrijven_totaal_per1000")
    assert comp.verdicts["development"] == benchmark.BOUNDARY
    assert comp.verdicts["latest"] in (benchmark.BETER, benchmark.GELIJK, benchmark.SLECHTER)
    frame = benchmark.footprint_frame([comp], "Groningen", "G40")
    assert frame.iloc[0]["Ontwikkeling 2017–2024"] == "≠ indeling gewijzigd"
    assert "niet te vergelijken: de grens van Groningen" in benchmark.sentence(
        comp, "Groningen", "G40"
    )
    assert data["indeling_notes"][0].startswith("Groningen is in 2019 samengevoegd")


def test_alle_gemeenten_never_counts_old_and_new_codes(engine):
    comps, data = agenda.footprint(engine, "GM0164", "alle", "2017", "2024")
    comp = next(c for c in comps if c.indicator_id == "misdrijven_totaal_per1000")
    same = indeling.unchanged_between(store.boundaries(engine), data["members"], "2017", "2024")
    assert not {"GM0017", "GM0009", "GM0014", "GM1966"} & same  # Haren, Ten Boer, Groningen
    assert comp.dev_peer["2017"].n == comp.dev_peer["2024"].n  # the same gemeenten in both


def test_wijkprofiel_marks_a_wijk_whose_boundary_changed(db):
    """A Hengelo wijk indeling 2018 where Hengelose Es was smaller: its Leefbaarometer series
    keeps 2024 only and says so; an unchanged wijk keeps all nine editions."""
    eng, _path, _url = db
    with eng.begin() as conn:
        rel = insert_release(
            conn,
            source_key="cbs-wijkgrenzen-2024",
            file_name="wijken_2018_test.geojson",
            checksum="0" * 64,
            file_format="geojson",
            row_count=0,
        )
        rows = conn.execute(
            select(area, geometry.c.wkb)
            .join(
                geometry,
                (geometry.c.area_code == area.c.code) & (geometry.c.indeling == area.c.indeling),
            )
            .where(area.c.level == "wijk", area.c.code.like("WK0164%"), area.c.indeling == 2024)
        ).all()
        for r in rows:
            shape = shapely.from_wkb(r.wkb)
            if r.code == "WK016401":
                shape = affinity.scale(shape, 0.8, 0.8)
            conn.execute(
                insert(area).values(
                    code=r.code, indeling=2018, name=r.name, level="wijk", parent_code="GM0164"
                )
            )
            conn.execute(
                insert(geometry).values(
                    area_code=r.code, indeling=2018, wkb=shapely.to_wkb(shape), release_id=rel
                )
            )
    changed = agenda.wijk(eng, "GM0164", "WK016401")
    assert any("indeling gewijzigd tussen 2018 en 2024" in n for n in changed.notes)
    figures = changed.details["cijfers"]
    assert max(len(v) for v in figures["Verloop"]) == 0  # one period left: no sparkline
    assert "alleen 2024" in set(figures[explain.TREND_WORDS])
    same = agenda.wijk(eng, "GM0164", "WK016402")
    assert not any("indeling gewijzigd" in n for n in same.notes)
    assert max(len(v) for v in same.details["cijfers"]["Verloop"]) == 9

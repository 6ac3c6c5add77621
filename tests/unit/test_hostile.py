"""Hostile input: a corpus of bad files (tests/fixtures/hostile/, see its README.md).

Every bad file is refused with a Dutch message that names the problem (with file, row and column
where they apply) and leaves the database byte for byte unchanged. Known bugs are marked
`xfail(strict=True)` with the reason: they must start passing once the importer is fixed.
Large cases (a line of several MB, a GeoJSON over the feature limit) are generated in tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from dashboard.errors import ValidationError
from dashboard.ingest import geo
from dashboard.ingest.importer import import_file
from dashboard.store.schema import make_engine
from tests.conftest import FIXTURES, copy_db, state, table_counts

HOSTILE = FIXTURES / "hostile"
ACCEPTED = "90_geaccepteerd_html_in_naam_nieuwe_indicator.csv"

# File name -> fragments that must all appear in the refusal message.
REFUSED: dict[str, list[str]] = {
    "01_scheidingsteken_pijp.csv": ["rij 1: het scheidingsteken '|' wordt niet ondersteund"],
    "02_scheidingsteken_tab_decimale_komma.csv": [
        "rij 1: het scheidingsteken tab wordt niet ondersteund",
    ],
    "03_codering_cp1252.csv": ["rij 3: het bestand is niet in UTF-8 gecodeerd"],
    "04_codering_utf16_bom.csv": ["in UTF-16 gecodeerd"],
    "05_duizendtallen_in_kommabestand.csv": [
        "rij 2, kolom 'waarde': '1.234,5' is geen geldig getal",
        "duizendtallen",
    ],
    "06_duizendtallen_ongequote_kommabestand.csv": ["rij 3: 5 velden gevonden, verwacht 4"],
    "07_decimale_punt_in_puntkommabestand.csv": [
        "rij 3, kolom 'waarde': '7.4' is geen geldig getal",
        "',' als decimaalteken",
    ],
    "08_duizendtallen_punt_in_puntkommabestand.csv": [
        "rij 2, kolom 'waarde': '1.234' is geen geldig getal",
        "duizendtallen",
    ],
    "09_onbekende_gebiedscodes.csv": [
        "rij 2, kolom 'gebied': onbekende gebiedscode 'GM9999'",
        "rij 3, kolom 'gebied': onbekende gebiedscode 'WK016499'",
        "rij 4, kolom 'gebied': onbekende gebiedscode 'BU01649999'",
    ],
    "10_onbekende_gebiedsnamen.csv": [
        "rij 2, kolom 'gebied': onbekende gebiedsnaam 'Atlantis'",
        "rij 3, kolom 'gebied': onbekende gebiedsnaam 'Hengelo (Gld.)'",
    ],
    "11_dubbele_rijen.csv": ["rij 3, kolom 'indicator': dubbele rij", "staat ook op rij 2"],
    "12_ontbrekende_kolom_periode.csv": ["rij 1: kolom(men) ontbreken: 'periode'"],
    "13_ontbrekende_kolom_waarde.csv": ["rij 1: kolom(men) ontbreken: 'waarde'"],
    "14_onbekende_extra_kolom.csv": ["rij 1: onbekende kolom(men): opmerking"],
    "15_dubbele_kolom.csv": ["rij 1", "'waarde'"],
    "16_leeg.csv": ["het bestand is leeg"],
    "17_alleen_witruimte.csv": ["het bestand is leeg"],
    "18_alleen_kopregel.csv": ["rij 1: het bestand bevat een kopregel maar geen gegevens"],
    "19_binair_willekeurige_bytes.csv": ["dit is geen tekstbestand (binaire inhoud)"],
    "20_binair_zonder_nulbytes.csv": ["rij 1: het bestand is niet in UTF-8 gecodeerd"],
    "21_zip_hernoemd.csv": ["dit is geen tekstbestand (binaire inhoud)"],
    "22_png_hernoemd.csv": ["dit is geen tekstbestand (binaire inhoud)"],
    "23_formule_injectie_gebied.csv": [
        "rij 2, kolom 'gebied': onbekende gebiedsnaam '=cmd|' /C calc'!A0'",
        "rij 3, kolom 'gebied': onbekende gebiedsnaam '=HYPERLINK(",
        "rij 4, kolom 'gebied': onbekende gebiedsnaam '+1+1'",
        "rij 5, kolom 'gebied': onbekende gebiedsnaam '-2+3'",
    ],
    "24_formule_injectie_indicator.csv": [
        "rij 2, kolom 'indicator': onbekende indicator '@SUM(1+1)'",
        "rij 3, kolom 'indicator': onbekende indicator '=cmd|' /C calc'!A0'",
    ],
    "25_html_in_gebiedsnaam.csv": [
        "rij 2, kolom 'gebied': onbekende gebiedsnaam '<script>alert(1)</script>'"
    ],
    "26_sql_in_gebied.csv": [
        "rij 2, kolom 'gebied': onbekende gebiedsnaam ''; DROP TABLE observation; --'"
    ],
    "27_sql_in_indicator.csv": [
        "rij 2, kolom 'indicator': onbekende indicator ''; DROP TABLE observation; --'"
    ],
    "28_periode_geen_periode.csv": [
        "rij 2, kolom 'periode': 'twintig' is geen periode",
        "rij 3, kolom 'periode': '2023-01-01' is geen periode",
        "rij 4, kolom 'periode': '1899' is geen geldig jaar",
        "rij 5, kolom 'periode': 'Q1 2023' is geen periode",
    ],
    "29_periode_maand_13_kwartaal_5.csv": [
        "rij 2, kolom 'periode': '2023MM13'",
        "rij 3, kolom 'periode': '2023KW05'",
        "rij 4, kolom 'periode': '2023KW00'",
        "rij 5, kolom 'periode': '2023HJ03'",
    ],
    "30_waarde_negatief.csv": [
        "rij 2, kolom 'waarde'",
        "rij 3, kolom 'aantal'",
        "rij 3, kolom 'noemer'",
        "negatief",
    ],
    "31_waarde_nan.csv": ["rij 2, kolom 'waarde'"],
    "32_waarde_oneindig.csv": [
        "rij 2, kolom 'waarde': 'inf' is geen eindig getal",
        "rij 3, kolom 'waarde': '-Infinity' is geen eindig getal",
        "rij 4, kolom 'waarde': '1e400' is geen eindig getal",
    ],
    "33_rijbreedte_wisselend.csv": [
        "rij 3: 3 velden gevonden, verwacht 4",
        "rij 4: 5 velden gevonden, verwacht 4",
    ],
    "34_rijbreedte_laatste_rij_kort.csv": ["rij 3: 3 velden gevonden, verwacht 4"],
    "35_rijbreedte_eerste_rij_kort.csv": ["rij 2: 3 velden gevonden, verwacht 4"],
    "36_aanhalingsteken_niet_gesloten.csv": ["rij 3, kolom 'waarde'"],
    "37_aanhalingsteken_niet_gesloten_slot.csv": ["rij 3: 2 velden gevonden, verwacht 4"],
    "38_regeleinden_alleen_cr.csv": ["rij 3, kolom 'gebied': onbekende gebiedscode 'GM9999'"],
    "39_nulbyte_na_4kB.csv": ["rij 3, kolom 'waarde'", "is geen getal"],
    "40_statline_tekst_in_getalkolom.csv": [
        "rij 4, kolom 'Geregistreerde misdrijven (aantal)': 'geheim' is geen getal"
    ],
    "41_statline_nvt_in_getalkolom.csv": [
        "rij 4, kolom 'Geregistreerde misdrijven (aantal)': 'n.v.t.'"
    ],
    "42_odata_onbekende_buurtcode_opgevuld.csv": ["rij 2", "onbekende gebiedscode 'BU01649999'"],
    "43_odata_tekst_in_getalkolom.csv": [
        "rij 3, kolom 'GeregistreerdeMisdrijven_1': 'veel' is geen getal"
    ],
    "44_odata_periode_maand_13.csv": ["rij 2, kolom 'Perioden': '2023MM13'"],
    "45_catalogus_indicatoren_beter_ongeldig.csv": [
        "rij 2, kolom 'beter': 'meer' is geen geldige richting"
    ],
    "46_catalogus_koppeling_onbekende_indicator.csv": [
        "rij 2, kolom 'indicator': indicator 'bestaat_niet' staat niet in de catalogus"
    ],
    "47_catalogus_indicatoren_footprint_superscript.csv": ["rij 2, kolom 'footprint'", "'²'"],
    "48_catalogus_gebieden_indeling_superscript.csv": [
        "rij 2, kolom 'indeling': indeling moet een jaartal zijn"
    ],
    "49_catalogus_afgeleid_factor_nan.csv": ["rij 2, kolom 'factor'"],
    "50_catalogus_afgeleid_factor_oneindig.csv": ["rij 2, kolom 'factor'"],
    "51_catalogus_regeleinden_alleen_cr.csv": [
        "rij 2, kolom 'beter': 'meer' is geen geldige richting"
    ],
    "52_geo_crs_epsg3857.geojson": ["coördinatenstelsel EPSG:3857 wordt niet ondersteund"],
    "53_geo_rd_coordinaten_zonder_crs.geojson": ["RD New (meters) zonder opgegeven"],
    "54_geo_vlinderdas.geojson": [
        "rij 1, kolom 'geometry': ongeldige geometrie",
        "niet zonder vormverlies te herstellen",
    ],
    "55_geo_polygoon_twee_punten.geojson": [
        "rij 1, kolom 'geometry': ongeldige geometrie",
        "niet zonder vormverlies te herstellen",
    ],
    "56_geo_polygoon_drie_coordinaten.geojson": [
        "rij 1, kolom 'geometry': ongeldige geometrie",
        "niet zonder vormverlies te herstellen",
    ],
    "57_geo_lijn_in_plaats_van_polygoon.geojson": [
        "rij 1, kolom 'geometry': geometrie is een LineString; verwacht een (multi)polygoon"
    ],
    "58_geo_geometriecollectie.geojson": [
        "rij 1, kolom 'geometry': geometrie is een GeometryCollection"
    ],
    "59_geo_geen_json.geojson": ["geen leesbaar geografisch bestand"],
    "60_geo_json_maar_geen_geojson.geojson": ["geen leesbaar geografisch bestand"],
    "61_geo_png_hernoemd.geojson": ["geen leesbaar geografisch bestand"],
    "62_geo_diep_geneste_arrays.geojson": ["geen leesbaar geografisch bestand"],
    "63_geo_lege_featurecollection.geojson": ["het bestand bevat geen objecten"],
    "64_geo_geen_codekolom.geojson": ["geen kolom met CBS-gebiedscodes (GM/WK/BU) gevonden"],
    "65_geo_jaar_geen_getal.geojson": ["rij 1, kolom 'jaar'", "'twintig'"],
    "66_geo_zip_met_csv.zip": ["geen geometrie"],
}

# Refusals that do not happen yet (accepted, or another exception than ValidationError).
# Files that once crashed or were accepted; all fixed in the importer (the xfail markers that
# documented them are gone). Kept empty so a new finding has a place to go.
BUGS: dict[str, str] = {}

# Refused, but the message misnames the problem, misses its row or column, or leaks English
# library text and server paths: the wanted fragments are missing or unwanted ones present.
GDAL_TEXT = ["not recognized", "It might help", "Failed to read", "Too many nested", str(HOSTILE)]
MESSAGE_BUGS: dict[str, tuple[list[str], list[str], str]] = {
    "01_scheidingsteken_pijp.csv": (
        ["'|'"],
        ["scheidingsteken ';' herkend"],
        "BUG: a '|' file is reported as \"scheidingsteken ';' herkend\"; the message should "
        "say that '|' is not a supported delimiter",
    ),
    "04_codering_utf16_bom.csv": (
        ["UTF-16", "UTF-8"],
        ["binaire inhoud"],
        "BUG: a UTF-16 file (Excel 'Unicode-tekst') is called binary instead of naming the "
        "encoding",
    ),
    "13_ontbrekende_kolom_waarde.csv": (
        ["'waarde'"],
        [],
        "BUG: a template without 'waarde' is taken for a StatLine file: 'geen kolommen met "
        "cijfers gevonden' does not name the missing column",
    ),
    "35_rijbreedte_eerste_rij_kort.csv": (
        ["rij 2: 3 velden gevonden, verwacht 4"],
        ["gevonden kolommen: inwoners"],
        "BUG: a short first data row makes csvrows.locate_header take row 3 as the header",
    ),
    "36_aanhalingsteken_niet_gesloten.csv": (
        ["is geen getal"],
        ["duizendtallen"],
        "BUG: parse_number blames a thousands separator for any text that contains ',' or '.'",
    ),
    "41_statline_nvt_in_getalkolom.csv": (
        ["'n.v.t.' is geen getal"],
        ["duizendtallen"],
        "BUG: parse_number blames a thousands separator for 'n.v.t.'",
    ),
    "42_odata_onbekende_buurtcode_opgevuld.csv": (
        ["kolom 'WijkenEnBuurten'"],
        [],
        "BUG: records.assemble names the value column, not the area column, for an unknown area",
    ),
    "53_geo_rd_coordinaten_zonder_crs.geojson": (
        ["EPSG:28992"],
        ["Invalid Coordinate"],
        "BUG: RD New coordinates in a GeoJSON without 'crs' are read as WGS84 and reported as "
        "'Invalid Coordinate[inf inf]' instead of naming the missing CRS",
    ),
    "59_geo_geen_json.geojson": (
        ["geen leesbaar geografisch bestand"],
        GDAL_TEXT,
        "BUG: geo.read_geo appends GDAL's English message and the server-side file path",
    ),
    "60_geo_json_maar_geen_geojson.geojson": (
        ["geen leesbaar geografisch bestand"],
        GDAL_TEXT,
        "BUG: geo.read_geo appends GDAL's English message and the server-side file path",
    ),
    "61_geo_png_hernoemd.geojson": (
        ["geen leesbaar geografisch bestand"],
        GDAL_TEXT,
        "BUG: geo.read_geo appends GDAL's English message and the server-side file path",
    ),
    "62_geo_diep_geneste_arrays.geojson": (
        ["geen leesbaar geografisch bestand"],
        GDAL_TEXT,
        "BUG: geo.read_geo appends GDAL's English message",
    ),
}


# Message findings still open: all are fixed (keep the set for the next finding).
OPEN_BUGS: set[str] = set()


def _params(names, reasons):
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=reasons[n]))
        if n in reasons
        else n
        for n in sorted(names)
    ]


def assert_refused(engine, src: Path, expected: list[str]) -> str:
    """Import `src`: ValidationError naming the file and every fragment; nothing changed
    (SQLite: the file's SHA-256, byte for byte; PostgreSQL: every row)."""
    counts = table_counts(engine)
    before = state(engine)
    with pytest.raises(ValidationError) as info:
        import_file(engine, src)
    message = str(info.value)
    assert message.startswith("Import geweigerd:"), message
    assert f"bestand {src.name}" in message, message
    for fragment in expected:
        assert fragment in message, message
    assert message.endswith("Er is niets in de database veranderd."), message
    after = table_counts(engine)
    assert "observation" in after and after == counts
    assert state(engine) == before
    return message


@pytest.mark.parametrize("name", _params(REFUSED, BUGS))
def test_hostile_file_refused_and_database_unchanged(db, name):
    engine, _, _ = db
    assert_refused(engine, HOSTILE / name, REFUSED[name])


@pytest.mark.parametrize(
    "name",
    _params(MESSAGE_BUGS, {n: r for n, (_, _, r) in MESSAGE_BUGS.items() if n in OPEN_BUGS}),
)
def test_refusal_names_the_real_problem(db, name):
    engine, _, _ = db
    wanted, unwanted, _ = MESSAGE_BUGS[name]
    with pytest.raises(ValidationError) as info:
        import_file(engine, HOSTILE / name)
    message = str(info.value)
    for fragment in wanted:
        assert fragment in message, message
    for fragment in unwanted:
        assert fragment not in message, message


def test_corpus_is_complete_and_documented():
    files = {p.name for p in HOSTILE.iterdir() if p.name not in ("README.md", ".gitattributes")}
    assert files == set(REFUSED) | {ACCEPTED}
    assert len(REFUSED) >= 30
    assert set(BUGS) <= set(REFUSED) and set(MESSAGE_BUGS) <= set(REFUSED)
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in readme, name


def test_html_in_new_indicator_name_is_accepted_and_stored_verbatim(db):
    """Names are data: HTML in a new indicator's name is stored as text (pages escape it)."""
    engine, _, _ = db
    src = HOSTILE / ACCEPTED
    row = next(csv.DictReader(io.StringIO(src.read_text(encoding="utf-8"))))
    assert row["naam"] == "<script>alert(1)</script>"
    result = import_file(engine, src)
    assert result.status == "geïmporteerd"
    assert result.rows == 1
    with engine.connect() as conn:
        stored = conn.execute(
            text("select name, unit, definition, better from indicator where id = :id"),
            {"id": row["indicator"]},
        ).one()
        value = conn.execute(
            text(
                "select value from observation where indicator_id = :id and area_code = 'GM0164' "
                "and period = '2024' and current"
            ),
            {"id": row["indicator"]},
        ).scalar_one()
    assert tuple(stored) == (row["naam"], row["eenheid"], row["definitie"], row["beter"])
    assert value == 1.0


# --- generated cases (too big to commit, or built with a library) -------------------------------

TEMPLATE_HEADER = "indicator,gebied,periode,waarde\n"


def test_long_field_refused_with_row_and_column(db, tmp_path):
    engine, _, _ = db
    src = tmp_path / "veld_50k.csv"
    src.write_text(TEMPLATE_HEADER + "inwoners,GM0164,2024," + "9" * 50_000 + "\n")
    assert_refused(
        engine, src, ["rij 2, kolom 'waarde': veld van 50000 tekens; verwacht hooguit 10000"]
    )


def test_huge_line_of_several_mb_refused_with_row(db, tmp_path):
    engine, _, _ = db
    src = tmp_path / "regel_5mb.csv"
    src.write_text(
        TEMPLATE_HEADER + "inwoners,GM0164,2024,83058\ninwoners,GM0153,2024," + "x" * 5_000_000
    )
    assert src.stat().st_size < 5_100_000
    assert_refused(engine, src, ["rij 3", "veld van 5000000 tekens"])


def test_catalogue_file_with_huge_field_refused(db, tmp_path):
    engine, _, _ = db
    src = tmp_path / "indicatoren_groot.csv"
    src.write_text(
        "id,naam,eenheid,beter,definitie\nvijandig_x,Iets,aantal,hoger," + "a" * 200_000 + "\n"
    )
    assert_refused(engine, src, ["rij 2"])


def test_geojson_over_the_feature_limit_refused(db, tmp_path):
    engine, _, _ = db
    feature = '{"type":"Feature","properties":{},"geometry":null}'
    src = tmp_path / "bom_objecten_2024.geojson"
    src.write_text(
        '{"type":"FeatureCollection","features":['
        + ",".join([feature] * (geo.MAX_FEATURES + 1))
        + "]}"
    )
    assert src.stat().st_size < 5 * 2**20
    assert_refused(engine, src, [f"{geo.MAX_FEATURES + 1} objecten; verwacht hooguit"])


def test_geojson_over_the_vertex_limit_refused(db, tmp_path, monkeypatch):
    """The real limit (5 million) needs a file of over 30 MB; the check is the same."""
    engine, _, _ = db
    monkeypatch.setattr(geo, "MAX_VERTICES", 1000)
    ring = [
        [
            6.79 + 0.01 * math.cos(2 * math.pi * i / 2000),
            52.26 + 0.01 * math.sin(2 * math.pi * i / 2000),
        ]
        for i in range(2000)
    ]
    ring.append(ring[0])
    src = tmp_path / "bom_hoekpunten_2024.geojson"
    src.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"statcode": "BU01640000", "statnaam": "Binnenstad"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    assert_refused(engine, src, ["2001 hoekpunten; verwacht hooguit 1000"])


def _shapefile_without_prj(folder: Path) -> Path:
    folder.mkdir()
    gdf = gpd.GeoDataFrame(
        {"statcode": ["BU01640000"], "statnaam": ["Binnenstad-Centrum"], "jaar": [2024]},
        geometry=[shapely.box(257000, 471000, 258000, 472000)],
        crs=geo.RD_NEW,
    )
    shp = folder / "buurten_2024.shp"
    gdf.to_file(shp)
    shp.with_suffix(".prj").unlink()
    return shp


def test_zipped_shapefile_without_prj_refused(db, tmp_path):
    engine, _, _ = db
    shp = _shapefile_without_prj(tmp_path / "shp")
    src = tmp_path / "buurten_2024.zip"
    with zipfile.ZipFile(src, "w") as z:
        for part in sorted(shp.parent.iterdir()):
            z.write(part, part.name)
    assert "buurten_2024.prj" not in zipfile.ZipFile(src).namelist()
    assert_refused(engine, src, ["het bestand heeft geen coördinatenstelsel (CRS)"])


def test_bare_shapefile_without_prj_refused(db, tmp_path):
    engine, _, _ = db
    src = _shapefile_without_prj(tmp_path / "shp")
    assert_refused(engine, src, ["het bestand heeft geen coördinatenstelsel (CRS)"])


# --- property-based: any text or bytes as a .csv -----------------------------------------------

# Column names and values of the supported CSV formats, good and bad. Catalogue headers
# (definitie, teller, tabel, alias, ...) are left out on purpose: catalogue files have known
# crashes (BUGS above) and are covered by the corpus.
TOKENS = [
    *["indicator", "gebied", "periode", "waarde", "marge", "aantal", "noemer", "variant"],
    *["naam", "eenheid", "beter", "hoger", "ID", "Perioden", "Regio's", "RegioS", "Marges"],
    *["WijkenEnBuurten", "Misdrijven_1", "Totaal_2", "Onderwerp", "Bron: CBS", "Waarde"],
    *["Betrouwbaarheidsmarge", "GM0164", "GM0164    ", "BU01640000", "BU01649999", "WK016400"],
    *["Hengelo (O.)", "Hengelo (Gld.)", "Enschede", "inwoners", "2023", "2023JJ00", "2023*"],
    *["2023KW01", "2023MM13", "7,4", "7.4", "1.234", "-1", "", " ", ".", "x", "NaN", "inf"],
    *["1e5", "=1+1", "<b>x</b>", "0.0.0 ", '"', "'"],
]


@st.composite
def csv_like(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    cell = st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))
    rows = draw(st.lists(st.lists(cell, max_size=6), max_size=6))

    def field(value: str) -> str:
        if draw(st.booleans()):
            return '"' + value.replace('"', '""') + '"'
        return value

    body = newline.join(delimiter.join(field(c) for c in row) for row in rows)
    return (draw(st.sampled_from(["", "\ufeff"])) + body).encode("utf-8")


@pytest.fixture
def fresh_db(db):
    """The `db` copy and its fingerprint; replaced by a new copy after a successful import."""
    engine, _, _ = db
    holder = {"engine": engine, "state": state(engine)}
    yield holder
    holder["engine"].dispose()


def _import_property(fresh: dict, built_db: str, tmp_path: Path, name: str, data: bytes) -> None:
    """import_file returns or raises ValidationError; after a refusal nothing has changed."""
    src = tmp_path / name
    src.write_bytes(data)
    engine = fresh["engine"]
    try:
        import_file(engine, src)
    except ValidationError as exc:
        assert str(exc).startswith("Import geweigerd:")
        assert state(engine) == fresh["state"]
        event("geweigerd")
    else:
        event("geïmporteerd")
        engine.dispose()  # a valid file was imported: the next example gets a new copy
        fresh["engine"] = make_engine(copy_db(built_db, tmp_path))


PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_or_text_is_imported_or_refused_cleanly(fresh_db, built_db, tmp_path, data):
    _import_property(fresh_db, built_db, tmp_path, "willekeurig.csv", data)


@PROPERTY_SETTINGS
@given(data=csv_like())
@example(data=b"indicator,gebied,periode,waarde\ninwoners,GM0164,2025,5\n")  # imported
@example(data=b"indicator,gebied,periode,waarde\ninwoners,GM0164,2025,5,\n")  # then refused
def test_csv_like_text_is_imported_or_refused_cleanly(fresh_db, built_db, tmp_path, data):
    _import_property(fresh_db, built_db, tmp_path, "csvachtig.csv", data)

"""Geometries with CRS discipline; the long-format template with margins; catalogue files."""

import json

import pytest
from sqlalchemy import text

from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_file
from tests.conftest import state


def feature(code, name, ring, **props):
    return {
        "type": "Feature",
        "properties": {"statcode": code, "statnaam": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE_RD = [
    [250000, 475000],
    [250500, 475000],
    [250500, 475500],
    [250000, 475500],
    [250000, 475000],
]
BOWTIE = [[250000, 475000], [250500, 475500], [250500, 475000], [250000, 475500], [250000, 475000]]
RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def geojson(tmp_path, name, features, crs=RD_CRS):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = crs
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_new_buurt_geometry_with_html_name_is_stored_as_text(db, tmp_path):
    engine, _, _ = db
    path = geojson(
        tmp_path,
        "buurt_2024.geojson",
        [feature("BU01640099", "<img src=x onerror=alert(1)>", SQUARE_RD, jaar=2024)],
    )
    result = import_file(engine, path)
    assert result.rows == 1
    with engine.connect() as conn:
        row = conn.execute(
            text("select name, parent_code, level from area where code='BU01640099'")
        ).one()
    assert row == ("<img src=x onerror=alert(1)>", "WK016400", "buurt")


def test_wgs84_is_converted_to_rd_new(db, tmp_path):
    engine, _, _ = db
    ring = [[6.79, 52.26], [6.80, 52.26], [6.80, 52.27], [6.79, 52.27], [6.79, 52.26]]
    path = geojson(
        tmp_path, "wgs_2024.geojson", [feature("BU01640098", "Proef", ring)], crs=None
    )  # GeoJSON without crs member is WGS84 by the RFC
    import_file(engine, path)
    with engine.connect() as conn:
        crs = conn.execute(text("select crs from geometry where area_code='BU01640098'")).scalar()
    assert crs == "EPSG:28992"


@pytest.mark.parametrize(
    ("features", "fragment"),
    [
        ([feature("BU01640097", "Strik", BOWTIE)], "ongeldige geometrie"),
        ([feature("BU09990001", "Elders", SQUARE_RD)], "importeer eerst de wijkgrenzen"),
        ([feature("BU01640096", "", SQUARE_RD)], "naam ontbreekt"),
        (
            [feature("BU01640095", "A", SQUARE_RD), feature("BU01640095", "B", SQUARE_RD)],
            "komt dubbel voor",
        ),
        ([feature("XX", "Geen code", SQUARE_RD)], "geen kolom met CBS-gebiedscodes"),
    ],
)
def test_bad_geometry_refused(db, tmp_path, features, fragment):
    engine, _, _ = db
    before = state(engine)
    path = geojson(tmp_path, "fout_2024.geojson", features)
    with pytest.raises(ValidationError, match=fragment):
        import_file(engine, path)
    assert state(engine) == before


def test_shapefile_without_crs_refused(db, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Polygon

    engine, _, _ = db
    gdf = gpd.GeoDataFrame(
        {"statcode": ["BU01640094"], "statnaam": ["Zonder CRS"]},
        geometry=[Polygon(SQUARE_RD)],
        crs=None,
    )
    path = tmp_path / "zonder_crs_2024.shp"
    gdf.to_file(path)
    with pytest.raises(ValidationError, match="geen coördinatenstelsel"):
        import_file(engine, path)


def test_template_with_margins_and_new_indicator(db, tmp_path):
    """Clearly synthetic numbers: a gemeente's own survey result with a margin."""
    engine, _, _ = db
    path = tmp_path / "eigen_enquete.csv"
    path.write_text(
        "indicator;gebied;periode;waarde;marge;naam;eenheid;beter;definitie\n"
        "proef_onveilig;Hengelo (O.);2023;7,4;1,2;Voelt zich onveilig (proef);%;lager;Synthetisch\n"
        "proef_onveilig;WK016400;2023;12,5;3,0;Voelt zich onveilig (proef);%;lager;Synthetisch\n",
        encoding="utf-8",
    )
    result = import_file(engine, path)
    assert result.rows == 2
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "select value, lower, upper from observation where "
                "indicator_id='proef_onveilig' and area_code='GM0164'"
            )
        ).one()
        better = conn.execute(text("select better from indicator where id='proef_onveilig'"))
        assert better.scalar() == "lager"
    assert row[0] == pytest.approx(7.4) and row[1] == pytest.approx(6.2)
    assert row[2] == pytest.approx(8.6)


def test_indicator_catalogue_upload_validates(db, tmp_path):
    engine, _, _ = db
    path = tmp_path / "indicatoren.csv"
    path.write_text("id,naam,eenheid,beter,definitie\nx,X,%,soms,\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="rij 2, kolom 'beter'"):
        import_file(engine, path)

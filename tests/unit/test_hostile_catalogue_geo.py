"""Hostile catalogue and area files (issue 12, items 5 and 6).

Catalogue files may add, not silently rewrite: a duplicate key within one file is refused, and
so is a row that would rename an existing area, change its level or change an existing
indicator's unit, unless the import is called with `allow_changes` (CLI `--wijzigen`); then the
change is applied and listed in the notices. Geometry files get cheap refusals before GDAL reads
every feature: a zip bomb, too many features, RD New coordinates that are degrees or lie outside
the Netherlands. Every refusal is in Dutch, names the file (and row and column where they
apply), and leaves the database byte for byte unchanged.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.__main__ import main
from dashboard.errors import ValidationError
from dashboard.ingest import geo
from dashboard.ingest.importer import import_file
from tests.conftest import buurt_geojson, state, table_counts

GEBIEDEN = "gebiedscode,naam,niveau,indeling\n"
INDICATOREN = "id,naam,eenheid,beter,definitie\n"
RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def cell(row: int, column: str) -> str:
    return f"rij {row}, kolom '{column}': "


def assert_refused(engine, src: Path, expected: list[str], **kwargs) -> str:
    """Import `src`: ValidationError naming the file and every fragment; nothing changed."""
    counts = table_counts(engine)
    before = state(engine)
    with pytest.raises(ValidationError) as info:
        import_file(engine, src, **kwargs)
    message = str(info.value)
    assert message.startswith("Import geweigerd:"), message
    assert f"bestand {src.name}" in message, message
    for fragment in expected:
        assert fragment in message, message
    assert message.endswith("Er is niets in de database veranderd."), message
    assert table_counts(engine) == counts
    assert state(engine) == before
    return message


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def area_row(engine, code: str, indeling: int = 2024):
    with engine.connect() as conn:
        return conn.execute(
            text("select name, level from area where code = :c and indeling = :i"),
            {"c": code, "i": indeling},
        ).first()


# --- item 5: catalogue files add, they do not silently rewrite --------------------------------

CHANGES = {
    "gemeente_hernoemd": (
        "gebieden_hernoemd.csv",
        GEBIEDEN + "GM0164,Hengelo Stad,gemeente,2024\n",
        [
            cell(2, "naam") + "gebied GM0164 bestaat al met naam 'Hengelo (O.)'",
            "wijzigen in 'Hengelo Stad'",
            "--wijzigen",
        ],
    ),
    "wijk_wordt_buurt": (
        "gebieden_niveau.csv",
        GEBIEDEN + "WK016400,Wijk 00 Binnenstad,buurt,2024\n",
        [
            cell(2, "niveau") + "gebied WK016400 bestaat al met niveau 'wijk'",
            "wijzigen in 'buurt'",
        ],
    ),
    "eenheid_gewijzigd": (
        "indicatoren_eenheid.csv",
        INDICATOREN + "inwoners,Aantal inwoners,personen,neutraal,Aantal op 1 januari\n",
        [
            cell(2, "eenheid") + "indicator inwoners bestaat al met eenheid 'inwoners'",
            "wijzigen in 'personen'",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_change_of_existing_entry_refused_without_flag(db, tmp_path, case):
    engine, _, _ = db
    name, content, expected = CHANGES[case]
    assert_refused(engine, write(tmp_path, name, content), expected)


DUPLICATES = {
    "indicator_id": (
        "indicatoren_dubbel.csv",
        INDICATOREN + "proef_x,Proef,%,hoger,Eerste\nproef_x,Proef,aantal,hoger,Tweede\n",
        cell(3, "id") + "id 'proef_x' staat ook op rij 2",
    ),
    "gebied": (
        "gebieden_dubbel.csv",
        GEBIEDEN + "G99,Proefgroep,aggregaat,2024\nG99,Andere naam,aggregaat,2024\n",
        cell(3, "gebiedscode") + "gebied 'G99' (indeling 2024) staat ook op rij 2",
    ),
    "alias": (
        "gebiedsnamen_dubbel.csv",
        "alias,gebiedscode\nProefstad,GM0164\nProefstad,GM0153\n",
        cell(3, "alias") + "alias 'Proefstad' staat ook op rij 2",
    ),
    "koppeling": (
        "koppelingen_dubbel.csv",
        "tabel,dimensie,meetwaarde,indicator,rol\nT1,D,M,inwoners,waarde\nT1,D,M,inwoners,aantal\n",
        cell(3, "meetwaarde") + "koppeling tabel 'T1', dimensie 'D', meetwaarde 'M', indicator "
        "'inwoners' staat ook op rij 2",
    ),
    "groepslid": (
        "vergelijkingsgroepen_dubbel.csv",
        "groep,groepnaam,gemeentecode\nproef,Proef,GM0164\nproef,Proef,GM0164\n",
        cell(3, "gemeentecode") + "gemeente 'GM0164' in groep 'proef' staat ook op rij 2",
    ),
}


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_duplicate_key_in_one_catalogue_file_refused(db, tmp_path, case):
    engine, _, _ = db
    name, content, expected = DUPLICATES[case]
    assert_refused(engine, write(tmp_path, name, content), [expected])


def test_duplicate_is_refused_even_with_the_flag(db, tmp_path):
    engine, _, _ = db
    name, content, expected = DUPLICATES["indicator_id"]
    assert_refused(engine, write(tmp_path, name, content), [expected], allow_changes=True)


def test_flag_applies_rename_and_lists_it(db, tmp_path):
    engine, _, _ = db
    name, content, _ = CHANGES["gemeente_hernoemd"]
    result = import_file(engine, write(tmp_path, name, content), allow_changes=True)
    assert result.notices == ["gebied GM0164: naam 'Hengelo (O.)' → 'Hengelo Stad'"]
    assert "gebied GM0164: naam 'Hengelo (O.)' → 'Hengelo Stad'" in result.summary()
    assert area_row(engine, "GM0164") == ("Hengelo Stad", "gemeente")


def test_cli_flag_wijzigen_applies_unit_change(db, tmp_path, monkeypatch, capsys):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    name, content, _ = CHANGES["eenheid_gewijzigd"]
    path = write(tmp_path, name, content)
    assert main(["import", str(path)]) == 2
    assert "bestaat al met eenheid 'inwoners'" in capsys.readouterr().err
    assert main(["import", str(path), "--wijzigen"]) == 0
    assert "indicator inwoners: eenheid 'inwoners' → 'personen'" in capsys.readouterr().out
    with engine.connect() as conn:
        unit = conn.execute(text("select unit from indicator where id='inwoners'")).scalar()
    assert unit == "personen"


def test_valid_twin_adds_a_new_area_without_notices(db, tmp_path):
    engine, _, _ = db
    path = write(
        tmp_path,
        "gebieden_nieuw.csv",
        # the existing rows unchanged, plus one new area: allowed without the flag
        GEBIEDEN + "GM0164,Hengelo (O.),gemeente,2024\nG99,Proefgroep,aggregaat,2024\n",
    )
    result = import_file(engine, path)
    assert result.status == "geïmporteerd"
    assert result.notices == []
    assert area_row(engine, "G99") == ("Proefgroep", "aggregaat")
    assert area_row(engine, "GM0164") == ("Hengelo (O.)", "gemeente")


# --- item 6: cheap refusals for geometry files ---------------------------------------------


def zip_of_zeros(path: Path, size: int) -> Path:
    """A zip with one member of `size` zero bytes (a few kB packed), written in chunks."""
    chunk = bytes(2**20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("grenzen.shp", "w") as f:
        for _ in range(size // len(chunk)):
            f.write(chunk)
    return path


def no_full_read(monkeypatch):
    """Fail the test if geopandas reads the whole file: the refusal must come first."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("gpd.read_file called before the cheap checks refused")

    monkeypatch.setattr(geo.gpd, "read_file", refuse)


def test_zip_bomb_over_the_unpacked_limit_refused(db, tmp_path, monkeypatch):
    engine, _, _ = db
    no_full_read(monkeypatch)
    src = zip_of_zeros(tmp_path / "bom_buurten_2024.zip", geo.MAX_UNZIPPED_BYTES + 2**20)
    assert src.stat().st_size < 2**20
    assert_refused(engine, src, ["het zipbestand pakt uit tot 201 MB; verwacht hooguit 200 MB"])


def test_zip_with_extreme_compression_ratio_refused(db, tmp_path, monkeypatch):
    engine, _, _ = db
    no_full_read(monkeypatch)
    src = zip_of_zeros(tmp_path / "bom_verhouding_2024.zip", 8 * 2**20)
    assert_refused(engine, src, ["keer gecomprimeerd; verwacht hooguit 100 keer", "zipbom"])


def test_too_many_features_refused_before_reading(db, tmp_path, monkeypatch):
    engine, _, _ = db
    monkeypatch.setattr(geo, "MAX_FEATURES", 3)
    no_full_read(monkeypatch)
    ring = [[251000, 476000], [251300, 476000], [251300, 476300], [251000, 476000]]
    features = [
        {
            "type": "Feature",
            "properties": {"statcode": f"BU0164009{i}", "statnaam": f"Proef {i}", "jaar": 2024},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for i in range(4)
    ]
    src = tmp_path / "veel_buurten_2024.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "crs": RD_CRS, "features": features}))
    assert_refused(engine, src, ["4 objecten; verwacht hooguit 3"])


def rd_labelled(path: Path, ring: list[list[float]]) -> Path:
    buurt_geojson(path, "BU01640093", "Proef")
    doc = json.loads(path.read_text())
    doc["features"][0]["geometry"]["coordinates"] = [ring]
    path.write_text(json.dumps(doc))
    return path


def test_degrees_labelled_rd_new_refused(db, tmp_path, monkeypatch):
    engine, _, _ = db
    no_full_read(monkeypatch)
    ring = [[6.79, 52.26], [6.80, 52.26], [6.80, 52.27], [6.79, 52.27], [6.79, 52.26]]
    src = rd_labelled(tmp_path / "graden_als_rd_2024.geojson", ring)
    assert_refused(
        engine,
        src,
        ["coördinatenstelsel RD New (EPSG:28992)", "zijn lengte- en breedtegraden"],
    )


def test_rd_new_outside_the_netherlands_refused(db, tmp_path, monkeypatch):
    engine, _, _ = db
    no_full_read(monkeypatch)
    ring = [[900000, 476000], [900300, 476000], [900300, 476300], [900000, 476000]]
    src = rd_labelled(tmp_path / "rd_buiten_nl_2024.geojson", ring)
    assert_refused(
        engine,
        src,
        ["coördinatenstelsel RD New (EPSG:28992)", "x 900000 tot 900300", "buiten Nederland"],
    )


def test_valid_rd_new_twin_passes_the_cheap_checks(db, tmp_path):
    engine, _, _ = db
    src = buurt_geojson(tmp_path / "nieuwe_buurt_2024.geojson", "BU01640093", "Proefbuurt")
    result = import_file(engine, src)
    assert result.rows == 1
    assert area_row(engine, "BU01640093") == ("Proefbuurt", "buurt")

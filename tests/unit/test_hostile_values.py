"""Hostile single values (issue 12): one strict parser per kind of value, used by every reader.

Each case is a whole file, generated here, imported through `import_file` into a copy of the
built database: refused with a Dutch message that names file, row and column, and the database
unchanged (SQLite: the file's bytes; PostgreSQL: every row). Valid twins show that a message is
true: the same file with the value written correctly imports.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.domain.parsing import MAX_TEXT_CHARS
from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_file
from tests.conftest import state, table_counts

FULLWIDTH_GM0164 = "GM\uff10\uff11\uff16\uff14"  # 'GM０１６４'
ARABIC_2024 = "\u0662\u0660\u0662\u0664"  # '٢٠٢٤'
SUPERSCRIPT_2 = "\u00b2"  # '²'
MEGABYTE_NAME = "x" * 1_000_000

TEMPLATE = "indicator,gebied,periode,waarde\n"
GEBIEDEN = "gebiedscode,naam,niveau,indeling\n"
INDICATOREN = "id,naam,eenheid,beter,definitie,footprint\n"
PLAN = "plan_id,soort,code,ouder,volgorde,titel,tekst,bron_pagina,gemeente\n"


def template(periode: str = "2024", waarde: str = "83058", gebied: str = "GM0164") -> str:
    return f"{TEMPLATE}inwoners,{gebied},{periode},{waarde}\n"


def gebieden(code: str = "XT01", indeling: str = "2024") -> str:
    return f"{GEBIEDEN}{code},Hengelo (O.),aggregaat,{indeling}\n"


def indicatoren(footprint: str) -> str:
    return f"{INDICATOREN}vijandig_fp,Iets,aantal,hoger,Een test.,{footprint}\n"


def plan(volgorde: str) -> str:
    rows = [
        "p-h,plan,IVB,,1,Plan,Plan 2030-2034.,,GM0164",
        "p-h,thema,T1,IVB,1,Thema,Thema.,",
        "p-h,ambitie,T1.A,T1,1,Ambitie,Ambitie.,",
        "p-h,doel,T1.D1,T1,1,Doel,Doel.,",
        f"p-h,actie,T1.D1.X1,T1.D1,{volgorde},Actie,Actie.,",
    ]
    return PLAN + "\n".join(rows) + "\n"


RING = [[251000, 476000], [251300, 476000], [251300, 476300], [251000, 476300], [251000, 476000]]


def geojson(*features: tuple[str, object], jaar: object = 2024) -> str:
    """Buurten (code, name) as squares in Hengelo, in RD New; `name` may be None (null)."""
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"statcode": code, "statnaam": name, "jaar": jaar},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x + 400 * i, y] for x, y in RING]],
                },
            }
            for i, (code, name) in enumerate(features)
        ],
    }
    return json.dumps(doc, ensure_ascii=False)


def cell(row: int, column: str) -> str:
    return f"rij {row}, kolom '{column}': "


# File name -> (content, fragments that must all appear in the refusal).
REFUSED: dict[str, tuple[str, list[str]]] = {
    "gebieden_code_volbreedte_cijfers.csv": (
        gebieden(code=FULLWIDTH_GM0164),
        [cell(2, "gebiedscode") + f"'{FULLWIDTH_GM0164}' is geen gebiedscode", "cijfers 0-9"],
    ),
    "gemeente_code_volbreedte_2024.geojson": (
        geojson((FULLWIDTH_GM0164, "Hengelo (O.)")),
        [cell(1, "statcode") + "geen kolom met CBS-gebiedscodes", "geen CBS-gebiedscode"],
    ),
    "sjabloon_gebied_volbreedte_cijfers.csv": (
        template(gebied=FULLWIDTH_GM0164),
        [cell(2, "gebied") + f"onbekende gebiedsnaam '{FULLWIDTH_GM0164}'"],
    ),
    "sjabloon_periode_arabisch_indisch.csv": (
        template(periode=ARABIC_2024),
        [cell(2, "periode") + f"'{ARABIC_2024}' is geen periode"],
    ),
    "beleidsplan_volgorde_superscript.csv": (
        plan(SUPERSCRIPT_2),
        [
            cell(6, "volgorde") + "volgorde moet een geheel getal vanaf 1 zijn",
            f"'{SUPERSCRIPT_2}' is geen geheel getal",
        ],
    ),
    "indicatoren_footprint_superscript.csv": (
        indicatoren(SUPERSCRIPT_2),
        [cell(2, "footprint") + f"'{SUPERSCRIPT_2}' is geen geheel getal"],
    ),
    "sjabloon_periode_2099.csv": (
        template(periode="2099"),
        [cell(2, "periode") + "'2099' is geen geldig jaar: verwacht 1900 t/m"],
    ),
    "sjabloon_periode_2099_voorlopig.csv": (
        template(periode="2099*"),
        [cell(2, "periode") + "'2099*' is geen geldig jaar"],
    ),
    "sjabloon_periode_1850.csv": (
        template(periode="1850"),
        [cell(2, "periode") + "'1850' is geen geldig jaar"],
    ),
    "buurt_jaar_1850.geojson": (
        geojson(("BU01640098", "Testbuurt"), jaar=1850),
        [cell(1, "jaar") + "'1850' is geen geldig jaartal: verwacht 1900 t/m"],
    ),
    "gebieden_indeling_1850.csv": (
        gebieden(indeling="1850"),
        [cell(2, "indeling") + "indeling moet een jaartal zijn: '1850' is geen geldig jaartal"],
    ),
    "sjabloon_waarde_liggend_streepje.csv": (
        template(waarde="1_5"),
        [cell(2, "waarde") + "'1_5' is geen geldig getal: een liggend streepje (_)"],
    ),
    "sjabloon_waarde_spaties.csv": (
        template(waarde="3 010 000"),
        [cell(2, "waarde") + "'3 010 000' is geen geldig getal: spaties tussen de cijfers"],
    ),
    "sjabloon_waarde_1e27.csv": (
        template(waarde="1e27"),
        [cell(2, "waarde") + "'1e27' is geen geldig getal: verwacht een waarde kleiner dan 10^15"],
    ),
    "indicatoren_footprint_oneindig.csv": (
        indicatoren("Infinity"),
        [cell(2, "footprint") + "'Infinity' is geen geheel getal"],
    ),
    "indicatoren_footprint_3000000000.csv": (
        indicatoren("3000000000"),
        [cell(2, "footprint") + "'3000000000' is geen geldig geheel getal: verwacht 0 t/m"],
    ),
    "gebieden_indeling_oneindig.csv": (
        gebieden(indeling="Infinity"),
        [cell(2, "indeling") + "indeling moet een jaartal zijn: 'Infinity' is geen jaartal"],
    ),
    "beleidsplan_volgorde_3000000000.csv": (
        plan("3000000000"),
        [
            cell(6, "volgorde") + "volgorde moet een geheel getal vanaf 1 zijn",
            "'3000000000' is geen geldig geheel getal: verwacht 1 t/m 2147483647",
        ],
    ),
    "buurten_naam_null_2024.geojson": (
        geojson(("BU01640098", "Testbuurt"), ("BU01640099", None)),
        [cell(2, "statnaam") + "naam ontbreekt"],
    ),
    "buurten_naam_nan_2024.geojson": (
        geojson(("BU01640098", "Testbuurt"), ("BU01640099", "placeholder")).replace(
            '"placeholder"', "NaN"
        ),
        [cell(2, "statnaam") + "naam ontbreekt"],
    ),
    "buurt_naam_leeg_2024.geojson": (
        geojson(("BU01640098", "  ")),
        [cell(1, "statnaam") + "naam ontbreekt"],
    ),
    "buurt_naam_1mb_2024.geojson": (
        geojson(("BU01640098", MEGABYTE_NAME)),
        [cell(1, "statnaam") + f"veld van 1000000 tekens; verwacht hooguit {MAX_TEXT_CHARS}"],
    ),
}


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning")  # the JSON NaN
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_value_refused_and_database_unchanged(db, tmp_path, name):
    engine, _, _ = db
    content, expected = REFUSED[name]
    src = write(tmp_path, name, content)
    counts, before = table_counts(engine), state(engine)
    with pytest.raises(ValidationError) as info:
        import_file(engine, src)
    message = str(info.value)
    assert message.startswith("Import geweigerd:"), message
    first, *rest = expected  # the first fragment starts with row and column (`cell`)
    assert f"bestand {name}, {first}" in message, message
    for fragment in rest:
        assert fragment in message, message
    assert message.endswith("Er is niets in de database veranderd."), message
    assert table_counts(engine) == counts
    assert state(engine) == before


def test_corpus_covers_the_issue():
    assert len(REFUSED) >= 12


# --- valid twins: the same file with the value written correctly imports ---------------------


def value_of(engine, indicator: str, area: str, period: str):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "select value from observation where indicator_id = :i and area_code = :a "
                "and period = :p and current"
            ),
            {"i": indicator, "a": area, "p": period},
        ).scalar_one()


def test_twin_number_without_spaces_imports(db, tmp_path):
    engine, _, _ = db
    result = import_file(
        engine, write(tmp_path, "sjabloon_waarde_zonder_spaties.csv", template(waarde="3010000"))
    )
    assert result.status == "geïmporteerd"
    assert value_of(engine, "inwoners", "GM0164", "2024") == 3010000.0


def test_twin_next_year_imports(db, tmp_path):
    """The bound is next year: a period of next year is accepted, 2099 is not."""
    engine, _, _ = db
    year = str(date.today().year + 1)
    result = import_file(engine, write(tmp_path, "sjabloon_volgend_jaar.csv", template(year, "5")))
    assert result.status == "geïmporteerd"
    assert value_of(engine, "inwoners", "GM0164", year) == 5.0


def test_twin_geojson_with_a_short_name_imports(db, tmp_path):
    engine, _, _ = db
    src = write(
        tmp_path,
        "buurt_naam_kort_2024.geojson",
        geojson(("BU01640098", "Testbuurt " + "x" * (MAX_TEXT_CHARS - 20))),
    )
    result = import_file(engine, src)
    assert result.status == "geïmporteerd"
    with engine.connect() as conn:
        name = conn.execute(
            text("select name from area where code = 'BU01640098' and indeling = 2024")
        ).scalar_one()
    assert name.startswith("Testbuurt x") and len(name) == MAX_TEXT_CHARS - 10


def test_twin_plan_with_ascii_volgorde_imports(db, tmp_path):
    engine, _, _ = db
    result = import_file(engine, write(tmp_path, "beleidsplan_volgorde_ascii.csv", plan("2")))
    assert (result.status, result.file_format) == ("geïmporteerd", "beleidsplan")
    with engine.connect() as conn:
        position = conn.execute(
            text("select position from policy_element where plan_id = 'p-h' and code = 'T1.D1.X1'")
        ).scalar_one()
    assert position == 2


def test_twin_catalogue_whole_numbers_import(db, tmp_path):
    engine, _, _ = db
    result = import_file(
        engine, write(tmp_path, "indicatoren_footprint_ascii.csv", indicatoren("12"))
    )
    assert result.status == "geïmporteerd"
    result = import_file(engine, write(tmp_path, "gebieden_ascii.csv", gebieden()))
    assert result.status == "geïmporteerd"
    with engine.connect() as conn:
        footprint = conn.execute(
            text("select footprint from indicator where id = 'vijandig_fp'")
        ).scalar_one()
        indeling = conn.execute(text("select indeling from area where code = 'XT01'")).scalar_one()
    assert (footprint, indeling) == (12, 2024)

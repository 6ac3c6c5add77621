"""The importer: real formats read without edits; bad input refused with file, row and column,
all problems at once, and nothing changed in the database."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_file
from tests.conftest import FIXTURES, ROOT, state, table_counts

REAL = sorted((FIXTURES / "real").glob("*.csv"))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
@pytest.mark.parametrize("bom", [False, True], ids=["zonder-bom", "met-bom"])
def test_real_downloads_import_without_edits(db, tmp_path, path, bom):
    engine, _, _ = db
    data = path.read_bytes()
    src = write(tmp_path, path.name, (b"\xef\xbb\xbf" if bom else b"") + data)
    result = import_file(engine, src)
    assert result.rows > 0
    assert result.status == "geïmporteerd"


def test_odata_and_statline_agree(db):
    """The same table in two download formats maps to the same indicator and value."""
    engine, _, _ = db
    import_file(engine, FIXTURES / "real" / "odata_83648NED_untyped_excerpt.csv")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select o.value, o.count, o.current, r.file_name from observation o join release r "
                "on r.id = o.release_id where indicator_id='misdrijven_totaal_per1000' and "
                "area_code='GM0164' and period='2015' order by r.id"
            )
        ).all()
    # The StatLine download, the 2010-2024 series of the same table, then the OData excerpt.
    assert [(r.value, r.count, r.current) for r in rows] == [
        (59.5, 4825, 0),
        (59.5, 4825, 0),
        (59.5, 4825, 1),
    ]


def test_statline_table_export_resolves_names(db):
    engine, _, _ = db
    import_file(engine, FIXTURES / "real" / "statline_37230ned_bevolking_gemeenten_excerpt.csv")
    with engine.connect() as conn:
        areas = {
            r[0]
            for r in conn.execute(
                text(
                    "select distinct area_code from observation o join indicator i on i.id = "
                    "o.indicator_id where i.source_key = 'cbs-37230NED'"
                )
            )
        }
    assert {"GM0164", "GM0153", "NL01"} <= areas  # Hengelo (O.), Enschede, Nederland
    # 'Hengelo (Gld.)' (dissolved 2005) must never be read as Hengelo (O.)
    with engine.connect() as conn:
        n2003 = conn.execute(
            text(
                "select count(*) from observation where area_code='GM0164' and period='2003' "
                "and indicator_id like '37230ned%'"
            )
        ).scalar()
    assert n2003 == 1


def test_reimport_same_release_is_idempotent(db):
    engine, _, _ = db
    path = FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv"
    import_file(engine, path)
    before = table_counts(engine)
    again = import_file(engine, path)
    assert again.status.startswith("al aanwezig")
    assert table_counts(engine) == before


def test_dry_run_changes_nothing(db):
    engine, _, _ = db
    before = state(engine)
    result = import_file(
        engine, FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv", dry_run=True
    )
    assert result.status.startswith("proef")
    assert state(engine) == before


BAD_FILES = {
    "leeg.csv": ("", ["het bestand is leeg"]),
    "binair.csv": (b"\x00\x01\x02PK\x03\x04" * 50, ["geen tekstbestand"]),
    "latin1.csv": (
        "indicator;gebied;periode;waarde\ninwoners;Súdwest;2024;1\n".encode("cp1252"),
        ["niet in UTF-8", "rij 2"],
    ),
    "alleen_kop.csv": ("indicator,gebied,periode,waarde\n", ["geen gegevens"]),
    "onbekend_formaat.csv": ("a,b,c\n1,2,3\n", ["onbekend bestandsformaat"]),
    "sjabloon_fouten.csv": (
        "indicator,gebied,periode,waarde\n"
        "inwoners,GM0164,2024,7.4\n"
        "inwoners,GM0164,2024,7.5\n"
        "inwoners,GM9998,2024,1\n"
        "inwoners,BU01640000,twintig,1\n"
        "inwoners,BU01640001,2024,abc\n"
        "bestaat_niet,GM0164,2024,1\n",
        [
            "rij 3, kolom 'indicator': dubbele rij",
            "rij 4, kolom 'gebied': onbekende gebiedscode",
            "rij 5, kolom 'periode'",
            "rij 6, kolom 'waarde': 'abc' is geen getal",
            "rij 7, kolom 'indicator': onbekende indicator",
        ],
    ),
    "decimaal_mix.csv": (
        "indicator;gebied;periode;waarde\ninwoners;GM0164;2024;7.4\n",
        ["rij 2, kolom 'waarde'", "',' als decimaalteken"],
    ),
    "statline_kapot.csv": (
        '"Soort misdrijf";"Perioden";"Regio\'s";"Geregistreerde misdrijven (aantal)"\n'
        '"Misdrijven, totaal";"2017";"Hengelo (O.)";4090\n'
        '"Misdrijven, totaal";"2017";"Hengelo (O.)";4090;12\n'
        '"Misdrijven, totaal";"2017";"Verzonnen Stad";12\n'
        '"Misdrijven, totaal";"2017";"Enschede";veel\n',
        [
            "rij 3: 5 velden gevonden, verwacht 4",
            "onbekende gebiedsnaam 'Verzonnen Stad'",
            "rij 5, kolom 'Geregistreerde misdrijven (aantal)': 'veel' is geen getal",
        ],
    ),
    "odata_onbekende_buurt.csv": (
        '"ID","SoortMisdrijf","WijkenEnBuurten","Perioden","GeregistreerdeMisdrijven_1"\n'
        '1,"0.0.0 ","BU01649999","2023JJ00",5\n'
        '2,"0.0.0 ","BU01640000","2023JJ00",5\n'
        '3,"0.0.0 ","BU01640000","2023JJ00",6\n',
        ["onbekende gebiedscode 'BU01649999'", "rij 4", "dubbele rij"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_refused_and_database_unchanged(db, tmp_path, name):
    engine, _, _ = db
    content, expected = BAD_FILES[name]
    src = write(tmp_path, name, content)
    before = state(engine)
    with pytest.raises(ValidationError) as info:
        import_file(engine, src)
    message = str(info.value)
    assert name in message
    for fragment in expected:
        assert fragment in message, message
    assert "niets in de database veranderd" in message
    assert state(engine) == before  # byte for byte


def test_cli_exit_codes(db, tmp_path):
    engine, _, url = db
    bad = write(tmp_path, "fout.csv", "indicator,gebied,periode,waarde\ninwoners,GM9998,2024,1\n")
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    before = state(engine)
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "fout.csv, rij 2, kolom 'gebied'" in proc.stderr
    assert state(engine) == before
    good = FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(good), "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "proef (niets opgeslagen)" in proc.stdout
    assert "%]" in proc.stderr  # progress on the command line

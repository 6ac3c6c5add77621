"""The shipped default database holds the real figures the issue names."""

from sqlalchemy import select, text

from dashboard.ingest.build import build
from dashboard.store import queries
from dashboard.store.schema import observation
from tests.conftest import table_counts


def value(engine, indicator, area, period, variant=""):
    with engine.connect() as conn:
        return conn.execute(
            select(
                observation.c.value,
                observation.c.lower,
                observation.c.upper,
                observation.c.count,
                observation.c.denominator,
                observation.c.note,
            ).where(
                observation.c.indicator_id == indicator,
                observation.c.area_code == area,
                observation.c.period == period,
                observation.c.current.is_(True),
                observation.c.variant == variant,
            )
        ).one()


def test_hengelo_areas(db):
    engine, _, _ = db
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select level, count(distinct code) from area where code like 'WK0164%' "
                "or code like 'BU0164%' group by level"
            )
        ).all()
        name = conn.execute(text("select name from area where code='BU01640000'")).scalar()
    assert dict(rows) == {"wijk": 10, "buurt": 62}
    assert name == "Binnenstad-Centrum"


def test_binnenstad_centrum_crime_2023(db):
    engine, _, _ = db
    assert value(engine, "geregistreerde_misdrijven", "BU01640000", "2023")[0] == 717
    rate = value(engine, "geregistreerde_misdrijven_per1000", "BU01640000", "2023")
    assert rate.count == 717 and rate.denominator == 1170
    assert round(rate.value, 1) == 612.8
    assert "Aantal inwoners 2024" in rate.note  # inputs named


def test_buurt_crime_sums_to_city_total(db):
    engine, _, _ = db
    with engine.connect() as conn:
        total = conn.execute(
            text(
                "select sum(value) from observation where indicator_id='geregistreerde_misdrijven' "
                "and area_code like 'BU0164%' and current"
            )
        ).scalar()
    assert total == 3665


def test_statline_rate_2017(db):
    engine, _, _ = db
    row = value(engine, "misdrijven_totaal_per1000", "GM0164", "2017")
    assert row.value == 50.6 and row.count == 4090


def test_veiligheidsmonitor_margins(db):
    engine, _, _ = db
    hengelo = value(engine, "vm_politie_tevreden_functioneren", "GM0164", "2013")
    g32 = value(engine, "vm_politie_tevreden_functioneren", "G32", "2013")
    assert hengelo.value == 25.5
    assert round(hengelo.value - hengelo.lower, 6) == 2.0
    assert round(hengelo.upper - hengelo.value, 6) == 2.0
    assert g32.value == 29.4


def test_bbv_conflict_kept_not_picked(db):
    engine, _, _ = db
    conf = queries.conflicts(engine)
    geweld = conf[(conf["name"] == "Geweldsmisdrijven") & (conf["period"] == "2017")]
    assert sorted(geweld["value"]) == [4.7, 4.9]


def test_leefbaarometer_series(db):
    engine, _, _ = db
    with engine.connect() as conn:
        periods = [
            r[0]
            for r in conn.execute(
                text(
                    "select period from observation where indicator_id='lbm_overlast_onveiligheid' "
                    "and area_code='BU01640000' and current order by period"
                )
            )
        ]
    assert periods == ["2014", "2018", "2020", "2022", "2024"]


def test_peer_groups(db):
    engine, _, _ = db
    groups = queries.peer_groups(engine).set_index("id")["members"].to_dict()
    assert groups == {"g32": 38, "g40": 41, "twente": 14}
    assert "GM0164" in queries.peer_members(engine, "g32")


def test_every_source_has_owner_table_licence(db):
    engine, _, _ = db
    src = queries.sources(engine)
    assert len(src) >= 14
    for col in ("owner", "table_id", "title", "licence"):
        assert src[col].str.len().min() > 0, col


def test_rebuild_is_idempotent(db):
    engine, _, _ = db
    before = table_counts(engine)
    results = build(engine)
    assert {
        r.status for r in results if not r.source_key.startswith(("catalogus", "cbs-geb", "g4-"))
    } == {"al aanwezig (zelfde release, niets veranderd)"}
    assert table_counts(engine) == before


def test_changed_shipped_file_replaces_its_earlier_version(db, tmp_path):
    """A new version of a shipped file (here: a document renamed) replaces the old one whole:
    the old variant does not stay current beside the new one."""
    import shutil

    from dashboard.settings import DATA_DIR

    engine, _, _ = db
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.sqlite*"))
    bbv = data / "bronnen/indicatoren/hengelo_bbv_kengetallen_gemeentelijke_documenten.csv"
    old = bbv.read_text(encoding="utf-8")
    bbv.write_text(old.replace("(kolom Werkelijk 2018)", "(Werkelijk 2018 col)"), encoding="utf-8")
    build(engine, data / "bronnen.toml")
    conf = queries.conflicts(engine)
    geweld = conf[(conf["name"] == "Geweldsmisdrijven") & (conf["period"] == "2017")]
    assert sorted(geweld["value"]) == [4.7, 4.9]
    assert "Jaarstukken 2019 (Werkelijk 2018 col)" in set(geweld["variant"])
    with engine.connect() as conn:
        current = conn.execute(
            text("select count(*) from observation where current and variant like '%kolom W%'")
        ).scalar()
    assert current == 0


def test_files_with_the_same_name_in_two_folders_do_not_replace_each_other(db, tmp_path):
    """2023/cijfers.csv and 2024/cijfers.csv of one source are two files, not two versions."""
    engine, _, _ = db
    head = "indicator,gebied,periode,waarde,naam,eenheid,beter\n"
    for year, number in (("2023", "11"), ("2024", "12")):
        (tmp_path / year).mkdir()
        (tmp_path / year / "cijfers.csv").write_text(
            f"{head}eigen_telling,GM0164,{year},{number},Eigen telling,aantal,hoger\n",
            encoding="utf-8",
        )
    (tmp_path / "m.toml").write_text(
        '[bronnen.eigen]\neigenaar = "Gemeente"\ntabel = "t"\ntitel = "t"\nlicentie = "x"\n'
        '[[stap]]\nbestand = "2023/cijfers.csv"\nbron = "eigen"\n'
        '[[stap]]\nbestand = "2024/cijfers.csv"\nbron = "eigen"\n',
        encoding="utf-8",
    )
    build(engine, tmp_path / "m.toml")
    assert value(engine, "eigen_telling", "GM0164", "2023").value == 11
    assert value(engine, "eigen_telling", "GM0164", "2024").value == 12


def test_an_older_database_gets_the_new_columns(tmp_path):
    """A database made before a column existed (here: the series break of an indicator) is
    upgraded on start: the column is added with its default, existing rows keep their data."""
    from sqlalchemy import create_engine, insert, inspect

    from dashboard.store.schema import create_schema, indicator

    engine = create_engine(f"sqlite:///{tmp_path / 'oud.sqlite'}")
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(insert(indicator).values(id="x", name="X", unit="aantal", better="lager"))
        conn.execute(text("alter table indicator drop column series_break_note"))
        conn.execute(text("alter table indicator drop column series_break"))
    create_schema(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("indicator")}
    assert {"series_break", "series_break_note"} <= columns
    with engine.connect() as conn:
        row = conn.execute(
            text("select name, series_break, series_break_note from indicator")
        ).one()
    assert tuple(row) == ("X", None, "")
    engine.dispose()

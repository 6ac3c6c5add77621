"""`python -m dashboard ophalen TABEL`: fetch from a local OData feed built from our shipped
files (tests/unit/odata_feed.py), every page followed, a lost page noticed, the rows through the
importer; offline or a broken feed gives a Dutch error and changes nothing."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from dashboard.__main__ import main
from dashboard.ingest.odata import (
    FILTER_PARTS,
    TABLES,
    FetchError,
    ophalen,
    peers,
    region_filter,
    region_filters,
)
from dashboard.store.schema import observation, release
from tests.conftest import state
from tests.unit import odata_feed
from tests.unit.odata_feed import Feed


@pytest.fixture
def point_at(monkeypatch):
    def _point(feed_url: str) -> None:
        monkeypatch.setenv("CBS_ODATA_URL", feed_url)
        monkeypatch.setenv("POLITIE_ODATA_URL", feed_url)

    return _point


def _current(engine, indicator_id: str, area: str, period: str):
    with engine.connect() as conn:
        return conn.execute(
            select(observation, release.c.file_name)
            .join(release, release.c.id == observation.c.release_id)
            .where(
                observation.c.indicator_id == indicator_id,
                observation.c.area_code == area,
                observation.c.period == period,
                observation.c.variant == "",
                observation.c.current.is_(True),
            )
        ).all()


@pytest.mark.parametrize(
    "key, gemeente, peer_codes, wijken, expected",
    [
        (
            "WijkenEnBuurten",
            "GM0164",
            [],
            True,
            "startswith(WijkenEnBuurten,'GM0164') or startswith(WijkenEnBuurten,'WK0164') or "
            "startswith(WijkenEnBuurten,'BU0164') or startswith(WijkenEnBuurten,'NL01')",
        ),
        (
            "RegioS",
            "GM0153",
            ["GM0164", "GM0141"],
            False,
            "startswith(RegioS,'GM0153') or startswith(RegioS,'GM0164') or "
            "startswith(RegioS,'GM0141') or startswith(RegioS,'NL01')",
        ),
    ],
)
def test_region_filter(key, gemeente, peer_codes, wijken, expected):
    assert region_filter(key, gemeente, peer_codes, wijken) == expected


def test_a_long_filter_is_split_in_parts():
    peer_codes = [f"GM{n:04d}" for n in range(1, 46)]
    parts = region_filters("RegioS", "GM0164", peer_codes, False)
    assert len(parts) == -(-(len(peer_codes) + 2) // FILTER_PARTS) == 3
    assert all(p.count("startswith") <= FILTER_PARTS for p in parts)
    assert " or ".join(parts) == region_filter("RegioS", "GM0164", peer_codes, False)


def test_peers_are_the_comparison_groups(db):
    engine, _, _ = db
    hengelo = peers(engine, "GM0164")
    assert "GM0153" in hengelo and "GM0164" not in hengelo  # Twente, G32/G40
    assert peers(engine, "GM9998") == []


def test_help_documents_the_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ophalen", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in [*TABLES, "CBS_ODATA_URL", "POLITIE_ODATA_URL", "--gemeente", "--dry-run"]:
        assert word in out


def test_politie_47018_every_page_in_the_database(db, point_at):
    engine, _, _ = db
    table = odata_feed.politie_47018(bump=1000)
    hengelo = [r for r in table.rows if r["WijkenEnBuurten"].startswith("BU0164")]
    with Feed({"47018NED": table}, page=20) as feed:
        point_at(feed.url)
        result = ophalen(engine, "47018NED", "GM0164")
    pages = [p for p in feed.requests if "/TypedDataSet?" in p]
    assert len(pages) == -(-len(hengelo) // 20) >= 3
    assert result.rows == len(hengelo) and result.status == "geïmporteerd"
    last = hengelo[-1]  # on the last page
    (row,) = _current(engine, "geregistreerde_misdrijven", last["WijkenEnBuurten"].strip(), "2023")
    assert row.value == last["GeregistreerdeMisdrijven_1"]
    assert row.file_name == "47018NED_odata_GM0164.csv"


def test_a_server_without_next_links_is_paged_with_skip(db, point_at):
    engine, _, _ = db
    table = odata_feed.politie_47018(bump=7)
    with Feed({"47018NED": table}, page=25, mode="geen_link") as feed:
        point_at(feed.url)
        result = ophalen(engine, "47018NED", "GM0164")
    assert any("%24skip=50" in p or "$skip=50" in p for p in feed.requests)
    assert result.rows == 62


@pytest.mark.parametrize(
    "mode, message",
    [
        ("laatste_kwijt", "een pagina ontbreekt"),
        ("dubbel", "de bron"),
        ("kapot", "geen geldige JSON"),
        ("omleiding", "HTTP-status 302"),  # a redirect is not followed, to any host
        ("andere_server", "andere server"),  # nor a next page on another server
    ],
)
def test_a_broken_feed_changes_nothing(db, point_at, mode, message):
    engine, _, _ = db
    before = state(engine)
    with Feed({"47018NED": odata_feed.politie_47018(bump=5)}, page=20, mode=mode) as feed:
        point_at(feed.url)
        with pytest.raises(FetchError, match=message) as exc:
            ophalen(engine, "47018NED", "GM0164")
    assert "Er is niets in de database veranderd." in str(exc.value)
    assert state(engine) == before


def test_lost_last_page_names_the_counts(db, point_at):
    engine, _, _ = db
    with Feed({"47018NED": odata_feed.politie_47018()}, page=20, mode="laatste_kwijt") as feed:
        point_at(feed.url)
        with pytest.raises(FetchError) as exc:
            ophalen(engine, "47018NED", "GM0164")
    assert "de bron meldt 62 rijen" in str(exc.value) and "60 binnen" in str(exc.value)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_fails_in_dutch_and_changes_nothing(db, point_at, monkeypatch, capsys):
    engine, _, url = db
    point_at(f"http://127.0.0.1:{_closed_port()}/ODataApi/odata")
    before = state(engine)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["ophalen", "83648NED", "--gemeente", "GM0153"]) == 3
    err = capsys.readouterr().err
    assert "Ophalen mislukt: geen verbinding met http://127.0.0.1" in err
    assert "Er is niets in de database veranderd." in err
    assert state(engine) == before


@pytest.mark.parametrize(
    "table, gemeente, message",
    [
        ("12345NED", "GM0164", "wordt niet ondersteund; kies uit 47018NED"),
        ("83648NED", "Hengelo", "geen gemeentecode"),
    ],
)
def test_bad_arguments(db, table, gemeente, message):
    engine, _, _ = db
    with pytest.raises(FetchError, match=message):
        ophalen(engine, table, gemeente)


def test_cbs_83648_regions_filtered_to_the_comparison_group(db, point_at):
    engine, _, _ = db
    table = odata_feed.cbs_83648(engine)
    with Feed({"83648NED": table}, page=50) as feed:
        point_at(feed.url)
        result = ophalen(engine, "83648NED", "GM0153")
    wanted = {"GM0153", "NL01", *peers(engine, "GM0153")}
    served = [r for r in table.rows if r["RegioS"].strip() in wanted]
    assert len(served) < len(table.rows)
    assert result.rows > 0
    # every topic maps to a catalogue indicator (koppelingen.csv by code), none made up
    assert not any("nieuwe indicator" in n for n in result.notices), result.notices
    (cleared,) = _current(engine, "misdrijven_opgehelderd", "GM0153", "2024")
    assert cleared.file_name == "83648NED_odata_GM0153.csv"
    (row,) = _current(engine, "misdrijven_totaal", "GM0153", "2024")
    last = next(
        r for r in served if r["RegioS"].startswith("GM0153") and r["Perioden"] == "2024JJ00"
    )
    assert row.value == last["TotaalGeregistreerdeMisdrijven_1"]
    assert row.file_name == "83648NED_odata_GM0153.csv"


def test_veiligheidsmonitor_85146_keeps_its_margins(db, point_at):
    engine, _, _ = db
    with Feed({"85146NED": odata_feed.cbs_85146(engine)}, page=50) as feed:
        point_at(feed.url)
        ophalen(engine, "85146NED", "GM0164")
    assert any(p.endswith("/85146NED/Marges?%24format=json") for p in feed.requests)
    (row,) = _current(engine, "vm_onveilig_buurt", "GM0164", "2023")
    assert row.file_name == "85146NED_odata_GM0164.csv"
    assert row.lower is not None and row.upper is not None and row.lower < row.value < row.upper


def test_dry_run_fetches_and_keeps_nothing(db, point_at):
    engine, _, _ = db
    before = state(engine)
    with Feed({"47018NED": odata_feed.politie_47018(bump=3)}, page=20) as feed:
        point_at(feed.url)
        result = ophalen(engine, "47018NED", "GM0164", dry_run=True)
    assert result.status.startswith("proef") and result.rows == 62
    assert state(engine) == before

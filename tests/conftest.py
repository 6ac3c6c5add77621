"""Shared fixtures: the shipped database is built once per session and copied per test.

SQLite (default): the built file is copied per test. PostgreSQL: set `TEST_DATABASE_URL`
(e.g. postgresql+psycopg://dash:dash@localhost/dash_test); the build goes into a template
database and every test gets `CREATE DATABASE ... TEMPLATE` of it.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dashboard.ingest.build import build
from dashboard.store.schema import make_engine, metadata

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
_counter = itertools.count()


def _admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def pg_copy(template_url: str, name: str) -> str:
    """A new PostgreSQL database cloned from the template; returns its URL."""
    admin = _admin(template_url)
    template = make_url(template_url).database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for attempt in range(40):
            # A template may have no other session. A module's engine on the shipped database
            # keeps pooled connections; they are ended here and reconnect (pool_pre_ping).
            # Only our own sessions: an autovacuum worker on the template may not be ended by
            # a non-superuser ("must be a superuser to terminate superuser process"), so the
            # copy waits until it is done.
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :template AND pid <> pg_backend_pid() "
                    "AND usename = current_user"
                ),
                {"template": template},
            )
            try:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                break
            except DBAPIError:
                if attempt == 39:
                    raise
                time.sleep(0.5)
    admin.dispose()
    return make_url(template_url).set(database=name).render_as_string(hide_password=False)


def pg_drop(url: str, names: list[str] | None = None) -> None:
    """Drop PostgreSQL databases (default: the one of `url`). Each copy is some 65 MB: a run
    that kept its 400 copies left 26 GB in the cluster."""
    admin = _admin(url)
    with admin.connect() as conn:
        for name in names or [make_url(url).database]:
            for attempt in range(5):  # an autovacuum worker on the copy may hold it a moment
                try:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    break
                except DBAPIError:
                    if attempt == 4:
                        raise
                    time.sleep(1)
    admin.dispose()


def _pg_copies(url: str) -> list[str]:
    """The copies of the test template that are still there (also from earlier runs)."""
    admin = _admin(url)
    with admin.connect() as conn:
        names = conn.execute(
            text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
            {"prefix": f"{make_url(url).database}_"},
        ).scalars()
        names = list(names)
    admin.dispose()
    return names


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """URL of a database with the complete shipped default data (python -m dashboard build)."""
    if PG_URL:
        name = make_url(PG_URL).database
        pg_drop(PG_URL, [*_pg_copies(PG_URL), name])
        admin = _admin(PG_URL)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'dashboard.sqlite'}"
    engine = make_engine(url)
    build(engine)
    if PG_URL:  # vacuumed and analysed now, autovacuum has no reason to visit the template
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    yield url
    if PG_URL and (left := _pg_copies(PG_URL)):
        pg_drop(PG_URL, left)  # copies made outside the `db` fixture


def copy_db(built_url: str, tmp_path: Path) -> str:
    """A private copy of the built database; returns its URL."""
    if built_url.startswith("sqlite"):
        path = tmp_path / f"dashboard{next(_counter)}.sqlite"
        shutil.copy(make_url(built_url).database, path)
        return f"sqlite:///{path}"
    return pg_copy(built_url, f"{make_url(built_url).database}_{os.getpid()}_{next(_counter)}")


@pytest.fixture
def db(built_db, tmp_path):
    """A private copy of the built database: (engine, sqlite path or None, url)."""
    url = copy_db(built_db, tmp_path)
    engine = make_engine(url)
    path = Path(make_url(url).database) if url.startswith("sqlite") else None
    yield engine, path, url
    engine.dispose()
    if path is None:
        pg_drop(url)


def state(engine) -> str:
    """A fingerprint of the whole database. SQLite: the file's bytes (after closing
    connections); PostgreSQL: every row of every table, in order."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        return file_digest(Path(engine.url.database))
    return content_state(engine)


def content_state(engine) -> str:
    """Every row of every table, in primary-key order (independent of the file layout)."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if not inspect(conn).has_table(table.name):
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns or table.c))
            for row in rows:
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {n: conn.execute(text(f'select count(*) from "{n}"')).scalar() for n in names}


def buurt_geojson(path: Path, code: str, name: str) -> Path:
    """A one-buurt GeoJSON in RD New (a 300 m square in Hengelo) with the given code and name."""
    import json

    ring = [
        [251000, 476000],
        [251300, 476000],
        [251300, 476300],
        [251000, 476300],
        [251000, 476000],
    ]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"statcode": code, "statnaam": name, "jaar": 2024},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    return path


def components(at, name: str) -> list[dict]:
    """The data of the page's Streamlit components called `name`: 'svgkaart' (the SVG maps,
    `web.areamap`) or 'svgfiguur' (the SVG charts, `web.figure`)."""
    import json

    found = at.get("bidi_component")
    return [json.loads(c.proto.json) for c in found if c.proto.component_name == name]


def charts(at) -> list[str]:
    """The SVG charts on the page (`web.figure`), in page order."""
    return [data["html"] for data in components(at, "svgfiguur")]


def chart_alt(chart: str) -> str:
    """A chart's text for a screen reader: the aria-label of its outer element."""
    import html
    import re

    return html.unescape(re.search(r'aria-label="([^"]*)"', chart).group(1))


def tables(at) -> list:
    """The tables on the page (`widgets.table`: HTML tables in `st.html`), in page order, each
    as a DataFrame of the text a person sees (headers as columns)."""
    return [frame for element in at.get("html") for frame in html_tables(element.proto.body)]


def table_bodies(at) -> list[str]:
    """The HTML of the page's tables (`widgets.table`), as the browser receives it."""
    return [e.proto.body for e in at.get("html") if 'class="vb-tabel"' in e.proto.body]


def html_tables(body: str) -> list:
    """The tables of `render.table_html` in an HTML text, as DataFrames of their text."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.row, self.cell = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and ("class", "vb-tabel") in attrs:
                self.found.append([])
            elif tag == "tr" and self.found:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.row.append("".join(self.cell))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.found[-1].append(self.row)
                self.row = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(body)
    return [pd.DataFrame(rows, columns=head, dtype=object) for head, *rows in parser.found]

"""Shared fixtures: the shipped database is built once per session and copied per test."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.build import build
from dashboard.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A SQLite file with the complete shipped default data (python -m dashboard build)."""
    path = tmp_path_factory.mktemp("db") / "dashboard.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    build(engine)
    engine.dispose()
    return path


@pytest.fixture
def db(built_db, tmp_path):
    """A private copy of the built database: (engine, path, url)."""
    path = tmp_path / "dashboard.sqlite"
    shutil.copy(built_db, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield engine, path, url
    engine.dispose()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text("select name from sqlite_master where type='table' order by name")
            )
        ]
        return {n: conn.execute(text(f'select count(*) from "{n}"')).scalar() for n in names}

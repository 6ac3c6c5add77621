"""Sign-in throttled in the app; a database that cannot be reached gets a Dutch page that does
not show its URL or password (issue 12, item 8)."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain import auth
from dashboard.web import context, login
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
UNREACHABLE = "postgresql+psycopg://dash:geheim@localhost:1/nope"  # nothing listens on port 1


def texts(node) -> list[str]:
    """The protobuf text of every element and block of the page, sidebar included."""
    found = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        found += texts(child)
    return found


def test_unreachable_database_gets_a_dutch_page_without_secrets(monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    at = AppTest.from_file(APP, default_timeout=60)
    with caplog.at_level(logging.ERROR, logger=context.__name__):
        at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [context.UNREACHABLE]
    assert [c.value for c in at.caption] == ["Soort database: postgresql"]
    page = "\n".join(texts(at._tree))
    assert context.UNREACHABLE in page
    for secret in ("geheim", "dash:", "localhost", "nope", "psycopg", "port 1"):
        assert secret not in page, secret
    # The server log has the real error, without the password.
    logged = caplog.text
    assert "postgresql+psycopg://dash:***@localhost:1/nope" in logged
    assert "Connection refused" in logged or "connection failed" in logged
    assert "geheim" not in logged


def test_unreachable_sqlite_file_is_the_same_page(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'geen-map' / 'x.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [context.UNREACHABLE]
    assert [c.value for c in at.caption] == ["Soort database: sqlite"]
    assert "geen-map" not in "\n".join(texts(at._tree))


@pytest.fixture
def app(db, monkeypatch):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    login._throttles.clear()  # one pair per process: start every test afresh
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["users"] = {
        "bert": {"password_hash": auth.hash_password("x", iterations=1000), "role": "beheerder"}
    }
    yield at
    login._throttles.clear()


def sign_in(at: AppTest, user: str, password: str) -> list[str]:
    at.sidebar.text_input[0].input(user)
    at.sidebar.text_input[1].input(password)
    at.sidebar.button[0].click().run()
    assert not at.exception, at.exception
    return [e.value for e in at.sidebar.error]


def test_sign_in_is_locked_after_five_failures_and_says_nothing_of_the_user(app):
    app.run()
    wrong = "Onbekende gebruiker of onjuist wachtwoord."
    assert sign_in(app, "niemand", "x") == [wrong]  # unknown user: the same message
    for _ in range(4):
        assert sign_in(app, "bert", "fout") == [wrong]
    assert sign_in(app, "bert", "fout") == [wrong]  # the fifth failure locks
    locked = "Te veel mislukte pogingen; probeer het over 15 minuten opnieuw."
    assert sign_in(app, "bert", "x") == [locked]  # even the right password
    assert "role" not in app.session_state

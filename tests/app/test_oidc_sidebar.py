"""The sidebar with the gemeente's identity provider configured (AppTest seeds `st.user`): the
sign-in button beside the password fallback; once signed in, name and mapped role, or 'alleen
lezen' without a mapped group; the role and the recorded name land in the session."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain import auth
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-of-sufficient-length",
    "client_id": "dashboard",
    "client_secret": "geheim",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ROLLEN = {
    "claim": "groups",
    "aanbieder": "Testgemeente",
    "toewijzing": {"veiligheid-redactie": "redacteur", "veiligheid-beheer": "beheerder"},
}
RITA = {"sub": "r1", "email": "rita@gemeente.example", "email_verified": True, "name": "Rita"}


@pytest.fixture
def app(db, monkeypatch):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["rollen"] = ROLLEN
    at.secrets["users"] = {
        "bert": {"password_hash": auth.hash_password("x", iterations=1000), "role": "beheerder"}
    }
    return at


def sidebar_text(at: AppTest) -> str:
    return " ".join(
        [c.value for c in at.sidebar.caption]
        + [b.label for b in at.sidebar.button]
        + [e.label for e in at.sidebar.expander]
        + [e.value for e in at.sidebar.error]
    )


def test_signed_out_offers_the_provider_and_the_password_fallback(app):
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception, app.exception
    text = sidebar_text(app)
    assert "Inloggen met Testgemeente" in text and "Inloggen (beheer)" in text
    assert "role" not in app.session_state


@pytest.mark.parametrize(
    ("groups", "rollen", "shown", "role"),
    [
        (["veiligheid-redactie"], ROLLEN, "Ingelogd als **Rita** (redacteur)", "redacteur"),
        (["veiligheid-redactie", "veiligheid-beheer"], ROLLEN, "(beheerder)", "beheerder"),
        (["medewerkers"], ROLLEN, "Ingelogd als **Rita** (alleen lezen)", None),
        (
            ["veiligheid-redactie"],
            {"toewijzing": {"veiligheid-redactie": "admin"}},
            'onbekende rol "admin"',
            None,
        ),
    ],
)
def test_signed_in_shows_name_and_mapped_role(app, groups, rollen, shown, role):
    app.secrets["rollen"] = rollen
    app.user = {"is_logged_in": True, **RITA, "groups": groups}
    app.run()
    assert not app.exception, app.exception
    text = sidebar_text(app)
    assert shown in text
    assert "Uitloggen" in text and "Inloggen (beheer)" not in text
    assert app.session_state["user"] == "rita@gemeente.example"
    assert (app.session_state["role"] if "role" in app.session_state else None) == role

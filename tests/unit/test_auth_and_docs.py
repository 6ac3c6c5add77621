"""Roles and the docs that cannot drift."""

import re

import pytest

from dashboard import settings
from dashboard.domain import auth
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("password", "role", "expected"),
    [("geheim", "beheerder", "beheerder"), ("fout", "beheerder", None), ("geheim", "koning", None)],
)
def test_authenticate(password, role, expected):
    users = {"anna": {"password_hash": auth.hash_password("geheim", iterations=1000), "role": role}}
    assert auth.authenticate(users, "anna", password) == expected
    assert auth.authenticate(users, "bob", "geheim") is None


@pytest.mark.parametrize(
    ("role", "needed", "ok"),
    [
        ("beheerder", "beheerder", True),
        ("beheerder", "redacteur", True),
        ("redacteur", "beheerder", False),
        (None, "redacteur", False),
    ],
)
def test_allows(role, needed, ok):
    assert auth.allows(role, needed) is ok


def test_readme_names_every_page_and_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for title in re.findall(r'title="([^"]+)"', app):
        assert title in readme, title
    for path in re.findall(r'url_path="([^"]*)"', app):
        assert f"/{path}" in readme, path
    for name in settings.SETTINGS:
        assert f"`{name}`" in readme, name

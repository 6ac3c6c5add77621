"""Notes on the Wijkprofiel under AppTest: viewers see the notes and no form; a wijkregisseur
adds a note through the form, sees it in the list and on the trend; a refusal stores nothing;
the author changes and removes a note (new versions); hostile text stays text."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain import notes as rules
from dashboard.store import notes
from tests.conftest import ROOT, charts, table_bodies, tables

APP = str(ROOT / "app.py")
GM, WIJK = "GM0164", "WK016400"
HOSTILE = "<script>alert(1)</script> ![x](http://example.org/x.png)"


def plain(text: str) -> str:
    """Undo safe.md(): markdown backslash escapes, HTML entities, zero-width spaces."""
    return html.unescape(re.sub(r"\\(.)", r"\1", str(text))).replace("\u200b", "")


@pytest.fixture
def engine(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    return engine


def open_profile(role=None, user="wim", code=WIJK):
    at = AppTest.from_file(APP, default_timeout=120)
    if role:
        at.session_state["role"], at.session_state["user"] = role, user
    at.run()
    at.query_params["gebied"] = code
    at.switch_page("pages/wijkprofiel.py").run()
    assert not at.exception, at.exception
    return at


def table_text(at) -> str:
    return " ".join(plain(v) for t in tables(at) for v in t.astype(str).values.ravel())


def note_buttons(at) -> list[str]:
    return [b.label for b in at.button if "otitie" in b.label]


def markers(at) -> list[str]:
    """The tooltips of the notes' diamonds on the trend (escaped, as the SVG holds them)."""
    found = []
    for chart in charts(at):
        found += re.findall(r'<path class="notitie"[^>]*><title>(.*?)</title>', chart, re.S)
    return found


def test_viewer_sees_the_notes_but_no_form(engine):
    notes.add_note(
        engine,
        gemeente=GM,
        area_code=WIJK,
        draft=rules.Draft(HOSTILE, None, "2022"),
        role="wijkregisseur",
        user="wim",
    )
    at = open_profile()
    assert HOSTILE in table_text(at)
    assert note_buttons(at) == []
    assert not [t for t in at.text_area if t.label == "Notitie"]
    assert any("Een notitie schrijven kan een wijkregisseur" in c.value for c in at.caption)
    hover = " ".join(markers(at))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hover and "<script>" not in hover
    # In the table's HTML the note is text: no tag of its own, no image, no link.
    body = " ".join(table_bodies(at))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert "<img" not in body and "<a " not in body


def add(engine, text="Eerste", user="wim", lo="2022", indicator=None) -> int:
    draft = rules.Draft(text, indicator, lo)
    return notes.add_note(
        engine, gemeente=GM, area_code=WIJK, draft=draft, role="wijkregisseur", user=user
    )


# Submitting the form is driven in Chromium (tests/e2e/test_notes.py): under AppTest a page
# reached through app.py does not see its form's submit button as pressed.
@pytest.mark.parametrize("role", ["wijkregisseur", "redacteur", "beheerder"])
def test_a_signed_in_professional_sees_the_form(engine, role):
    at = open_profile(role)
    assert "Notitie opslaan" in note_buttons(at)
    assert [t.label for t in at.text_area] == ["Notitie"]
    assert not any("Een notitie schrijven kan" in c.value for c in at.caption)


def test_a_note_shows_in_list_and_on_the_trend_of_its_indicator(engine):
    add(engine, "Extra surveillance na inbraakgolf", indicator="inwoners", lo="2024")
    at = open_profile()
    assert "Extra surveillance na inbraakgolf" in table_text(at)
    assert at.selectbox(key=f"notes-trend-{WIJK}").value == "inwoners"
    assert any("Extra surveillance" in h for h in markers(at))
    assert any("1 notitie(s)" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("role", "user", "may"),
    [
        ("wijkregisseur", "wim", True),
        ("wijkregisseur", "anna", False),
        ("redacteur", "rob", False),
        ("beheerder", "bea", True),
    ],
)
def test_only_the_author_or_a_beheerder_gets_change_and_remove(engine, role, user, may):
    nid = add(engine)
    at = open_profile(role, user=user)
    labels = [b.label for b in at.button]
    assert ("Wijziging opslaan" in labels) is may
    assert ("Notitie verwijderen" in labels) is may
    if may:
        assert at.text_area(key=f"edit-{nid}-text").value == "Eerste"


def test_a_changed_note_says_its_version_and_a_removed_one_is_gone(engine):
    nid = add(engine)
    notes.edit_note(engine, nid, draft=rules.Draft("Tweede"), role="wijkregisseur", user="wim")
    assert "Tweede" in table_text(open_profile()) and "versie 2" in table_text(open_profile())
    notes.remove_note(engine, nid, role="beheerder", user="bea")
    assert "Tweede" not in table_text(open_profile())

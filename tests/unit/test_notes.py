"""Notes on the figures: validation in Dutch (one row per rule), versions instead of edits,
a removal that leaves a trace, who may change what, markers on a trend and escaping."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from dashboard.domain import auth
from dashboard.domain import notes as rules
from dashboard.store import notes, schema
from dashboard.views import briefing
from dashboard.views import notes as note_view

GM, WIJK, BUURT = "GM0164", "WK016400", "BU01640000"
HOSTILE = "<script>alert(1)</script> ![x](http://example.org/x.png) **vet**"
OK = {"role": "wijkregisseur", "user": "wim"}


def draft(text="Camera's geplaatst", indicator=None, lo=None, hi=None) -> rules.Draft:
    return rules.Draft(text, indicator, lo, hi)


def messages(exc) -> list[str]:
    return [f"{p.column}: {p.message}" for p in exc.value.problems]


# ---------------------------------------------------------------- rules (pure)
@pytest.mark.parametrize(
    ("kwargs", "changes", "expected"),
    [
        ({}, {}, None),
        ({}, {"text": "   "}, "Notitie: schrijf de notitie"),
        ({}, {"text": "x" * (rules.MAX_TEXT + 1)}, "Notitie: hoogstens 2000 tekens (nu 2001)"),
        ({}, {"lo": "23"}, "Jaar van: '23' is geen jaar"),
        ({}, {"lo": "2023", "hi": "twee"}, "Jaar tot en met: 'twee' is geen jaar"),
        ({}, {"hi": "2023"}, "Jaar van: vul ook het eerste jaar in"),
        ({}, {"lo": "2023", "hi": "2021"}, "Jaar tot en met: het laatste jaar (2021) ligt vóór"),
        ({"area_known": False}, {}, "Gebied: onbekend gebied"),
        ({"indicator_known": False}, {"indicator": "x9"}, "Indicator: onbekende indicator 'x9'"),
        ({"role": None}, {}, "Gebruiker: alleen een ingelogde wijkregisseur"),
        ({"user": " "}, {}, "Gebruiker: alleen een ingelogde wijkregisseur"),
    ],
)
def test_validation_names_the_field_in_dutch(kwargs, changes, expected):
    d = draft(**changes)
    if expected is None:
        assert rules.validate(d, **{**OK, **kwargs}).text == "Camera's geplaatst"
        return
    with pytest.raises(rules.NoteRefused) as exc:
        rules.validate(d, **{**OK, **kwargs})
    assert any(m.startswith(expected) for m in messages(exc)), messages(exc)
    assert "Notitie niet opgeslagen" in exc.value.summary()


def test_every_problem_at_once():
    with pytest.raises(rules.NoteRefused) as exc:
        rules.validate(draft("", lo="2024", hi="2020"), role=None, user="")
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize(
    ("role", "may_write"),
    [("wijkregisseur", True), ("redacteur", True), ("beheerder", True), (None, False)],
)
def test_who_may_write(role, may_write):
    assert rules.may_write(role, "wim") is may_write


@pytest.mark.parametrize(
    ("role", "user", "author", "ok"),
    [
        ("wijkregisseur", "wim", "wim", True),
        ("wijkregisseur", "wim", "anna", False),
        ("redacteur", "rob", "anna", False),
        ("beheerder", "bea", "anna", True),
        (None, "wim", "wim", False),
    ],
)
def test_who_may_change(role, user, author, ok):
    assert rules.may_change(role, user, author) is ok


def test_the_wijkregisseur_role_signs_in():
    users = {
        "w": {"password_hash": auth.hash_password("pw", iterations=1000), "role": "wijkregisseur"}
    }
    assert auth.authenticate(users, "w", "pw") == "wijkregisseur"
    assert not auth.allows("wijkregisseur", "redacteur")


@pytest.mark.parametrize(
    ("lo", "hi", "text"),
    [(None, None, "geen periode"), ("2023", None, "2023"), ("2021", "2023", "2021–2023")],
)
def test_period_text(lo, hi, text):
    assert rules.period_text(lo, hi) == text


def test_markers_fall_on_the_chart_years_of_their_indicator():
    periods = ["2019", "2020", "2021", "2022"]
    given = [
        {"indicator_id": None, "period_from": "2020", "period_to": None, "text": "wijk"},
        {"indicator_id": "a", "period_from": "2021", "period_to": "2030", "text": "a"},
        {"indicator_id": "b", "period_from": "2021", "period_to": None, "text": "b"},
        {"indicator_id": "a", "period_from": "2010", "period_to": "2012", "text": "buiten"},
        {"indicator_id": "a", "period_from": None, "period_to": None, "text": "geen jaar"},
    ]
    got = [(m.first, m.last, m.lines[1]) for m in rules.markers(given, periods, "a")]
    assert got == [("2020", "2020", "wijk"), ("2021", "2022", "a")]


def test_marker_tooltip_is_escaped_and_requests_nothing():
    import pandas as pd

    from dashboard.render import figures

    marker = rules.Marker("2022", "2022", ("2022, <b>wim</b>", HOSTILE))
    chart = figures.trend(
        pd.DataFrame({"period": ["2021", "2022"], "value": [1.0, 2.0]}),
        "W",
        None,
        "",
        "%",
        alt=HOSTILE,
        marks=[marker],
    )
    tips = re.findall(r'<path class="notitie"[^>]*><title>(.*?)</title>', chart, re.S)
    assert len(tips) == 1
    assert "<script>" not in chart and "&lt;script&gt;" in tips[0]
    assert "<b>wim</b>" not in chart and "&lt;b&gt;wim&lt;/b&gt;" in tips[0]
    assert "http://example.org" in html.unescape(tips[0])  # as text: nothing is fetched
    assert "href" not in chart and "<image" not in chart
    assert chart.count('stroke-dasharray="2 4"') == 1  # the note's dotted line


# ---------------------------------------------------------------- store: versions and trace
def test_a_change_is_a_new_version_and_removal_leaves_a_trace(db):
    engine, _, _ = db
    nid = notes.add_note(engine, gemeente=GM, area_code=WIJK, draft=draft(lo="2022"), **OK)
    assert notes.edit_note(engine, nid, draft=draft("Camera's weg", lo="2023"), **OK) == 2
    current = notes.notes(engine, GM, [WIJK])
    assert current[["note_id", "version", "text", "period_from"]].values.tolist() == [
        [nid, 2, "Camera's weg", "2023"]
    ]
    assert notes.remove_note(engine, nid, role="beheerder", user="bea") == 3
    assert notes.notes(engine, GM, [WIJK]).empty
    hist = notes.history(engine, nid)
    assert hist["text"].tolist() == ["Camera's geplaatst", "Camera's weg", "Camera's weg"]
    assert hist["removed"].tolist() == [False, False, True]
    assert hist["author"].tolist() == ["wim", "wim", "bea"]
    with engine.connect() as conn:  # nothing was updated or deleted: three rows, one note
        count = conn.execute(select(func.count()).select_from(schema.area_note_version)).scalar()
    assert count == 3


def test_only_the_author_or_a_beheerder_changes_a_note(db):
    engine, _, _ = db
    nid = notes.add_note(engine, gemeente=GM, area_code=WIJK, draft=draft(), **OK)
    with pytest.raises(rules.NoteRefused, match="alleen wie de notitie schreef"):
        notes.edit_note(engine, nid, draft=draft("anders"), role="wijkregisseur", user="anna")
    with pytest.raises(rules.NoteRefused, match="alleen wie de notitie schreef"):
        notes.remove_note(engine, nid, role="redacteur", user="rob")
    with pytest.raises(rules.NoteRefused, match="intussen door een ander gewijzigd"):
        notes.edit_note(engine, nid, draft=draft("x"), expected_version=5, **OK)
    assert notes.history(engine, nid)["version"].tolist() == [1]


@pytest.mark.parametrize(
    ("area_code", "indicator", "expected"),
    [
        ("WK015300", None, "Gebied: onbekend gebied"),  # Enschede's wijk under Hengelo
        ("WK016499", None, "Gebied: onbekend gebied"),
        (WIJK, "bestaat_niet", "Indicator: onbekende indicator 'bestaat_niet'"),
    ],
)
def test_unknown_area_or_indicator_is_refused_and_nothing_stored(
    db, area_code, indicator, expected
):
    engine, _, _ = db
    with pytest.raises(rules.NoteRefused) as exc:
        notes.add_note(
            engine, gemeente=GM, area_code=area_code, draft=draft(indicator=indicator), **OK
        )
    assert any(m.startswith(expected) for m in messages(exc)), messages(exc)
    assert notes.version(engine) == (0, 0)


def test_notes_for_enschede_and_for_a_buurt(db):
    engine, _, _ = db
    notes.add_note(engine, gemeente="GM0153", area_code="WK015300", draft=draft("E"), **OK)
    notes.add_note(engine, gemeente=GM, area_code=BUURT, draft=draft("B"), **OK)
    assert notes.notes(engine, "GM0153", ["WK015300"])["text"].tolist() == ["E"]
    assert notes.notes(engine, GM, ["WK015300", BUURT])["text"].tolist() == ["B"]


# ---------------------------------------------------------------- the briefing
def test_the_briefing_lists_notes_as_text(db):
    engine, _, _ = db
    notes.add_note(engine, gemeente=GM, area_code=WIJK, draft=draft(HOSTILE, lo="2022"), **OK)
    table = note_view.notes_table(engine, GM, WIJK)
    assert table is not None and HOSTILE in table.frame["Notitie"].tolist()
    pdf = briefing.briefing_pdf(engine, GM, ("wijk",), WIJK)
    text = " ".join(briefing.pdf_text(pdf).split())
    assert "Notities bij de cijfers" in text
    assert "<script>alert(1)</script>" in text and "![x](http://example.org/x.png)" in text
    assert b"/URI" not in pdf and b"/Link" not in pdf  # text, not a link or an image


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (None, "lang"),  # no notes: the longest series
        ({"indicator_id": "kort", "period_from": "2024"}, "kort"),  # the note's indicator
        ({"indicator_id": None, "period_from": "2024"}, "lang"),  # whole area: longest of 2024
        ({"indicator_id": None, "period_from": "2019"}, "oud"),  # only 'oud' has 2019
    ],
)
def test_the_trend_opens_on_an_indicator_with_a_note(note, expected):
    import pandas as pd

    values = pd.DataFrame(
        [
            ("kort", "Kort", "2024", 1.0),
            ("lang", "Lang", "2022", 1.0),
            ("lang", "Lang", "2023", 1.0),
            ("lang", "Lang", "2024", 1.0),
            ("oud", "Oud", "2019", 1.0),
        ],
        columns=["indicator_id", "name", "period", "value"],
    )
    rows = [] if note is None else [{**note, "period_to": None, "text": "t", "author": "a"}]
    found = pd.DataFrame(
        [{**r, "area_code": WIJK, "changed_at": None} for r in rows],
        columns=[*notes.NOTE_COLUMNS],
    )
    assert note_view.default_indicator(values, found, WIJK) == expected


def test_an_older_database_gets_the_note_tables(db):
    from sqlalchemy import inspect

    engine, _, _ = db
    schema.area_note_version.drop(engine)
    schema.area_note.drop(engine)
    assert not inspect(engine).has_table("area_note")
    schema.create_schema(engine)  # what every start does
    nid = notes.add_note(engine, gemeente=GM, area_code=WIJK, draft=draft(), **OK)
    assert notes.history(engine, nid)["version"].tolist() == [1]

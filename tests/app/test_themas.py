"""The Thema's page under AppTest: every theme, doel and actie in the document's wording, the
progress form for editors only, refusals, and untrusted text shown as text."""

import html
import re

import pytest
import streamlit as st
from sqlalchemy import delete, func, select
from streamlit.testing.v1 import AppTest

from dashboard.domain import progress
from dashboard.ingest.importer import import_file
from dashboard.store import plans, schema
from tests.conftest import ROOT, chart_alt, table_bodies, tables
from tests.conftest import charts as svg_charts
from tests.unit.test_policy import EXPECTED, LINKS, PLAN, PLAN_ID

PAGE = str(ROOT / "pages" / "themas.py")  # registered in app.py separately


def plain(text: str) -> str:
    """Undo safe.md(): markdown backslash escapes, HTML entities, zero-width spaces."""
    return html.unescape(re.sub(r"\\(.)", r"\1", str(text))).replace("\u200b", "")


@pytest.fixture
def engine(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    import_file(engine, PLAN)
    import_file(engine, LINKS)
    return engine


def run(role=None, **params):
    at = AppTest.from_file(PAGE, default_timeout=120)
    if role:
        at.session_state["role"], at.session_state["user"] = role, "anna"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def table_text(at) -> str:
    return " ".join(plain(v) for t in tables(at) for v in t.astype(str).values.ravel())


def markdown_text(at) -> str:
    return " ".join(plain(m.value) for m in at.markdown)


def charts(at, kind: str) -> list[str]:
    """The HTML of the page's progress charts: 'vb-boom' (doelenboom) or 'vb-bars'."""
    return [h.proto.body for h in at.get("html") if f'class="{kind}' in h.proto.body]


def lines(at) -> list[str]:
    """The SVG line charts of the indicators."""
    return svg_charts(at)


def aria_label(body: str) -> str:
    return html.unescape(re.search(r'aria-label="([^"]*)"', body).group(1))


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.policy_update)).scalar()


def test_every_theme_doel_and_actie_in_the_documents_wording(engine):
    at = run()
    els = plans.elements(engine, PLAN_ID)
    assert [plain(h.value) for h in at.header] == [
        f"{code} {title}" for code, (title, _) in EXPECTED.items()
    ]
    # The doelenboom shows every doel and actie; their text is folded per thema until opened.
    folded = [e.label for e in at.expander if e.label.startswith("Doelen en acties bij")]
    assert folded == [f"Doelen en acties bij dit thema ({len(a)})" for _, a in EXPECTED.values()]
    assert "T1.D1.X1" in charts(at, "vb-boom")[0] and not tables(at)[1:]
    for code in EXPECTED:
        at.session_state[f"doelen-{code}"] = True
    at.run()
    words = markdown_text(at)
    for doel in els[els["kind"].isin(["doel", "ambitie"])].itertuples():
        assert doel.text in words, doel.code
    cells = table_text(at)
    for actie in els[els["kind"] == "actie"].itertuples():
        assert actie.text in cells, actie.code
    # Counts per theme in the overview table match the document.
    overview = tables(at)[0]
    assert [int(n) for n in overview["Acties"]] == [sum(a) for _, a in EXPECTED.values()]
    assert any("nog geen voortgang geregistreerd" in i.value for i in at.info)
    assert not at.error


def test_every_thema_folds_its_indicators_until_one_opens_them(engine):
    """'Alle thema's' builds no trend chart until a thema's indicators are opened; one thema
    shows them open."""
    at = run()
    folded = {e.label for e in at.expander if e.label.startswith("Indicatoren bij dit thema")}
    assert "Indicatoren bij dit thema (2)" in folded, folded  # T2: cybercrime and fraude
    assert not lines(at)  # no line yet; the doelenboom is HTML
    assert len(charts(at, "vb-boom")) == 1 and not charts(at, "vb-bars")  # no progress yet
    assert "Cybercrime, per 1.000 inwoners" not in markdown_text(at)
    at.session_state["indicatoren-T2"] = True
    at.run()
    assert len(lines(at)) == 2
    assert "Cybercrime, per 1.000 inwoners" in markdown_text(at)
    one = run(thema="T2")
    assert not [e for e in one.expander if e.label.startswith("Indicatoren bij")]
    assert "Cybercrime, per 1.000 inwoners" in markdown_text(one)


def test_one_theme_from_the_url(engine):
    at = run(thema="T2")
    assert [plain(h.value) for h in at.header] == ["T2 Digitale veiligheid"]
    assert [plain(d) for d in tables(at)[0]["Doel"]][0].startswith("T2.D1 We hebben de basis")
    captions = " ".join(plain(c.value) for c in at.caption)
    assert "Cybercrime" in markdown_text(at) and "Fraude" in markdown_text(at)
    assert "Bron: Politie" in captions


def test_unknown_theme_is_reported_and_everything_shown(engine):
    at = run(thema="T9")
    assert any("T9" in plain(i.value) for i in at.info)
    assert len(at.header) == 5


def test_page_without_plan(db, monkeypatch):
    engine, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    with engine.begin() as conn:  # also once the manifest ships the plan
        for table in ("policy_indicator", "policy_budget", "policy_plan", "policy_element"):
            conn.execute(delete(schema.metadata.tables[table]))
    st.cache_data.clear()  # ui.cached keys on the data version, which a delete does not change
    try:
        at = run()
        assert plain(at.info[0].value).startswith("Nog geen beleidsplan ingelezen voor Hengelo")
    finally:
        st.cache_data.clear()  # and other tests' databases have the same version


def all_text(at) -> str:
    """Every text the page shows: title, headers, markdown, captions, infos, tables."""
    parts = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info]
    return " ".join(plain(p.value) for p in parts) + " " + table_text(at)


def test_enschede_sees_its_programme_with_budgets_and_never_hengelos_plan(engine, monkeypatch):
    from tests.unit import test_policy_enschede as enschede

    monkeypatch.setenv("GEMEENTE", "GM0153")
    at = run()
    assert [plain(h.value) for h in at.header] == [
        f"{d} {title}" for d, (title, _, _) in enschede.EXPECTED.items()
    ]
    text = all_text(at)
    assert "Thema's: Samenleving en bestuur" in text
    assert "Totale lasten (x 1.000 euro): 11.663" in text  # under its doel
    overview = tables(at)[0].rename(columns=plain)
    assert [plain(v) for v in overview[progress.BUDGET_HEAD]] == [
        "11.663",
        "4.381",
        "211",
        "5.432",
        "21.108",
    ]
    assert "Subdoelen en acties bij dit doel (2)" in [e.label for e in at.expander]
    for code in enschede.EXPECTED:
        at.session_state[f"doelen-{code}"] = True  # every doel's subdoelen open
    at.run()
    text = all_text(at)
    els = plans.elements(engine, enschede.PLAN_ID)
    for row in els[els["kind"].isin(["subdoel", "actie", "indicator"])].itertuples():
        assert row.text in text, row.code
    hengelo = plans.elements(engine, PLAN_ID)
    assert not [t for t in hengelo["title"] if t in text]
    assert not [t for t in hengelo["text"] if t in text]
    assert "Integraal veiligheidsbeleid Hengelo" not in text  # Enschede names Hengelo (3.01.03)
    assert "Bron: Gemeente Enschede" in text  # the BBV figures of doel 5 and the plan itself


def test_enschede_one_doel_shows_its_subdoelen(engine, monkeypatch):
    monkeypatch.setenv("GEMEENTE", "GM0153")
    at = run(thema="5")
    assert [plain(h.value) for h in at.header] == ["5 Openbare orde en veiligheid"]
    assert [plain(d) for d in tables(at)[0].rename(columns=plain)["Subdoel"]] == [
        "5.01 Bevorderen verbinding in samenleving (tegengaan polarisatie en radicalisering)",
        "5.02 Ervoor zorgen dat Enschede een ongunstig klimaat heeft voor ondermijnende "
        "activiteiten",
        "5.03 Versterken van de samenwerking tussen zorg en veiligheid",
    ]


def test_almelo_without_plan_is_told_how_to_load_one(engine, monkeypatch):
    monkeypatch.setenv("GEMEENTE", "GM0141")
    at = run()
    assert plain(at.info[0].value) == progress.no_plan_text("Almelo")
    assert "python -m dashboard import" in plain(at.info[0].value)
    assert "data/beleid/README.md" in plain(at.info[0].value)
    assert not at.header and not tables(at)
    beeld = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    beeld.run()  # the Veiligheidsbeeld is the start page
    assert not beeld.exception, beeld.exception
    text = all_text(beeld)
    assert "Nog geen beleidsplan ingelezen voor Almelo." in text
    for other in (PLAN_ID, "enschede-begroting-2022-samenleving-en-bestuur"):
        els = plans.elements(engine, other)
        assert not [t for t in els.loc[els["kind"] != "plan", "title"] if t in text], other


def test_viewer_sees_no_form(engine):
    at = run()
    assert not [b for b in at.button if b.label == "Update opslaan"]
    assert not at.get("text_area")
    assert any("alleen een redacteur" in c.value for c in at.caption)


def fill(at, action="T2.D1.X1", status="loopt", owner="Team IB", note="Gestart", wijk=True):
    boxes = {s.label: s for s in at.selectbox}
    boxes["Actie"].set_value(action).run()
    boxes = {s.label: s for s in at.selectbox}
    if status:
        boxes["Status"].set_value(status)
    [t for t in at.text_input if t.label == "Eigenaar of partner"][0].input(owner)
    if wijk:
        at.multiselect[0].select("WK016400")
    at.text_area[0].input(note)
    [b for b in at.button if b.label == "Update opslaan"][0].click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role", ["redacteur", "beheerder"])
def test_editor_registers_an_update(engine, role):
    at = fill(run(role=role, thema="T2"), note="<b>Gestart</b> met **BIO**")
    assert [s.value for s in at.success] == ["Update voor T2.D1.X1 opgeslagen: loopt."]
    upd = plans.updates(engine, PLAN_ID)
    assert upd[["action_code", "status", "owner", "user_name"]].values.tolist() == [
        ["T2.D1.X1", "loopt", "Team IB", "anna"]
    ]
    assert upd["wijken"].tolist() == [["WK016400"]]
    cells = table_text(at)
    assert "<b>Gestart</b> met **BIO**" in cells  # the note as typed, shown as text
    assert "Wijk 00 Binnenstad" in cells
    progress = aria_label(charts(at, "vb-bars")[0])  # the bars, with their numbers in words
    assert progress.startswith("Staafdiagram: per doel het deel van de acties per stand.")
    assert " 1 loopt (" in progress
    # A second update keeps the first in the history.
    at = fill(at, status="afgerond", note="Klaar", wijk=False)
    history = tables(at)[-1]
    assert [plain(s) for s in history["Status"]] == ["afgerond", "loopt"]
    assert stored(engine) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": None}, "Status: kies een status"),
        ({"note": " "}, "Toelichting: beschrijf wat er is gebeurd"),
        ({"owner": ""}, "Eigenaar of partner: vul de eigenaar of partner in"),
    ],
)
def test_incomplete_update_is_refused(engine, fields, message):
    at = fill(run(role="redacteur", thema="T2"), **fields)
    assert at.error and "niets veranderd" in at.error[0].value
    assert message in at.code[0].value
    assert not at.success
    assert stored(engine) == 0


def test_untrusted_text_is_never_html(engine, tmp_path):
    hostile = "<img src=x onerror=alert(1)> ![x](http://example.com/x.png)"
    text = PLAN.read_text(encoding="utf-8").replace(
        "Uitvoering geven aan het project HackShield.", f'"{hostile}"'
    )
    path = tmp_path / "ivb_hengelo_2024_2026.csv"
    path.write_text(text, encoding="utf-8")
    import_file(engine, path)
    at = run(role="redacteur", thema="T2")
    assert hostile in table_text(at)
    for element in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader]:
        assert not getattr(element.proto, "allow_html", False), element.value
        assert "<img" not in element.value and "](http" not in element.value
    body = " ".join(table_bodies(at))  # the tables' HTML: the name is text, not a tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in body and "<img" not in body
    shown = lines(at) + charts(at, "vb-")
    assert charts(at, "vb-boom") and all("<img" not in c for c in shown)


def test_every_chart_has_words_and_a_table(engine):
    """The doelenboom and each indicator line have a Dutch alt text; each line also a sentence
    and a table with the same numbers."""
    at = run(thema="T4")
    lines = [chart_alt(c) for c in svg_charts(at)]
    assert lines and all(lines), lines
    tree = aria_label(charts(at, "vb-boom")[0])
    assert tree.startswith("Doelenboom: 1 thema, ") and "acties" in tree
    vernieling = "Hengelo (O.): gedaald van 7,6 in 2012 naar 3,8 in 2024"
    assert any(a.startswith(vernieling) for a in lines), lines
    captions = " ".join(plain(c.value) for c in at.caption)
    assert all(a in captions for a in lines)
    assert "Elk vak is een actie, bij zijn doel en thema." in captions
    tables = [e for e in at.expander if e.label == "Tabel bij deze grafiek"]
    assert len(tables) == len(lines)
    assert not [df for df in at.dataframe if "Jaar" in df.value.columns]  # built when opened
    for i in range(len(lines)):
        at.session_state[f"tabel-T4-{i}"] = True
    at.run()
    years = [df.value for df in at.dataframe if "Jaar" in df.value.columns]
    assert len(years) == len(lines)
    assert ["2012", "7,6"] in [y.iloc[0].tolist() for y in years]  # Vernieling

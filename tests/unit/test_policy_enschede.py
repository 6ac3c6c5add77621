"""Enschede's programme Samenleving en bestuur (Begroting 2022) as data, and plans that belong
to a gemeente: the counts and texts against the source text, the budgets per doel, the BBV
indicators of 2020, and no plan of one gemeente ever shown for another."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from dashboard.domain import progress
from dashboard.domain.progress import UpdateRefused
from dashboard.store import plans
from dashboard.views import agenda, briefing
from tests.conftest import ROOT

BELEID = ROOT / "data" / "beleid"
PLAN = BELEID / "enschede_begroting_2022_samenleving_en_bestuur.csv"
LINKS = BELEID / "enschede_begroting_2022_samenleving_en_bestuur_indicatoren.csv"
DOCUMENT = BELEID / "enschede_begroting_2022_samenleving_en_bestuur_bron.txt"
BBV = ROOT / "data" / "bronnen" / "indicatoren" / "enschede_bbv_begroting_2022.csv"
PLAN_ID = "enschede-begroting-2022-samenleving-en-bestuur"
HENGELO = "ivb-hengelo-2024-2026"

# Counted by hand in the programme's doelenboom: doel -> (title, lasten x 1.000 euro,
# {subdoel: (acties, indicatoren)}).
EXPECTED = {
    "1": ("Goed bestuur", 11663, {"1.01": (6, 1), "1.02": (2, 0)}),
    "2": ("Versterking samenwerking bestuur/samenleving", 4381, {"2.01": (2, 1), "2.02": (2, 0)}),
    "3": (
        "Versterking samenwerking bestuur/(regionale) partners",
        211,
        {"3.01": (3, 0), "3.02": (2, 0)},
    ),
    "4": (
        "Professionele dienstverlening aan de samenleving",
        5432,
        {"4.01": (1, 1), "4.02": (3, 2)},
    ),
    "5": ("Openbare orde en veiligheid", 21108, {"5.01": (1, 0), "5.02": (4, 1), "5.03": (4, 0)}),
}


def words(text: str) -> str:
    return " ".join(text.split())


def read_document() -> dict:
    """Doelen, budgets, subdoelen with their counts, and the headings of the acties and the
    indicator explanations, read from the source text itself (not from our CSV)."""
    lines = [line.strip() for line in DOCUMENT.read_text(encoding="utf-8").splitlines()]
    start, doing = lines.index(".. Wat willen we bereiken?"), lines.index(".. Wat gaan we doen?")
    tree: dict[str, dict] = {}
    doel = sub = None
    for line in lines[:start]:  # the doelenboom
        if m := re.match(r"^(\d)\. (.+)$", line):
            doel = m.group(1)
            tree[doel] = {"title": m.group(2), "subdoelen": {}}
        elif m := re.match(r"^totale lasten \(x 1\.000 euro\): ([\d.]+,\d\d)$", line):
            tree[doel]["lasten"] = m.group(1)
        elif m := re.match(r"^(\d\.\d\d) (.+?)(?: Indicatoren: (\d+))?$", line):
            sub = m.group(1)
            tree[doel]["subdoelen"][sub] = {
                "title": m.group(2),
                "indicatoren": int(m.group(3) or 0),
            }
        elif m := re.match(r"^Aantal acties: (\d+)$", line):
            tree[doel]["subdoelen"][sub]["acties"] = int(m.group(1))
    body: dict[str, dict] = {}  # "Wat gaan we doen?": per subdoel its headings
    subs = {s: d for d, t in tree.items() for s in t["subdoelen"]}
    sub, mode = None, None
    for line in lines[doing:]:
        if line == "Wettelijk verplichte indicatoren":
            break
        if (m := re.match(r"^(\d\.\d\d) (.+)$", line)) and m.group(1) in subs:
            sub, mode = m.group(1), None
            body[sub] = {"acties": [], "toelichtingen": 0, "said": None}
        elif sub and (m := re.match(r"^Aantal acties: (\d+)$", line)):
            mode, body[sub]["said"] = "acties", int(m.group(1))
        elif sub and line == "Toelichting":
            body[sub]["toelichtingen"] += 1
        elif mode == "acties" and (m := re.match(r"^(\d\d) ?\. (.+)$", line)):
            body[sub]["acties"].append(m.group(2))
    return {"tree": tree, "body": body}


@pytest.fixture(scope="module")
def shipped(built_db):
    from dashboard.store.schema import make_engine

    engine = make_engine(built_db)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- the document itself
def test_document_counts_are_what_we_expect():
    doc = read_document()
    assert {d: (t["title"], t["lasten"]) for d, t in doc["tree"].items()} == {
        d: (title, f"{lasten:,}".replace(",", ".") + ",00")
        for d, (title, lasten, _) in EXPECTED.items()
    }
    for d, (_, _, subs) in EXPECTED.items():
        tree = doc["tree"][d]["subdoelen"]
        assert {s: (v["acties"], v["indicatoren"]) for s, v in tree.items()} == subs
        for s, (n_acties, n_indicatoren) in subs.items():
            # the doelenboom, the line "Aantal acties" and the headings agree
            assert doc["body"][s]["said"] == n_acties == len(doc["body"][s]["acties"]), s
            assert doc["body"][s]["toelichtingen"] == n_indicatoren, s


# ---------------------------------------------------------------- the plan as loaded
def test_counts_match_the_document(shipped):
    els = plans.elements(shipped, PLAN_ID)
    acts = progress.actions(els, plans.updates(shipped, PLAN_ID))
    assert progress.levels(els) == ("Doel", "Subdoel")
    assert progress.themes(els)["code"].tolist() == list(EXPECTED)
    doc = read_document()
    for d, (title, lasten, subs) in EXPECTED.items():
        row = els.set_index("code").loc[d]
        assert (row["kind"], row["title"], row["lasten"]) == ("doel", title, lasten)
        subdoelen = progress.children(els, d, "subdoel")
        assert subdoelen["code"].tolist() == list(subs)
        for s, (n_acties, n_indicatoren) in subs.items():
            mine = acts[acts["doel_code"] == s]
            assert len(mine) == n_acties and set(mine["theme_code"]) == {d}, s
            assert mine["title"].tolist() == [words(h) for h in doc["body"][s]["acties"]]
            assert len(progress.children(els, s, "indicator")) == n_indicatoren, s
            assert els.set_index("code").at[s, "title"] == doc["tree"][d]["subdoelen"][s]["title"]
    assert els["kind"].value_counts().to_dict() == {
        "plan": 1,
        "algemene_ambitie": 8,
        "doel": 5,
        "subdoel": 11,
        "indicator": 6,
        "actie": 30,
    }


def test_every_text_and_title_verbatim(shipped):
    els = plans.elements(shipped, PLAN_ID)
    document = words(DOCUMENT.read_text(encoding="utf-8"))
    for row in els.itertuples():
        assert row.text and row.text in document, row.code
        assert row.title in document, row.code
    # Nothing summarised away: the stored texts are the CSV's texts, byte for byte.
    csv = pd.read_csv(PLAN, dtype=str, keep_default_na=False).set_index("code")
    assert els.set_index("code")["text"].to_dict() == csv["tekst"].to_dict()
    assert set(csv["gemeente"]) == {"GM0153", ""}
    assert csv.at["SB", "gemeente"] == "GM0153"
    # One indicator text, whole: the toelichting of 5.02 (drugsmisdrijven).
    drugs = els.set_index("code").at["5.02.I1", "text"]
    assert drugs.startswith("In deze grafiek staat het aantal drugsmisdrijven per 1.000 inwoners.")
    assert drugs.endswith("te reduceren tot een minimum.")
    # An actie's text stops before the block about a verbonden partij (3.01).
    assert "Maatschappelijk rendement" not in els.set_index("code").at["3.01.03", "text"]


def test_bbv_indicators_2020_as_figures_with_their_source(shipped):
    doc = DOCUMENT.read_text(encoding="utf-8")
    table = pd.read_csv(BBV, dtype=str, keep_default_na=False)
    for row in table.itertuples():
        shown = row.waarde.replace(".", ",")
        line = next(words(x) for x in doc.splitlines() if f"1. Veiligheid {row.indicator} " in x)
        assert f" {row.peiljaar} " in line and f" {shown} " in f"{line} ", row.indicator
        assert line.rstrip().endswith(row.bron_in_document), row.indicator
    panels = plans.indicator_panels(shipped, PLAN_ID, "GM0153")
    assert sorted(panels) == ["5"]
    got = {p["indicator_id"]: p for p in panels["5"]}
    assert {i: p["values"].to_dict("records") for i, p in got.items()} == {
        "bbv_halt": [{"period": "2020", "value": 110.0}],
        "bbv_winkeldiefstal": [{"period": "2020", "value": 3.6}],
        "bbv_geweld": [{"period": "2020", "value": 4.9}],
        "bbv_woninginbraak": [{"period": "2020", "value": 2.7}],
        "bbv_vernielingen": [{"period": "2020", "value": 8.4}],
    }
    # The figures name Enschede's document, not the catalogue's Hengelo documents.
    assert {p["owner"] for p in got.values()} == {"Gemeente Enschede"}
    hengelo = plans.indicator_panels(shipped, HENGELO, "GM0164")
    assert {p["owner"] for p in hengelo["T4"] if p["indicator_id"] == "bbv_halt"} == {
        "Gemeente Hengelo"
    }


# ---------------------------------------------------------------- plans of a gemeente
@pytest.mark.parametrize(
    ("gemeente", "plan_ids"),
    [("GM0164", [HENGELO]), ("GM0153", [PLAN_ID]), ("GM0141", []), ("GM9999", [])],
)
def test_reads_filter_by_gemeente(shipped, gemeente, plan_ids):
    assert plans.plans(shipped, gemeente)["plan_id"].tolist() == plan_ids
    titles = plans.theme_titles(shipped, gemeente)
    acts = plans.all_actions(shipped, gemeente)
    if not plan_ids:
        assert plans.plan_for(shipped, gemeente) is None and titles == {} and acts.empty
    else:
        els = plans.elements(shipped, plan_ids[0])
        assert set(acts["code"]) == set(els.loc[els["kind"] == "actie", "code"])
        assert list(titles) == progress.themes(els)["code"].tolist()


def test_views_show_only_the_gemeentes_own_plan(shipped):
    hengelo = plans.elements(shipped, HENGELO)
    enschede = plans.elements(shipped, PLAN_ID)
    view = agenda.themas(shipped, "GM0153")
    text = " ".join([view.title, *view.sentences, *(t.frame.to_string() for t in view.tables)])
    assert view.title == "Voortgang Samenleving en bestuur"
    assert "11.663" in text and "21.108" in text  # the budgets per doel
    assert not [t for t in progress.themes(hengelo)["title"] if t in text]
    assert "Integraal veiligheidsbeleid Hengelo" not in text  # Enschede names Hengelo (3.01.03)
    beeld = agenda.veiligheidsbeeld(shipped, "GM0153")
    assert set(beeld.themes) == set(progress.themes(enschede)["code"])
    assert beeld.levels == ("Doel", "Subdoel")
    for view in (agenda.themas(shipped, "GM0141"), agenda.veiligheidsbeeld(shipped, "GM0141")):
        assert view.plan_text.startswith("Nog geen beleidsplan ingelezen voor Almelo.")
        assert "python -m dashboard import" in view.plan_text
        assert view.themes == {} and (view.actions is None or view.actions.empty)
        assert not view.table("themas")


def test_briefing_shows_the_own_plan_or_how_to_load_one(shipped):
    almelo = briefing.pdf_text(briefing.briefing_pdf(shipped, "GM0141", ("themas",)))
    assert "Nog geen beleidsplan ingelezen voor Almelo" in words(almelo)
    assert "Ondermijnende criminaliteit" not in almelo
    enschede = words(briefing.pdf_text(briefing.briefing_pdf(shipped, "GM0153", ("themas",))))
    assert "Samenleving en bestuur" in enschede and "11.663" in enschede
    assert "Integraal veiligheidsbeleid Hengelo" not in enschede


def test_progress_and_wijk_actions_stay_with_their_gemeente(db):
    engine, _, _ = db
    form = dict(
        status="loopt",
        owner="Team Veiligheid",
        note="Gestart",
        user="anna",
        role="redacteur",
        update_date=date(2024, 5, 1),
    )
    wijk = plans.actions_for_wijk  # the wijk's code names its gemeente: WK0153.. -> GM0153
    enschede_wijk = next(c for c in wijk_codes(engine, "GM0153"))
    plans.register_update(
        engine, plan_id=PLAN_ID, action_code="5.03.03", wijken=[enschede_wijk],
        gemeente="GM0153", **form,
    )  # fmt: skip
    assert wijk(engine, enschede_wijk)["code"].tolist() == ["5.03.03"]
    assert set(wijk(engine, enschede_wijk)["plan_id"]) == {PLAN_ID}
    assert wijk(engine, next(wijk_codes(engine, "GM0164"))).empty
    with pytest.raises(UpdateRefused) as exc:  # Enschede's plan from Hengelo's dashboard
        plans.register_update(
            engine, plan_id=PLAN_ID, action_code="5.03.03", gemeente="GM0164", **form
        )
    assert f"plan '{PLAN_ID}' is niet het plan van GM0164" in exc.value.summary()
    assert len(plans.updates(engine, PLAN_ID)) == 1


def wijk_codes(engine, gemeente: str):
    from dashboard.store import queries

    return iter(queries.areas(engine, "wijk", gemeente)["code"].tolist())

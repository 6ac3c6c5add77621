"""The integraal veiligheidsbeleid as data: the plan word for word, its indicator links, and
progress that is registered (never invented), validated and kept with its history."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.domain import progress
from dashboard.errors import ValidationError
from dashboard.ingest.importer import import_file
from dashboard.render import progress_html
from dashboard.store import plans, schema
from dashboard.store.writes import SourceInfo
from tests.conftest import ROOT, state, table_counts

BELEID = ROOT / "data" / "beleid"
PLAN = BELEID / "ivb_hengelo_2024_2026.csv"
LINKS = BELEID / "ivb_hengelo_2024_2026_indicatoren.csv"
DOCUMENT = BELEID / "ivb_hengelo_2024_2026_bron.txt"
PLAN_ID = "ivb-hengelo-2024-2026"
HEADER = "plan_id,soort,code,ouder,volgorde,titel,tekst,bron_pagina,gemeente,lasten\n"
ALREADY = "al aanwezig (zelfde release, niets veranderd)"

# Counted by hand in the document (gmb-2024-94270, §4.1-4.5): title, acties per doel.
EXPECTED = {
    "T1": ("Ondermijnende criminaliteit", [6, 3, 3, 2, 3]),
    "T2": ("Digitale veiligheid", [3, 4, 2, 2]),
    "T3": ("Zorg & Veiligheid", [3, 3, 1, 3, 3]),
    "T4": ("Jeugd & Veiligheid", [3, 2, 3, 4]),
    "T5": ("Maatschappelijke stabiliteit", [4, 2, 3, 1]),
}


@pytest.fixture
def plan_db(db):
    """The built database with the plan and its indicator links imported like a gemeente does."""
    engine, path, url = db
    import_file(engine, PLAN)
    import_file(engine, LINKS)
    return engine, path, url


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count_document(text: str) -> dict[str, dict]:
    """Doelen and acties per theme, read from the document itself (not from our CSV)."""
    out: dict[str, dict] = {}
    theme = mode = None
    for raw in text.splitlines():
        line = raw.strip()
        if m := re.match(r"^4\.(\d) (.+)$", line):
            theme, mode = f"T{m.group(1)}", None
            out[theme] = {"doelen": 0, "acties": []}
        elif theme and line == "Wat willen we bereiken?":
            mode = "doelen"
        elif theme and re.match(r"^(Wat gaan we hiervoor doen|Hoe gaa[nt] we dit doen)\?$", line):
            mode = "acties"
        elif mode == "doelen" and re.match(r"^•\s*\d+\.$", line):
            out[theme]["doelen"] += 1
        elif mode == "acties" and re.match(r"^\d+\.\s", line):
            out[theme]["acties"].append(0)
        elif mode == "acties" and re.match(r"^•\s", line):
            out[theme]["acties"][-1] += 1
    return out


# ---------------------------------------------------------------- the plan, word for word
def test_document_counts_are_what_we_expect():
    counted = count_document(DOCUMENT.read_text(encoding="utf-8"))
    assert {t: (c["doelen"], c["acties"]) for t, c in counted.items()} == {
        t: (len(per_doel), per_doel) for t, (_, per_doel) in EXPECTED.items()
    }


@pytest.mark.parametrize("theme", sorted(EXPECTED))
def test_counts_per_theme_match_the_document(plan_db, theme):
    engine, _, _ = plan_db
    els = plans.elements(engine, PLAN_ID)
    acts = progress.actions(els, plans.updates(engine, PLAN_ID))
    title, per_doel = EXPECTED[theme]
    assert els.set_index("code").at[theme, "title"] == title
    doelen = progress.children(els, theme, "doel")
    assert len(doelen) == len(per_doel)
    assert [int((acts["doel_code"] == d).sum()) for d in doelen["code"]] == per_doel
    assert len(progress.children(els, theme, "ambitie")) == 1


def test_totals_and_every_text_verbatim(plan_db):
    engine, _, _ = plan_db
    els = plans.elements(engine, PLAN_ID)
    kinds = els["kind"].value_counts().to_dict()
    assert kinds == {
        "plan": 1,
        "algemene_ambitie": 1,
        "pijler": 3,
        "vraagstuk": 14,
        "thema": 5,
        "ambitie": 5,
        "doel": 22,
        "actie": 63,
    }
    document = " ".join(DOCUMENT.read_text(encoding="utf-8").split())
    for row in els[els["kind"].isin(["ambitie", "doel", "actie"])].itertuples():
        assert " ".join(row.text.split()) in document, row.code
    # Nothing summarised away: the stored texts are the CSV's texts, byte for byte.
    csv = pd.read_csv(PLAN, dtype=str, keep_default_na=False).set_index("code")
    assert els.set_index("code")["text"].to_dict() == csv["tekst"].to_dict()


def test_shipped_data_registers_no_progress(plan_db):
    engine, _, _ = plan_db
    acts = progress.actions(plans.elements(engine, PLAN_ID), plans.updates(engine, PLAN_ID))
    assert set(acts["status"]) == {progress.NOT_REGISTERED}
    assert acts["owner"].isna().all() and acts["due_date"].isna().all()
    assert table_counts(engine)["policy_update"] == 0


def test_linked_indicators_exist_and_have_values(plan_db):
    engine, _, _ = plan_db
    panels = plans.indicator_panels(engine, PLAN_ID, "GM0164")
    assert sorted(panels) == ["T1", "T2", "T3", "T4", "T5"]
    ids = {p["indicator_id"] for ps in panels.values() for p in ps}
    for expected in ("pol_cybercrime_per1000", "pol_fraude_per1000", "pol_drugs_drank_per1000"):
        assert expected in ids
    assert {p["indicator_id"] for p in panels["T4"]} >= {
        "pol_vernieling_per1000",
        "pol_mishandeling_per1000",
    }
    for ps in panels.values():
        for p in ps:
            assert not p["values"].empty, p["indicator_id"]
            assert p["owner"] and p["period"]


def test_document_variants_that_disagree_are_not_drawn(db):
    engine, _, _ = db
    series = plans.indicator_series(engine, "bbv_vernielingen", "GM0164")
    row = series[series["period"] == "2017"].iloc[0]
    assert row["conflict"] and pd.isna(row["value"])
    assert "4,5" in row["documents"] and "5,8" in row["documents"]


# ---------------------------------------------------------------- import: idempotent, validated
def test_import_twice_changes_nothing(plan_db):
    engine, _, _ = plan_db
    before = state(engine)
    for f in (PLAN, LINKS):
        assert import_file(engine, f).status.startswith("al aanwezig")
    assert state(engine) == before


def test_manifest_import_then_upload_is_a_no_op(db):
    """Once the manifest lists the plan, a gemeente's (or a test's) import changes nothing."""
    engine, _, _ = db
    info = SourceInfo(
        "beleid-ivb-hengelo-2024-2026", "Gemeente Hengelo", "IVB", "IVB", "openbaar document"
    )
    for f in (PLAN, LINKS):  # "al aanwezig" already when data/bronnen.toml lists the plan
        assert import_file(engine, f, source_info=info).status in ("geïmporteerd", ALREADY)
    counts = table_counts(engine)
    assert import_file(engine, PLAN).status == ALREADY
    assert import_file(engine, LINKS).status == ALREADY
    assert table_counts(engine) == counts


def test_command_line_recognises_plan_files(db, monkeypatch, capsys):
    from dashboard.__main__ import main

    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["import", str(PLAN)]) == 0
    assert "formaat beleidsplan" in capsys.readouterr().out
    assert main(["import", str(LINKS)]) == 0
    assert "formaat beleidsindicatoren" in capsys.readouterr().out


GOOD = [
    "p-1,plan,IVB,,1,Plan,Plan 2030-2034.,,GM0164",
    "p-1,thema,T1,IVB,1,Thema,Thema.,",
    "p-1,ambitie,T1.A,T1,1,Ambitie,Ambitie.,",
    "p-1,doel,T1.D1,T1,1,Doel,Doel.,",
    "p-1,actie,T1.D1.X1,T1.D1,1,Actie,Actie.,",
]


@pytest.mark.parametrize(
    ("row", "line", "message"),
    [
        (4, "p-1,taak,T1.D1.X1,T1.D1,1,Actie,Actie.,", "soort 'taak' onbekend"),
        (4, "p-1,actie,T1.D1.X1,T1.D1,1,,Actie.,", "rij 6, kolom 'titel': 'titel' is leeg"),
        (4, "p-1,actie,T1.D1,T1.D1,1,Actie,Actie.,", "code 'T1.D1' staat ook op rij 5"),
        (4, "p-1,actie,T1.D1.X1,T9,1,Actie,Actie.,", "ouder 'T9' staat niet in het bestand"),
        (
            4,
            "p-1,actie,T1.D1.X1,T1.A,1,Actie,Actie.,",
            "een actie hoort onder een doel of subdoel of thema",
        ),
        (4, "p-1,actie,T1.D1.X1,T1.D1,een,Actie,Actie.,", "volgorde moet een geheel getal"),
        (5, "p-1,actie,T1.D1.X2,T1.D1,1,A,A.,", "volgorde 1 komt onder 'T1.D1' ook voor op rij 6"),
        (0, "p-1,thema,IVB,,1,Plan,Plan.,", "precies één rij met soort 'plan', gevonden: 0"),
        (1, "p-2,thema,T1,IVB,1,Thema,Thema.,", "gevonden plan_id: p-1, p-2"),
        (4, "p-1,actie,T1 D1 X1,T1.D1,1,Actie,Actie.,", "code 'T1 D1 X1' is ongeldig"),
        (0, "P 1,plan,IVB,,1,Plan,Plan.,", "gevonden plan_id: P 1, p-1"),
        (0, "p-1,plan,IVB,,1,Plan,Plan.,,GM9999", "rij 2, kolom 'gemeente': gemeente 'GM9999' is"),
        (0, "p-1,plan,IVB,,1,Plan,Plan.,,WK016400", "gemeente 'WK016400' is onbekend"),
        (0, "p-1,plan,IVB,,1,Plan,Plan.,,", "rij 2, kolom 'gemeente': 'gemeente' is leeg"),
        (1, "p-1,thema,T1,IVB,1,Thema,Thema.,,GM0153", "gemeente 'GM0153' verschilt van die"),
        (4, "p-1,actie,T1.D1.X1,T1.D1,1,Actie,Actie.,,,-5", "lasten '-5' is geen bedrag"),
        (4, 'p-1,actie,T1.D1.X1,T1.D1,1,Actie,Actie.,,,"1.234,5"', "kolom 'lasten': lasten:"),
    ],
)
def test_plan_rules(db, tmp_path, row, line, message):
    """One rule per row: the file is refused with that message and nothing changes."""
    engine, _, _ = db
    lines = [*GOOD]
    lines[row : row + 1] = [line]
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        import_file(engine, write(tmp_path, "plan.csv", HEADER + "\n".join(lines) + "\n"))
    assert message in exc.value.summary()
    assert state(engine) == before  # nothing changed


def test_a_plan_without_gemeente_column_is_refused_and_its_twin_loads(db, tmp_path):
    engine, _, _ = db
    old = "plan_id,soort,code,ouder,volgorde,titel,tekst,bron_pagina\n"
    lines = [line.removesuffix(",GM0164") for line in GOOD]
    with pytest.raises(ValidationError) as exc:
        import_file(engine, write(tmp_path, "oud.csv", old + "\n".join(lines) + "\n"))
    assert "rij 2, kolom 'gemeente': kolom 'gemeente' ontbreekt" in exc.value.summary()
    twin = [*GOOD[:4], "p-1,actie,T1.D1.X1,T1.D1,1,Actie,Actie.,,,12.5"]
    import_file(engine, write(tmp_path, "nieuw.csv", HEADER + "\n".join(twin) + "\n"))
    assert plans.plan_for(engine, "GM0164")["plan_id"] == "p-1"  # the newest of Hengelo's
    assert progress.budgets(plans.elements(engine, "p-1")) == {"T1.D1.X1": 12.5}
    assert plans.plan_for(engine, "GM0153")["plan_id"] != "p-1"


def test_a_good_small_plan_loads_with_semicolons(db, tmp_path):
    engine, _, _ = db
    text = (HEADER + "\n".join(GOOD) + "\n").replace(",", ";")
    result = import_file(engine, write(tmp_path, "eigen_plan.csv", text))
    assert (result.file_format, result.rows, result.source_key) == ("beleidsplan", 5, "beleid-p-1")
    assert progress.actions(plans.elements(engine, "p-1"), plans.updates(engine, "p-1"))[
        "theme_code"
    ].tolist() == ["T1"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{PLAN_ID},T9,pol_fraude_per1000", "thema 'T9' bestaat niet in plan"),
        (f"{PLAN_ID},T2,bestaat_niet", "indicator 'bestaat_niet' staat niet in de catalogus"),
        ("ander-plan,T2,pol_fraude_per1000", "plan 'ander-plan' staat niet in de database"),
        (f"{PLAN_ID},T2,pol_fraude_per1000\n{PLAN_ID},T2,pol_fraude_per1000", "al gekoppeld"),
        (f"{PLAN_ID},,pol_fraude_per1000", "'thema' is leeg"),
    ],
)
def test_link_rules(plan_db, tmp_path, row, message):
    engine, _, _ = plan_db
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        import_file(engine, write(tmp_path, "links.csv", f"plan_id,thema,indicator\n{row}\n"))
    assert message in exc.value.summary()
    assert state(engine) == before


def test_link_file_replaces_the_links_of_its_plan(plan_db, tmp_path):
    engine, _, _ = plan_db
    import_file(
        engine,
        write(tmp_path, "links.csv", f"plan_id,thema,indicator\n{PLAN_ID},T2,pol_fraude_per1000\n"),
    )
    links = plans.indicator_links(engine, PLAN_ID)
    assert links[["theme_code", "indicator_id"]].values.tolist() == [["T2", "pol_fraude_per1000"]]


def test_new_plan_version_keeps_acties_with_progress(plan_db, tmp_path):
    engine, _, _ = plan_db
    register(engine)
    text = PLAN.read_text(encoding="utf-8")
    shorter = "\n".join(line for line in text.splitlines() if ",T2.D1.X1," not in line) + "\n"
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        import_file(engine, write(tmp_path, "ivb_nieuw.csv", shorter))
    assert "actie 'T2.D1.X1' heeft geregistreerde voortgang" in exc.value.summary()
    assert state(engine) == before


def test_new_plan_version_without_progress_replaces_elements(plan_db, tmp_path):
    engine, _, _ = plan_db
    text = PLAN.read_text(encoding="utf-8")
    shorter = "\n".join(line for line in text.splitlines() if ",T2.D1.X1," not in line) + "\n"
    result = import_file(engine, write(tmp_path, "ivb_nieuw.csv", shorter))
    assert result.status == "geïmporteerd" and "1 onderdelen" in result.notices[0]
    assert "T2.D1.X1" not in set(plans.elements(engine, PLAN_ID)["code"])


# ---------------------------------------------------------------- registering progress
def register(engine, **changes):
    values = dict(
        plan_id=PLAN_ID,
        action_code="T2.D1.X1",
        status="loopt",
        owner="Team Informatiebeveiliging",
        note="BIO-maatregelen in uitvoering",
        user="anna",
        role="redacteur",
        update_date=date(2025, 3, 1),
        due_date=date(2025, 12, 31),
        wijken=["WK016400"],
        gemeente="GM0164",
        today=date(2025, 6, 1),
    )
    values.update(changes)
    return plans.register_update(engine, **values)


def test_update_is_stored_with_history_and_becomes_current(plan_db):
    engine, _, _ = plan_db
    first = register(engine)
    second = register(
        engine, status="vertraagd", note="Leverancier later", user="bob", role="beheerder",
        update_date=date(2025, 5, 1), wijken=[],
    )  # fmt: skip
    upd = plans.updates(engine, PLAN_ID)
    assert upd["id"].tolist() == [first, second]
    assert upd["user_name"].tolist() == ["anna", "bob"]
    now = progress.current(progress.actions(plans.elements(engine, PLAN_ID), upd), "T2.D1.X1")
    assert (now["status"], now["note"], now["wijken"]) == ("vertraagd", "Leverancier later", [])
    assert now["due_date"] == date(2025, 12, 31)
    hist = progress.history_view(upd, {"T2.D1.X1": "Maatregelen"}, {"WK016400": "Binnenstad"})
    assert hist["Datum"].tolist() == ["1 mei 2025", "1 maart 2025"]  # newest first, Dutch dates
    assert hist["Waar"].tolist() == ["–", "Binnenstad"]


def test_backdated_update_does_not_override_a_newer_one(plan_db):
    engine, _, _ = plan_db
    register(engine, status="afgerond", update_date=date(2025, 5, 1))
    register(engine, status="loopt", update_date=date(2025, 2, 1), note="Nagekomen verslag")
    acts = progress.actions(plans.elements(engine, PLAN_ID), plans.updates(engine, PLAN_ID))
    assert progress.current(acts, "T2.D1.X1")["status"] == "afgerond"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": None}, "Status: kies een status"),
        ({"status": "klaar"}, "Status: kies een status"),
        ({"owner": "  "}, "Eigenaar of partner: vul de eigenaar of partner in"),
        ({"note": ""}, "Toelichting: beschrijf wat er is gebeurd"),
        ({"note": "x" * 5000}, "Toelichting: hoogstens 4000 tekens"),
        ({"update_date": None}, "Datum van de update: vul de datum van de update in"),
        ({"update_date": date(2025, 6, 2)}, "ligt in de toekomst"),
        ({"action_code": "T2.D1"}, "actie 'T2.D1' bestaat niet"),
        ({"wijken": ["WK099900"]}, "onbekende wijk 'WK099900'"),
        ({"wijken": ["WK015300"]}, "onbekende wijk 'WK015300'"),  # a wijk of Enschede
        ({"role": None}, "alleen een ingelogde redacteur"),
        ({"role": "redacteur", "user": ""}, "alleen een ingelogde redacteur"),
    ],
)
def test_incomplete_update_is_refused_and_nothing_stored(plan_db, changes, message):
    engine, _, _ = plan_db
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        register(engine, **changes)
    assert message in exc.value.summary()
    assert exc.value.summary().endswith("Er is niets opgeslagen.")
    assert state(engine) == before


def test_all_problems_are_listed_at_once(plan_db):
    engine, _, _ = plan_db
    with pytest.raises(progress.UpdateRefused) as exc:
        register(engine, status=None, owner="", note="")
    assert len(exc.value.problems) == 3


def test_html_is_stored_as_text(plan_db):
    engine, _, _ = plan_db
    note = "<script>alert(1)</script> **vet** ![x](http://example.com/x.png)"
    register(engine, note=note)
    assert plans.updates(engine, PLAN_ID)["note"].tolist() == [note]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.policy_update)).scalar() == 1


def test_actions_for_wijk(plan_db):
    engine, _, _ = plan_db
    register(engine, action_code="T5.D3.X1", wijken=["WK016400", "WK016401"])
    register(engine, action_code="T2.D1.X1", wijken=["WK016401"])
    register(engine, action_code="T2.D1.X1", wijken=["WK016400"], update_date=date(2025, 4, 1))
    rows = plans.actions_for_wijk(engine, "WK016400")
    assert rows["code"].tolist() == ["T2.D1.X1", "T5.D3.X1"]  # document order
    assert rows["theme"].tolist() == ["Digitale veiligheid", "Maatschappelijke stabiliteit"]
    assert plans.actions_for_wijk(engine, "WK016401")["code"].tolist() == ["T5.D3.X1"]
    assert plans.actions_for_wijk(engine, "BU01640000")["code"].tolist() == [
        "T2.D1.X1",
        "T5.D3.X1",
    ]
    assert plans.actions_for_wijk(engine, "WK016409").empty


# ---------------------------------------------------------------- pure functions
def frame(statuses: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        {"theme_code": t, "doel_code": f"{t}.D1", "code": f"{t}.{i}", "status": s}
        for t, ss in statuses.items()
        for i, s in enumerate(ss)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (
            {"T1": [progress.NOT_REGISTERED] * 3},
            "3 acties: 3 nog geen voortgang geregistreerd (100%).",
        ),
        ({"T1": ["loopt", "afgerond", "loopt"]}, "3 acties: 1 afgerond (33%), 2 loopt (67%)."),
        ({"T1": ["vervallen"]}, "1 actie: 1 vervallen (100%)."),
        ({"T1": []}, "Geen acties."),
    ],
)
def test_status_sentence(statuses, expected):
    acts = frame(statuses) if statuses["T1"] else pd.DataFrame(columns=["status"])
    assert progress.status_sentence(acts) == expected


def test_shares_per_group_add_up():
    acts = frame({"T1": ["loopt", "afgerond", "loopt", "vertraagd"], "T2": ["niet gestart"]})
    long = progress.shares(acts, "theme_code")
    assert set(long["status"]) == set(progress.STATUS_ORDER)
    assert long.groupby("group")["share"].sum().round(9).tolist() == [1.0, 1.0]
    t1 = long[long["group"] == "T1"].set_index("status")
    assert (t1.at["loopt", "n"], t1.at["loopt", "share"]) == (2, 0.5)
    table = progress.share_table(acts, "theme_code", {"T1": "T1 Eén"}, "Thema")
    assert table.iloc[0].to_dict()["loopt"] == "2 (50%)" and table.iloc[1]["Thema"] == "T2"


def test_status_colours_are_okabe_ito_and_distinct():
    assert set(progress.STATUS_ORDER) == {*progress.STATUSES, progress.NOT_REGISTERED}
    colours = [progress.STATUS_COLOURS[s] for s in progress.STATUS_ORDER]
    assert len(set(colours)) == len(colours)
    assert {"#009E73", "#0072B2", "#E69F00", "#CC79A7"} <= set(colours)


def test_figures_escape_plan_text_and_print_the_status():
    hostile = "<img src=x onerror=alert(1)>"
    els = pd.DataFrame(
        [
            ("IVB", "plan", None, 1, hostile, hostile),
            ("T1", "thema", "IVB", 1, hostile, hostile),
            ("T1.D1", "doel", "T1", 1, hostile, hostile),
            ("T1.D1.X1", "actie", "T1.D1", 1, hostile, hostile),
            ("T2", "thema", "IVB", 2, "Twee", "Twee"),
        ],
        columns=["code", "kind", "parent_code", "position", "title", "text"],
    )
    acts = progress.actions(els, pd.DataFrame(columns=plans.UPDATE_COLUMNS))
    for themes in (["T1"], ["T1", "T2"]):  # one theme, and the overview
        tree = progress_html.tree(els, acts, themes, f"Doelenboom {hostile}")
        assert "<img" not in tree and "&lt;img" in tree
        assert progress.NOT_REGISTERED in tree
        assert {"T1.D1", "T1.D1.X1"} <= set(re.findall(r"<b>([^<]+)</b>", tree))
        assert ("<b>T2</b>" in tree) == (themes != ["T1"])
    bars = progress_html.bars(progress.shares(acts, "theme_code"), {"T1": hostile}, hostile)
    assert "<img" not in bars and "&lt;img" in bars
    assert progress.NOT_REGISTERED in bars  # the legend names every status
    for status in progress.STATUS_ORDER:
        assert f"{status}</li>" in bars


def test_beleid_readme_documents_the_formats_and_statuses():
    readme = (BELEID / "README.md").read_text(encoding="utf-8")
    for word in (*progress.STATUSES, "plan_id", "thema", "indicator", "redacteur"):
        assert word in readme, word

"""Excel in and out (issue 14): the template and the plan format as .xlsx import like their CSV
twins; the voortgangsrapportage round trip is all-or-nothing; downloads never carry a formula;
hostile workbooks are refused in Dutch."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from dashboard.__main__ import main
from dashboard.domain import progress, report
from dashboard.domain.parsing import ParseError, parse_date
from dashboard.errors import ValidationError
from dashboard.ingest import voortgang, xlsx
from dashboard.ingest.importer import import_file, import_upload
from dashboard.render.xlsx import grid_cells, table_xlsx, voortgang_xlsx
from dashboard.store import plans
from tests.conftest import ROOT, state

TEMPLATE = ROOT / "data" / "sjabloon_indicatoren.csv"
PLAN = ROOT / "data" / "beleid" / "ivb_hengelo_2024_2026.csv"
TODAY = date(2026, 6, 1)

# Clearly synthetic figures of a gemeente's own survey, in the long template.
TEMPLATE_ROWS = [
    {"indicator": "proef_xl", "gebied": "GM0164", "periode": "2023", "waarde": 7.4, "marge": 1.2},
    {"indicator": "proef_xl", "gebied": "WK016400", "periode": "2023", "waarde": 12.5},
    {"indicator": "proef_xl", "gebied": "GM0153", "periode": 2024, "waarde": "3,25"},
]
META = {"naam": "Proef Excel", "eenheid": "%", "beter": "lager", "definitie": "Synthetisch"}


def workbook(rows: list[list], sheet: str = "Blad1", extra: dict | None = None) -> bytes:
    """A workbook as Excel saves it; a text starting with '=~' is a text cell '=...' (openpyxl
    would write '=...' as a formula)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=~"):
                cell.value = "=" + cell.value[2:]
                cell.data_type = "s"
    for name, more in (extra or {}).items():
        other = wb.create_sheet(name)
        for r in more:
            other.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_header() -> list[str]:
    return next(csv.reader(TEMPLATE.read_text(encoding="utf-8").splitlines()))


def template_pair(tmp_path):
    """The same rows as CSV (decimal point, ',') and as .xlsx (number cells, one text cell with
    a decimal comma); header from the shipped template."""
    header = template_header()
    full = [{**META, **r} for r in TEMPLATE_ROWS]
    csv_path = tmp_path / "eigen.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in full:
            w.writerow([str(r.get(c, "")).replace("3,25", "3.25") for c in header])
    xlsx_path = tmp_path / "eigen.xlsx"
    xlsx_path.write_bytes(workbook([header, *[[r.get(c) for c in header] for r in full]]))
    return csv_path, xlsx_path


def observations(engine, indicator: str) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "select area_code, period, value, lower, upper from observation "
                "where indicator_id = :i and current order by area_code, period"
            ),
            {"i": indicator},
        ).all()


# ---------------------------------------------------------------- the template and the plan
def test_template_as_xlsx_imports_like_its_csv_twin(db, tmp_path):
    engine, _, url = db
    csv_path, xlsx_path = template_pair(tmp_path)
    before = state(engine)
    import_file(engine, csv_path, dry_run=True)
    assert state(engine) == before
    import_file(engine, csv_path)
    from_csv = observations(engine, "proef_xl")
    assert [r[0] for r in from_csv] == ["GM0153", "GM0164", "WK016400"]
    with engine.begin() as conn:
        conn.execute(text("delete from observation where indicator_id = 'proef_xl'"))
    result = import_file(engine, xlsx_path)
    assert result.rows == 3 and "blad Blad1" in result.file_name
    assert observations(engine, "proef_xl") == from_csv
    assert from_csv[1][2:] == pytest.approx((7.4, 6.2, 8.6))


def test_template_on_a_named_sheet_by_the_command_line(db, tmp_path, monkeypatch, capsys):
    engine, _, url = db
    header = template_header()
    rows = [[{**META, **TEMPLATE_ROWS[0]}.get(c) for c in header]]
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(workbook([["toelichting"], ["niets"]], "Uitleg", {"Cijfers": [header, *rows]}))
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["import", str(path), "--blad", "Cijfers", "--dry-run"]) == 0
    assert "proef (niets opgeslagen)" in capsys.readouterr().out
    first = workbook([header, *rows], "Cijfers", {"Uitleg": [["toelichting"], ["niets"]]})
    result = import_upload(engine, "twee.xlsx", first, dry_run=True)
    assert "2 bladen (Cijfers, Uitleg); het eerste is gelezen" in result.notices[-1]
    assert main(["import", str(path), "--blad", "Bestaatniet"]) == 2
    assert "blad 'Bestaatniet' bestaat niet in deze werkmap; bladen: 'Uitleg', 'Cijfers'" in (
        capsys.readouterr().err
    )
    assert main(["import", str(path), "--blad", "Cijfers"]) == 0
    assert len(observations(engine, "proef_xl")) == 1
    plain = tmp_path / "eigen.csv"
    plain.write_text(";".join(header) + "\n", encoding="utf-8")
    assert main(["import", str(plain), "--blad", "Cijfers"]) == 2
    assert "kan alleen bij een Excel-werkmap" in capsys.readouterr().err


def test_a_bad_cell_names_sheet_row_and_column(db, tmp_path):
    engine, _, _ = db
    header = template_header()
    good = [{**META, **r}.get(c) for r in TEMPLATE_ROWS[:1] for c in header]
    bad = [{**META, **TEMPLATE_ROWS[1], "waarde": "1.234,5"}.get(c) for c in header]
    data = workbook([["Eigen cijfers 2023"], [], header, good, bad, [], ["Bron: enquête"]])
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        import_upload(engine, "eigen.xlsx", data)
    summary = exc.value.summary()
    assert "bestand eigen.xlsx, blad Blad1, rij 5, kolom 'waarde'" in summary, summary
    assert state(engine) == before


def test_plan_format_as_xlsx_is_the_same_plan(db, tmp_path):
    engine, _, _ = db
    rows = list(csv.reader(PLAN.read_text(encoding="utf-8").splitlines()))
    plan_id = rows[1][0]
    els = plans.elements(engine, plan_id)
    path = tmp_path / "ivb_hengelo.xlsx"
    # volgorde as number cells, as Excel stores a typed number
    typed = [rows[0], *[[int(v) if v.isdigit() else v for v in r] for r in rows[1:]]]
    path.write_bytes(workbook(typed, "Plan"))
    result = import_file(engine, path)
    assert result.file_format == "beleidsplan" and result.status == "geïmporteerd"
    again = plans.elements(engine, plan_id)
    assert again.drop(columns="lasten").equals(els.drop(columns="lasten"))


# ---------------------------------------------------------------- hostile workbooks
def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def with_formula() -> bytes:
    header = template_header()
    row = [{**META, **TEMPLATE_ROWS[0]}.get(c) for c in header]
    row[header.index("waarde")] = "=1+1"  # openpyxl writes a formula cell
    return workbook([header, row])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.xlsm", workbook([["a", "b"], [1, 2]]), "met macro's (.xlsm) worden niet ingelezen"),
        ("x.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "versleuteld"),
        ("x.xlsx", b"indicator;gebied\nx;y\n", "dit is geen Excel-werkmap"),
        ("x.xlsx", b"PK\x03\x04 kapot", "beschadigd"),
        ("x.xlsx", zipped({"a.txt": b"x"}), "de onderdelen van een werkmap ontbreken"),
        (
            "x.xlsx",
            zipped({"[Content_Types].xml": b"", "xl/vbaProject.bin": b""}),
            "bevat macro's (VBA)",
        ),
        ("x.xlsx", with_formula(), "cel D2 bevat een formule"),
        ("x.xlsx", workbook([]), "het blad is leeg"),
    ],
)
def test_hostile_workbooks_are_refused_in_dutch(db, name, data, message):
    engine, _, _ = db
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        import_upload(engine, name, data)
    assert message in exc.value.summary()
    assert state(engine) == before


def test_huge_sheet_and_zip_bomb_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
    data = workbook([["a", "b"]] + [[i, i] for i in range(60)])
    with pytest.raises(ValidationError, match="meer dan 50 rijen"):
        xlsx.to_csv(data, "groot.xlsx")
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)
    bomb = zipped({"[Content_Types].xml": b"", "xl/x.xml": b"0" * 10_000})
    with pytest.raises(ValidationError, match="uitgepakt groter dan"):
        xlsx.to_csv(bomb, "bom.xlsx")


def test_cells_become_the_text_a_dutch_csv_holds():
    data = workbook(
        [
            ["Titel"],
            ["a", "b", "c", "d", "e"],
            [7.4, 12, "3,5", datetime(2024, 3, 31), None],
            [0.1 + 0.2, -1e-7, "=~HYPERLINK(1)", True, "x;y"],
            [],
            [None, None],
        ]
    )
    label, out = xlsx.to_csv(data, "w.xlsx")
    assert label == "w.xlsx, blad Blad1"
    assert out.decode().splitlines() == [
        "Titel",
        "a;b;c;d;e",
        "7,4;12;3,5;2024-03-31;",
        '0,3;-1e-07;=HYPERLINK(1);1;"x;y"',
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 3, 31, 0, 0), date(2024, 3, 31)),
        (date(2024, 3, 31), date(2024, 3, 31)),
        (45382, date(2024, 3, 31)),  # Excel's day number
        (45382.5, date(2024, 3, 31)),
        ("31-03-2024", date(2024, 3, 31)),
        ("1/4/2024", date(2024, 4, 1)),
        ("2024-03-31", date(2024, 3, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_a_spreadsheet_holds_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31-02-2024", "geen bestaande datum"),
        ("maart 2024", "geen datum"),
        (-5, "geen datum"),
        ("01-01-1800", "onwaarschijnlijk"),
        (True, "geen datum"),
    ],
)
def test_bad_dates_are_refused(value, message):
    with pytest.raises(ParseError, match=message):
        parse_date(value)


# ---------------------------------------------------------------- downloads
def test_xlsx_download_neutralises_formulas_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "=Gebied": ['=HYPERLINK("http://x","klik")', "+1", "@SUM(A1)", "Hengelo"],
            "Waarde": [1.5, 2.0, None, -3.25],
        }
    )
    ws = load_workbook(io.BytesIO(table_xlsx(frame))).active
    assert ws["A1"].value == "'=Gebied" and ws["A1"].data_type == "s"
    texts = [ws[f"A{i}"] for i in range(2, 6)]
    assert [c.value for c in texts] == [
        '\'=HYPERLINK("http://x","klik")',
        "'+1",
        "'@SUM(A1)",
        "Hengelo",
    ]
    assert all(c.data_type == "s" for c in texts)
    assert [ws[f"B{i}"].value for i in range(2, 6)] == [1.5, 2.0, None, -3.25]


# ---------------------------------------------------------------- the voortgangsrapportage
def download(engine, gemeente: str = "GM0164") -> tuple[dict, bytes]:
    plan = plans.plan_for(engine, gemeente)
    els = plans.elements(engine, plan["plan_id"])
    acts = progress.actions(els, plans.updates(engine, plan["plan_id"]))
    titles = dict(zip(els["code"], els["title"], strict=True))
    version = plans.progress_version(engine)[0]
    info = report.instructions(plan["plan_id"], plan["title"], gemeente, "Hengelo", version)
    return plan, voortgang_xlsx(report.rows(acts, titles), info)


def fill(data: bytes, changes: dict[int, dict[str, object]], extra_rows=()) -> bytes:
    """The downloaded workbook with cells changed by row number and column name."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[report.SHEET]
    col = {c.value: c.column for c in ws[1]}
    for row, cells in changes.items():
        for name, value in cells.items():
            cell = ws.cell(row=row, column=col[name], value=value)
            if isinstance(value, str) and value.startswith("=~"):
                cell.value, cell.data_type = "=" + value[2:], "s"
    for r in extra_rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def apply(engine, plan, data, **kwargs):
    args = dict(plan_id=plan["plan_id"], gemeente="GM0164", user="anna", role="redacteur")
    return voortgang.apply(engine, data, "voortgang.xlsx", **(args | kwargs), today=TODAY)


FILLED = {
    2: {"Status": "loopt", "Eigenaar of partner": "Team Ondermijning",
        "Datum van de update": datetime(2026, 3, 31), "Toelichting": "Gestart in maart"},
    3: {"Status": "afgerond", "Eigenaar of partner": "Politie",
        "Datum van de update": "15-04-2026", "Toelichting": "Verslag in Corsa 26.001"},
    5: {"Status": "Vertraagd", "Eigenaar of partner": "=~Zorgteam",
        "Datum van de update": 46100, "Toelichting": "Wacht op subsidie"},
}  # fmt: skip


def test_the_download_has_every_actie_a_status_list_and_instructions(db):
    engine, _, _ = db
    plan, data = download(engine)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[report.SHEET]
    assert [c.value for c in ws[1]] == report.COLUMNS
    acts = plans.all_actions(engine, "GM0164")
    assert [ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)] == list(acts["code"])
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert lists and "afgerond" in lists[0].formula1 and "E2" in str(lists[0].sqref)
    info = {r[0].value: r[1].value for r in wb[report.INFO_SHEET].iter_rows() if r[0].value}
    assert info[report.PLAN_LABEL] == plan["plan_id"] and info[report.GEMEENTE_LABEL] == "GM0164"


def test_a_filled_rapportage_updates_several_acties_in_one_upload(db):
    engine, _, _ = db
    plan, data = download(engine)
    result = apply(engine, plan, fill(data, FILLED))
    assert result.summary().startswith("3 acties bijgewerkt")
    acts = plans.all_actions(engine, "GM0164").set_index("code")
    codes = list(acts.index)
    assert acts.loc[codes[0], "status"] == "loopt"
    assert acts.loc[codes[1], ["status", "update_date"]].tolist() == ["afgerond", date(2026, 4, 15)]
    assert acts.loc[codes[3], ["status", "owner", "update_date"]].tolist() == [
        "vertraagd",
        "=Zorgteam",  # stored as typed; the next download neutralises it
        date(2026, 3, 19),  # Excel day 46100
    ]
    assert acts.loc[codes[2], "status"] == progress.NOT_REGISTERED
    upd = plans.updates(engine, plan["plan_id"])
    assert len(upd) == 3 and set(upd["user_name"]) == {"anna"}
    # The next download holds these states; uploading it unchanged changes nothing.
    _, again = download(engine)
    assert load_workbook(io.BytesIO(again))[report.SHEET]["F5"].value == "'=Zorgteam"
    before = state(engine)
    assert apply(engine, plan, again).changed == []
    assert state(engine) == before
    # One changed row: one new update, the other acties keep theirs.
    apply(engine, plan, fill(again, {2: {"Toelichting": "Halverwege"}}))
    assert len(plans.updates(engine, plan["plan_id"])) == 4


def test_a_file_older_than_an_update_of_its_actie_does_not_overwrite_it(db):
    """Two people download the rapportage; the second upload may not undo the first one's
    update of the same actie unseen. Other acties in the older file are fine."""
    engine, _, _ = db
    plan, data = download(engine)
    apply(engine, plan, fill(data, {2: FILLED[2]}), user="bob")
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        apply(engine, plan, fill(data, {2: {**FILLED[2], "Status": "vertraagd"}, 3: FILLED[3]}))
    summary = exc.value.summary()
    assert "rij 2, kolom 'Status'" in summary and "door bob, status loopt" in summary, summary
    assert len(exc.value.problems) == 1 and state(engine) == before
    assert apply(engine, plan, fill(data, {3: FILLED[3]})).changed  # another actie: stored


@pytest.mark.parametrize(
    ("changes", "extra", "where", "message"),
    [
        ({4: {"Status": "klaar"}}, (), "rij 4, kolom 'Status'", "status 'klaar' onbekend"),
        (
            {4: {"Datum van de update": "31-13-2026"}},
            (),
            "rij 4, kolom 'Datum van de update'",
            "geen bestaande datum",
        ),
        (
            {4: {"Datum van de update": datetime(2026, 7, 1)}},
            (),
            "rij 4, kolom 'Datum van de update'",
            "ligt in de toekomst",
        ),
        ({4: {"Actie": "T9.X9"}}, (), "rij 4, kolom 'Actie'", "actie 'T9.X9' bestaat niet"),
        ({4: {"Toelichting": ""}}, (), "rij 4, kolom 'Toelichting'", "beschrijf wat er is"),
        ({}, [["T1.D1.X1"]], "rij 65, kolom 'Actie'", "staat ook op rij 2; één rij per actie"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(db, changes, extra, where, message):
    engine, _, _ = db
    plan, data = download(engine)
    first = load_workbook(io.BytesIO(data))[report.SHEET]["A2"].value
    row4 = {"Status": "loopt", "Eigenaar of partner": "Wijkteam",
            "Datum van de update": date(2026, 5, 1), "Toelichting": "Bezig"}  # fmt: skip
    filled = {**FILLED, 4: row4 | changes.get(4, {})}
    extra = [[first] + list(r[1:]) for r in extra]
    before = state(engine)
    with pytest.raises(ValidationError) as exc:
        apply(engine, plan, fill(data, filled, extra))
    summary = exc.value.summary()
    assert f"bestand voortgang.xlsx, blad Voortgang, {where}" in summary, summary
    assert message in summary and summary.endswith("Er is niets in de database veranderd.")
    assert len(exc.value.problems) == 1  # the good rows are fine, only the bad one is named
    assert state(engine) == before


def test_the_rapportage_of_another_gemeente_or_without_the_role_is_refused(db):
    engine, _, _ = db
    plan, data = download(engine)
    filled = fill(data, FILLED)
    before = state(engine)
    other = plans.plan_for(engine, "GM0153")
    with pytest.raises(ValidationError, match="hoort bij plan"):
        apply(engine, other, filled, gemeente="GM0153")
    with pytest.raises(ValidationError, match="alleen een ingelogde redacteur"):
        apply(engine, plan, filled, role=None)
    with pytest.raises(ValidationError, match="kolom\\(men\\) ontbreken: 'Status'"):
        apply(engine, plan, workbook([["Actie", "Eigenaar of partner"], ["x", "y"]]))
    assert state(engine) == before


def test_a_grid_as_xlsx_keeps_its_row_labels_and_leaves_out_sparklines():
    grid = pd.DataFrame(
        {"2023": [3, 0], "Verloop": [[1.0, 2.5], [0.5, 0.7]], "Eenheid": ["=1+1", "%"]},
        index=pd.Index(["Misdrijven", "Inbraak"], name="Indicator"),
    )
    ws = load_workbook(io.BytesIO(table_xlsx(grid_cells(grid)))).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows == [
        ["Indicator", "2023", "Eenheid"],
        ["Misdrijven", 3, "'=1+1"],
        ["Inbraak", 0, "%"],
    ]
    plain = pd.DataFrame({"Gebied": ["Centrum"], "Waarde": [7.4]})
    assert grid_cells(plain).equals(plain)  # a numbered index is no row label

"""CBS and politie tables as the R package cbsodataR returns them, saved with write.csv or
write.csv2: an unnamed first column of row names, `<dim>_label`, `Perioden_Date` and
`Perioden_freq` beside the codes, NA for a missing value. And CBS tables without a Perioden
column (the period belongs to the table), refused with a message that says so, and read through
a manifest entry.

Rows are copied from shipped real files: data/bronnen/indicatoren/politie_47018NED_hengelo_
buurten_2023.csv (Hengelo buurten, total crime 2023), tests/fixtures/real/odata_83648NED_untyped_
excerpt.csv (gemeenten 2015) and cbs_84468NED_misdrijven_wijken_buurten_2018_twente.csv
(PROVENANCE.md). Where a value is made up, the test says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.errors import ValidationError
from dashboard.ingest.csvrows import drop_row_numbers
from dashboard.ingest.importer import import_file
from dashboard.ingest.readers import detect_kind, read_table
from dashboard.ingest.statline import cbs_decimal, companion_columns
from tests.conftest import state

# (code, label, value) of Hengelo buurten in 47018NED, 2023, totaal misdrijven (0.0.0).
HENGELO_2023 = [
    ("BU01640000", "Binnenstad-Centrum", "717"),
    ("BU01640001", "Binnenstad-West", "91"),
    ("BU01640002", "Binnenstad-Oost", "55"),
    ("BU01640100", "Hengelose Es-Noord", "128"),
]
R_HEADER = [
    "",
    "SoortMisdrijf",
    "SoortMisdrijf_label",
    "WijkenEnBuurten",
    "WijkenEnBuurten_label",
    "Perioden",
    "Perioden_label",
    "Perioden_Date",
    "Perioden_freq",
    "GeregistreerdeMisdrijven_1",
]


def r_csv(header: list[str], rows: list[list[str]], sep: str = ",") -> str:
    """As R's write.csv (sep ',') or write.csv2 (sep ';') writes it: every string quoted,
    numbers and NA bare."""

    def field(v: str) -> str:
        bare = v == "NA" or v.replace(".", "", 1).replace(",", "", 1).lstrip("-").isdigit()
        return v if bare and v else f'"{v}"'

    lines = [sep.join(f'"{h}"' for h in header)]
    lines += [sep.join(field(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def politie_rows(names=None, values=None, period="2023JJ00") -> list[list[str]]:
    """Rows of R_HEADER; `names` are R's row names (default 1, 2, ...)."""
    names = names or [str(i) for i in range(1, len(HENGELO_2023) + 1)]
    values = values or [v for _, _, v in HENGELO_2023]
    date = f"{period[:4]}-01-01"
    return [
        [n, "0.0.0   ", "Totaal misdrijven", code, label, period, period[:4], date, "Y", value]
        for n, (code, label, _), value in zip(names, HENGELO_2023, values, strict=True)
    ]


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def imported(engine, file_name: str, indicator: str) -> dict[tuple[str, str], float]:
    """{(area, period): value} of the current observations this file wrote for an indicator."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select o.area_code, o.period, o.value from observation o join release r "
                "on r.id = o.release_id where r.file_name = :f and o.indicator_id = :i "
                "and o.current"
            ),
            {"f": file_name, "i": indicator},
        ).all()
    return {(a, p): v for a, p, v in rows}


# --- the building blocks, one row per case ---------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first_column", "dropped"),
    [
        (["", "Perioden"], ["1", "2", "3"], True),  # R's write.csv
        (["", "Perioden"], ["0", "1", "2"], True),  # pandas' to_csv index
        (["", "Perioden"], ["47", "59", "83"], True),  # R after filtering rows
        (["", "Perioden"], ["3", "1", "2"], True),  # R after sorting
        (["X", "Perioden"], ["1", "2", "3"], False),  # a named column is data
        (["", "Perioden"], ["1", "1", "2"], False),  # repeated: no row names
        (["", "Perioden"], ["1", "2", "a"], False),
        (["", "Perioden"], ["1", "2", "１"], False),  # fullwidth digit is no number
        ([""], ["1", "2"], False),  # nothing would be left
    ],
)
def test_drop_row_numbers(header, first_column, dropped):
    body = [(i + 2, [v] + ["2023JJ00"] * (len(header) - 1)) for i, v in enumerate(first_column)]
    new_header, new_body, found = drop_row_numbers(header, body)
    assert found is dropped
    assert new_header == (header[1:] if dropped else header)
    assert [line for line, _ in new_body] == [line for line, _ in body]
    assert all(len(r) == len(new_header) for _, r in new_body)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            R_HEADER[1:],
            {1: "SoortMisdrijf", 3: "WijkenEnBuurten", 5: "Perioden", 6: "Perioden", 7: "Perioden"},
        ),
        # lower-case date column (older cbsodataR), a unit column beside a topic
        (
            ["Perioden", "Perioden_date", "Waarde_1", "Waarde_1_unit"],
            {1: "Perioden", 3: "Waarde_1"},
        ),
        # a topic key ends in a number: never a companion
        (["Gemeentenaam", "Gemeentenaam_1"], {}),
        # a label without its code column is no companion (it is reported as what it is)
        (["WijkenEnBuurten_label", "Perioden"], {}),
    ],
)
def test_companion_columns(header, expected):
    assert companion_columns(header) == expected


@pytest.mark.parametrize(
    ("header", "row", "kind"),
    [
        (R_HEADER[1:], politie_rows()[0][1:], "cbs_odata"),  # cbsodataR: no ID column
        (
            ["ID", "WijkenEnBuurten", "Perioden", "X_1"],
            ["1", "BU01640000", "2023JJ00", "5"],
            "cbs_odata",
        ),
        (["ID", "RegioS", "Perioden", "X_1"], ["1", "Hengelo", "2023", "5"], "cbsodata"),
        (["WijkenEnBuurten", "Perioden", "X_1"], ["Hengelo", "2023", "5"], "cbsodata"),
        (["Regio's", "Perioden", "Misdrijven (aantal)"], ["Hengelo", "2023JJ00", "5"], "statline"),
        (
            ["ID", "WijkenEnBuurten", "AantalInwoners_5"],
            ["1", "Hengelo", "5"],
            "cbs_zonder_perioden",
        ),
        (["ID", "WijkenEnBuurten", "Jaar", "X_1"], ["1", "Hengelo", "2018", "5"], "onbekend"),
        (["a", "b"], ["1", "2"], "onbekend"),
    ],
)
def test_detect_kind(header, row, kind):
    assert detect_kind(header, [row], ",") == kind


@pytest.mark.parametrize(
    ("delimiter", "values", "decimal"),
    [
        (",", ["59.5"], "."),  # write.csv, CBS's own CSV
        (";", ["4825", "59,5"], ","),  # write.csv2
        (";", ["    25.6"], "."),  # CBS OData CSV with ';'
        (";", ["2732.0"], "."),  # 84468NED dump
        (";", ["717", "NA"], ","),  # only whole numbers: either sign reads them
    ],
)
def test_cbs_decimal(delimiter, values, decimal):
    body = [(i + 2, ["GM0164", v]) for i, v in enumerate(values)]
    assert cbs_decimal(["RegioS", "Waarde_1"], body, delimiter) == decimal


# --- whole files into the test database ------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";"], ids=["write.csv", "write.csv2"])
def test_politie_table_from_cbsodatar_lands_on_mapped_indicator(db, tmp_path, sep):
    """47018NED as cbs_get_data |> cbs_add_label_columns |> cbs_add_date_column |> write.csv
    gives it: the values land on geregistreerde_misdrijven (koppelingen.csv: 0.0.0 /
    GeregistreerdeMisdrijven_1), per buurt code, in 2023; the label columns do not become
    dimensions and NA is a missing value."""
    engine, _, _ = db
    values = ["717", "91", "NA", "128"]  # Binnenstad-Oost NA instead of 55: made up
    name = f"politie_47018NED_r_{'csv2' if sep == ';' else 'csv'}.csv"
    src = write(tmp_path, name, r_csv(R_HEADER, politie_rows(values=values), sep))
    result = import_file(engine, src)
    assert result.status == "geïmporteerd"
    assert result.file_format == "cbs_odata"
    assert imported(engine, name, "geregistreerde_misdrijven") == {
        ("BU01640000", "2023"): 717.0,
        ("BU01640001", "2023"): 91.0,
        ("BU01640100", "2023"): 128.0,
    }
    notices = " ".join(result.notices)
    assert "rijnummers" in notices
    assert "WijkenEnBuurten_label" in notices and "Perioden_freq" in notices
    with engine.connect() as conn:  # no indicator made of a label or date column
        auto = conn.execute(
            text("select id from indicator where id like '47018ned%' and auto")
        ).all()
    assert auto == []


def test_cbsodatar_without_row_names_after_filtering_and_sorting(db, tmp_path):
    """write.csv(row.names = FALSE) starts with the region column; after filtering and
    sorting in R the row names are neither 1, 2, ... nor in order. Both read the same."""
    engine, _, _ = db
    no_names = [row[1:] for row in politie_rows()]
    a = write(tmp_path, "politie_47018NED_zonder_rijnamen.csv", r_csv(R_HEADER[1:], no_names))
    header = [R_HEADER[0], R_HEADER[3], *R_HEADER[1:3], *R_HEADER[4:]]  # regions first
    moved = [[r[3], *r[0:3], *r[4:]] for r in no_names]
    b = write(tmp_path, "politie_47018NED_gebied_eerst.csv", r_csv(header[1:], moved))
    c = write(
        tmp_path,
        "politie_47018NED_gefilterd.csv",
        r_csv(R_HEADER, politie_rows(names=["812", "47", "3303", "59"])),
    )
    for src in (a, b, c):
        import_file(engine, src)
        assert (
            imported(engine, src.name, "geregistreerde_misdrijven")[("BU01640000", "2023")] == 717.0
        )


def test_cbs_table_from_cbsodatar_with_decimal_comma(db, tmp_path):
    """Any CBS table, not only 47018NED: 83648NED for gemeenten (RegioS) with write.csv2's
    decimal comma lands on misdrijven_totaal and misdrijven_totaal_per1000."""
    engine, _, _ = db
    header = [
        "",
        "SoortMisdrijf",
        "SoortMisdrijf_label",
        "RegioS",
        "RegioS_label",
        "Perioden",
        "Perioden_label",
        "Perioden_Date",
        "Perioden_freq",
        "TotaalGeregistreerdeMisdrijven_1",
        "GeregistreerdeMisdrijvenPer1000Inw_3",
    ]
    rows = [
        [n, "0000000", "Misdrijven, totaal", code, label, "2015JJ00", "2015", "2015-01-01", "Y"]
        + values
        for n, code, label, values in [
            ("1", "GM0164", "Hengelo (O.)", ["4825", "59,5"]),
            ("2", "GM0153", "Enschede", ["11120", "70,1"]),
            ("3", "GM0141", "Almelo", ["4120", "NA"]),  # NA instead of 57,0: made up
        ]
    ]
    src = write(tmp_path, "cbs_83648NED_r.csv", r_csv(header, rows, ";"))
    import_file(engine, src)
    assert imported(engine, src.name, "misdrijven_totaal_per1000") == {
        ("GM0164", "2015"): 59.5,
        ("GM0153", "2015"): 70.1,
        ("GM0141", "2015"): None,  # NA: no value (its count, 4120, is there)
    }
    assert imported(engine, src.name, "misdrijven_totaal")[("GM0141", "2015")] == 4120.0


# --- messages that are true: a file with the problem, and its twin without -------------------


def refused(engine, src: Path) -> str:
    before = state(engine)
    with pytest.raises(ValidationError) as info:
        import_file(engine, src)
    assert state(engine) == before
    return str(info.value)


def test_cbsodatar_without_perioden_names_what_is_there(db, tmp_path):
    """The codes column Perioden removed in R, its label and date kept: the message says the
    column is missing and which Perioden_ columns are there; the twin imports."""
    engine, _, _ = db
    keep = [j for j, h in enumerate(R_HEADER) if h != "Perioden"]
    header = [R_HEADER[j] for j in keep]
    rows = [[r[j] for j in keep] for r in politie_rows()]
    message = refused(engine, write(tmp_path, "politie_47018NED_zonder.csv", r_csv(header, rows)))
    assert "politie_47018NED_zonder.csv, rij 1" in message
    assert "zonder kolom 'Perioden'" in message
    assert "'Perioden_label', 'Perioden_Date', 'Perioden_freq'" in message
    assert "gevonden kolommen: 'SoortMisdrijf'" in message
    twin = write(tmp_path, "politie_47018NED_met.csv", r_csv(R_HEADER, politie_rows()))
    assert import_file(engine, twin).status == "geïmporteerd"


def test_cbsodatar_without_region_code_column(db, tmp_path):
    """Only the label of the regions kept: not called a region column, and named as found."""
    engine, _, _ = db
    keep = [j for j, h in enumerate(R_HEADER) if h != "WijkenEnBuurten"]
    header = [R_HEADER[j] for j in keep]
    rows = [[r[j] for j in keep] for r in politie_rows()]
    message = refused(engine, write(tmp_path, "politie_47018NED_labels.csv", r_csv(header, rows)))
    assert "rij 1: kolom met regio's ontbreekt" in message
    assert "'WijkenEnBuurten_label'" in message
    assert "'Perioden' ontbreekt" not in message


def test_statline_with_a_number_column_before_the_periods(db, tmp_path):
    """A numbered StatLine download ('Nr' first) has its Perioden and Regio's columns: never
    "ontbreekt" for them. The twin without Regio's is told so, with the columns it has."""
    engine, _, _ = db
    good = write(
        tmp_path,
        "statline_genummerd.csv",
        '"Nr";"Perioden";"Regio\'s";"Geregistreerde misdrijven (aantal)"\n'
        '1;"2017";"Hengelo (O.)";4090\n'
        '2;"2017";"Enschede";12000\n',  # 12000: made up
    )
    batch = read_table(good, good.read_bytes())
    assert {c.area for c in batch.cells} == {"Hengelo (O.)", "Enschede"}
    assert {c.period for c in batch.cells} == {"2017"}
    bad = write(
        tmp_path,
        "statline_zonder_regio.csv",
        '"Titel van de tabel"\n'
        '"Perioden";"Soort misdrijf";"Geregistreerde misdrijven (aantal)"\n'
        '"2017";"Misdrijven, totaal";4090\n',
    )
    message = refused(engine, bad)
    assert "rij 2: kolom met regio's ontbreekt" in message  # the header is on line 2
    assert "gevonden kolommen: 'Perioden', 'Soort misdrijf'" in message


# --- 84468NED: the period belongs to the table -----------------------------------------------

# Header and rows copied from cbs_84468NED_misdrijven_wijken_buurten_2018_twente.csv (Almelo,
# Hengelo, Wijk 00 Binnenstad, two of its buurten), cut after TotaalVermogensmisdrijven_7.
KWB_84468 = (
    "\ufeffID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;Indelingswijziging_4;"
    "AantalInwoners_5;TotaalVermogenVernielingEnGeweld_6;TotaalVermogensmisdrijven_7\n"
    "322;Almelo;Almelo                        ;Gemeente;GM0141    ;;72629;2732.0;1810.0\n"
    "7233;Hengelo;Hengelo                       ;Gemeente;GM0164    ;;80593;3238.0;2394.0\n"
    "7234;Wijk 00 Binnenstad;Hengelo                       ;Wijk    ;WK016400  ;1.0;2660;"
    "896.0;698.0\n"
    "7235;Binnenstad-Centrum;Hengelo                       ;Buurt   ;BU01640000;1.0;880;"
    "767.0;624.0\n"
    "7236;Binnenstad-West;Hengelo                       ;Buurt   ;BU01640001;1.0;780;84.0;40.0\n"
)


def without_id(content: str) -> str:
    """The same table as cbsodataR gives it (no ID column): it starts with its regions, like a
    StatLine table export, and must not be read as one."""
    return "".join(line.split(";", 1)[1] for line in content.splitlines(keepends=True))


@pytest.mark.parametrize("content", [KWB_84468, without_id(KWB_84468)], ids=["id", "zonder-id"])
def test_cbs_table_without_perioden_upload_gets_a_true_message(db, tmp_path, content):
    engine, _, _ = db
    src = write(tmp_path, "cbs_84468NED_misdrijven_wijken_buurten_2018.csv", content)
    message = refused(engine, src)
    assert "onbekend bestandsformaat" not in message
    assert "CBS-tabel (84468NED) met gebieden in kolom 'WijkenEnBuurten'" in message
    assert "zonder kolom 'Perioden'" in message
    assert 'gebied_kolom = "Codering_3", periode = <jaar van de tabel>' in message


def test_cbs_table_without_perioden_through_manifest_entry(db, tmp_path):
    """The [stap.kolommen_config] of a manifest step: gebied_kolom = "Codering_3" (the codes,
    padded: 'WK016400  '; WijkenEnBuurten holds names), periode = 2018. The text columns
    Gemeentenaam_1, SoortRegio_2 and Codering_3 are no problem, nor '2732.0' in a ';' file."""
    engine, _, _ = db
    src = write(tmp_path, "cbs_84468NED_misdrijven_wijken_buurten_2018.csv", KWB_84468)
    mapping = {
        "gebied_kolom": "Codering_3",
        "periode": 2018,
        # any catalogue indicator does for reading; the catalogue is not under test here
        "kolommen": {
            "AantalInwoners_5": "inwoners",
            "TotaalVermogensmisdrijven_7": "vermogensmisdrijven",
        },
    }
    result = import_file(engine, src, mapping=mapping)
    assert result.status == "geïmporteerd"
    assert imported(engine, src.name, "inwoners") == {
        ("GM0141", "2018"): 72629.0,
        ("GM0164", "2018"): 80593.0,
        ("WK016400", "2018"): 2660.0,
        ("BU01640000", "2018"): 880.0,
        ("BU01640001", "2018"): 780.0,
    }
    assert imported(engine, src.name, "vermogensmisdrijven")[("WK016400", "2018")] == 698.0

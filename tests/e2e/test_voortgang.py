"""The voortgangsrapportage in headless Chromium: an editor downloads the plan's acties as .xlsx,
fills in three rows and uploads it: three acties updated. A file with one bad row is refused
with its sheet, row and column named, and nothing is stored."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dashboard.domain import report
from tests.conftest import ROOT
from tests.e2e.conftest import PASSWORD, USER, settle, start_server, stop_server
from tests.e2e.test_themas import main_text, new_page, plan_db, stored  # noqa: F401

pytestmark = [pytest.mark.e2e]
EXPANDER = "Voortgangsrapportage in Excel"
SLOW = 180_000  # a busy machine: a run of the Thema's page can take a minute


def filled(data: bytes, rows: dict[int, tuple]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[report.SHEET]
    col = {c.value: c.column for c in ws[1]}
    for row, values in rows.items():
        for name, value in zip(report.EDITABLE, values, strict=True):
            ws.cell(row=row, column=col[name], value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(pg, data: bytes) -> str:
    old = pg.locator('[data-testid="stFileUploaderDeleteBtn"] button')
    if old.count():  # the file of the previous try
        old.first.click()
        pg.wait_for_timeout(1000)
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').last.set_input_files(
        files=[{"name": "voortgang.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    pg.wait_for_timeout(500)
    pg.get_by_role("button", name="Voortgangsrapportage inlezen").click()
    pg.wait_for_timeout(500)
    settle(pg, SLOW)
    return main_text(pg)


def test_editor_updates_several_acties_with_one_workbook(plan_db, browser, tmp_path):  # noqa: F811
    proc, base = start_server(plan_db, tmp_path)
    try:
        pg = new_page(browser)
        pg.set_default_timeout(SLOW)
        pg.goto(f"{base}/themas")
        settle(pg, SLOW)
        pg.get_by_text("Inloggen (beheer)").click()
        pg.get_by_label("Gebruikersnaam").fill(USER)
        pg.get_by_label("Wachtwoord").fill(PASSWORD)
        pg.get_by_role("button", name="Inloggen").click()
        settle(pg, SLOW)
        pg.get_by_text(EXPANDER).click()
        with pg.expect_download() as info:
            pg.get_by_role("button", name="Voortgangsrapportage (.xlsx)").click()
        data = open(info.value.path(), "rb").read()  # noqa: SIM115
        ws = load_workbook(io.BytesIO(data))[report.SHEET]
        codes = [ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)]
        assert len(codes) == 63
        today = date.today()
        bad = filled(data, {2: ("loopt", "Team", today, "Gestart"), 4: ("klaar", "X", today, "Y")})
        text = upload(pg, bad)
        assert "Voortgangsrapportage geweigerd" in text, text
        problems = " ".join(pg.locator('[data-testid="stCode"]').last.inner_text().split())
        assert "rij 4, kolom 'Status': status 'klaar' onbekend" in problems, problems
        assert stored(plan_db) == []
        good = filled(
            data,
            {
                2: ("loopt", "Team Ondermijning", today, "Gestart"),
                3: ("afgerond", "Politie", today, "Verslag in Corsa"),
                5: ("vertraagd", "Zorgteam", today, "Wacht op subsidie"),
            },
        )
        upload(pg, good)
        pg.wait_for_function(
            "() => document.body.innerText.includes('acties bijgewerkt')", timeout=SLOW
        )
        text = main_text(pg)
        assert "3 acties bijgewerkt (van 63 in het bestand)" in text, text
        assert stored(plan_db) == [
            (codes[0], "loopt"),
            (codes[1], "afgerond"),
            (codes[3], "vertraagd"),
        ]
        pg.screenshot(path=str(ROOT / "tests" / "e2e" / "screenshots" / "themas_voortgang.png"))
    finally:
        stop_server(proc)

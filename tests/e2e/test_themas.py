"""Thema's in headless Chromium: every theme, doel and actie; an editor registers progress through
the form; after a restart the update and its history are still there; viewers see no form; an
incomplete update is refused and nothing is stored."""

import pytest
from sqlalchemy import select

from dashboard.ingest.importer import import_file
from dashboard.store import plans, schema
from dashboard.store.schema import make_engine
from tests.conftest import ROOT, copy_db
from tests.e2e.conftest import PASSWORD, USER, check_page, settle, start_server, stop_server
from tests.unit.test_policy import EXPECTED, LINKS, PLAN, PLAN_ID

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        '"pages/themas.py"' not in (ROOT / "app.py").read_text(encoding="utf-8"),
        reason="pages/themas.py is not registered in app.py yet",
    ),
]
NOTE = "<b>Kick-off</b> gehouden; verslag in map IVB/T2 (zie **bijlage**)"


@pytest.fixture
def plan_db(built_db, tmp_path) -> str:
    """URL of a copy of the built database with the plan imported the way a gemeente does it
    (a no-op once data/bronnen.toml lists the plan)."""
    url = copy_db(built_db, tmp_path)
    engine = make_engine(url)
    import_file(engine, PLAN)
    import_file(engine, LINKS)
    engine.dispose()
    return url


def stored(url: str) -> list[tuple]:
    """(actie, status) of every stored update, oldest first."""
    engine = make_engine(url)
    u = schema.policy_update
    with engine.connect() as conn:
        rows = conn.execute(select(u.c.action_code, u.c.status).order_by(u.c.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def wait_tables(pg, n: int) -> None:
    """The tables are drawn a moment after the script has finished: wait for all n."""
    pg.wait_for_function(
        f"() => document.querySelectorAll('.vb-tabel-w').length >= {n}",
        timeout=30_000,
    )


def main_text(pg) -> str:
    return " ".join(pg.inner_text('[data-testid="stMain"]').split())


def test_all_themes_doelen_and_acties(plan_db, browser, tmp_path):
    proc, base = start_server(plan_db, tmp_path)
    try:
        pg = new_page(browser)
        pg.goto(f"{base}/themas")
        settle(pg)
        wait_tables(pg, 1)  # the overview; each thema's doelen are folded until opened
        for i in range(len(EXPECTED)):
            folded = pg.get_by_text("Doelen en acties bij dit thema").nth(i)
            folded.scroll_into_view_if_needed()
            folded.click()
            wait_tables(pg, 1 + sum(len(a) for _, a in list(EXPECTED.values())[: i + 1]))
            settle(pg)
        text = main_text(pg)
        engine = make_engine(plan_db)
        els = plans.elements(engine, PLAN_ID)
        engine.dispose()
        for row in els[els["kind"].isin(["thema", "ambitie", "doel", "actie"])].itertuples():
            wanted = row.title if row.kind == "thema" else row.text
            assert " ".join(wanted.split()) in text, row.code
        for code, (title, per_doel) in EXPECTED.items():
            assert f"{code} {title} {sum(per_doel)}" in text  # overview table row
        assert "nog geen voortgang geregistreerd" in text
        pg.get_by_role("heading", name="Doelenboom").scroll_into_view_if_needed()
        assert "T1.D1.X1" in pg.locator(".vb-boom").first.inner_text()  # the doelenboom
        assert pg.get_by_role("button", name="Update opslaan").count() == 0  # viewer
        check_page(pg, "themas")
        pg.goto(f"{base}/themas?thema=T2")
        settle(pg)
        assert "T2 Digitale veiligheid" in pg.locator("h2").all_inner_texts()
        assert "Cybercrime, per 1.000 inwoners" in main_text(pg)
        check_page(pg, "themas_T2")
    finally:
        stop_server(proc)


def new_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    pg = context.new_page()
    pg.hosts, pg.dialogs = set(), []
    pg.on("request", lambda r: pg.hosts.add(r.url.split("/")[2]))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    return pg


def wait_text(pg, part: str, timeout: int = 90_000) -> str:
    """The main area's text once it shows `part`: the previous run's elements stay on screen
    until the new run has drawn, however busy the machine."""
    pg.wait_for_function(
        "part => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(part)",
        arg=part,
        timeout=timeout,
    )
    return main_text(pg)


def submit(pg, status: str | None, owner: str, note: str) -> None:
    if status:
        pg.locator('[data-testid="stSelectbox"]').filter(has_text="Status").click()
        pg.get_by_role("option", name=status, exact=True).click()
    pg.get_by_label("Eigenaar of partner").fill(owner)
    pg.get_by_label("Toelichting en bewijs").fill(note)
    pg.get_by_role("button", name="Update opslaan").click()
    pg.wait_for_timeout(500)  # let the run start before waiting for it to finish
    settle(pg)


def test_editor_registers_progress_that_survives_a_restart(plan_db, browser, tmp_path):
    proc, base = start_server(plan_db, tmp_path)
    try:
        pg = new_page(browser)
        pg.goto(f"{base}/themas?thema=T2")
        settle(pg)
        assert pg.get_by_role("button", name="Update opslaan").count() == 0
        pg.get_by_text("Inloggen (beheer)").click()
        pg.get_by_label("Gebruikersnaam").fill(USER)
        pg.get_by_label("Wachtwoord").fill(PASSWORD)
        pg.get_by_role("button", name="Inloggen").click()
        settle(pg)
        # Incomplete (no status, no note): refused, nothing stored.
        submit(pg, None, "Team Informatiebeveiliging", "")
        text = wait_text(pg, "Status: kies een status")
        assert "Update niet opgeslagen" in text and "Status: kies een status" in text
        assert "Toelichting: beschrijf wat er is gebeurd" in text
        assert stored(plan_db) == []
        # Complete: stored, shown, with the note as typed.
        submit(pg, "loopt", "Team Informatiebeveiliging", NOTE)
        text = wait_text(pg, "Update voor T2.D1.X1 opgeslagen: loopt.")
        assert "Update voor T2.D1.X1 opgeslagen: loopt." in text
        assert stored(plan_db) == [("T2.D1.X1", "loopt")]
        submit(pg, "vertraagd", "Team Informatiebeveiliging", "Leverancier levert later")
        wait_text(pg, "Update voor T2.D1.X1 opgeslagen: vertraagd.")
        assert stored(plan_db) == [("T2.D1.X1", "loopt"), ("T2.D1.X1", "vertraagd")]
        pg.screenshot(path=str(ROOT / "tests" / "e2e" / "screenshots" / "themas_update.png"))
    finally:
        stop_server(proc)
    proc, base = start_server(plan_db, tmp_path)  # a restart: everything comes from the database
    try:
        pg = new_page(browser)
        pg.goto(f"{base}/themas?thema=T2")
        settle(pg)
        wait_tables(pg, 1 + 4 + 1)  # progress per doel, four doelen, the history
        text = main_text(pg)
        assert "1 vertraagd (33%)" in text  # T2.D1: 1 of 3 acties
        assert "Leverancier levert later (door beheerder-test)" in text
        assert NOTE in text  # the history keeps the first update, HTML shown as text
        assert pg.locator('[data-testid="stMain"] b', has_text="Kick-off").count() == 0
        assert pg.get_by_role("button", name="Update opslaan").count() == 0  # viewer again
        check_page(pg, "themas_na_herstart")
    finally:
        stop_server(proc)

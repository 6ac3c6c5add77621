"""Sign-in with the gemeente's identity provider in headless Chromium, against a real OpenID
Connect provider on localhost (`oidc-provider-mock`): a redacteur (a mapped group) signs in,
sees the progress form on Thema's and registers an update that records their e-mail address;
sign-out ends the session at the provider too; a person without a mapped group is a viewer.
No request leaves the machine (the provider's page asks for a stylesheet on a CDN: that link
is taken out, and any other outside request would fail the test)."""

import re
import threading

import pytest
import werkzeug.serving
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from dashboard.ingest.importer import import_file
from dashboard.store import schema
from dashboard.store.schema import make_engine
from tests.conftest import ROOT, copy_db
from tests.e2e.conftest import check_page, settle, start_server, stop_server
from tests.unit.test_policy import LINKS, PLAN

pytestmark = pytest.mark.e2e
oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

REDACTEUR = oidc_provider_mock.User(
    sub="rita",
    claims={
        "email": "rita.redacteur@gemeente.example",
        "email_verified": True,
        "name": "Rita Redacteur",
        "groups": ["medewerkers", "veiligheid-redactie"],
    },
)
VIEWER = oidc_provider_mock.User(
    sub="victor",
    claims={
        "email": "victor@gemeente.example",
        "email_verified": True,
        "name": "Victor Kijker",
        "groups": ["medewerkers"],
    },
)
LOCAL = ("localhost", "127.0.0.1")
SHOTS = ROOT / "tests" / "e2e" / "screenshots"


def _no_cdn(response):
    """The provider's pages link a stylesheet on a CDN; no page of ours may fetch it."""
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        response.set_data(re.sub(r"<link[^>]*https?://[^>]*>", "", html, flags=re.S))
    return response


@pytest.fixture(scope="module")
def provider():
    """An OpenID Connect provider on 127.0.0.1 (another host name than the app's localhost,
    so the two keep their cookies apart); yields its base URL."""
    app = oidc_provider_mock.app(user_claims=[REDACTEUR, VIEWER])
    app.after_request(_no_cdn)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def secrets_for(provider: str) -> str:
    return f"""
[auth]
redirect_uri = "http://localhost:{{port}}/oauth2callback"
cookie_secret = "e2e-cookie-secret-of-sufficient-length"
client_id = "veiligheidsdashboard"
client_secret = "e2e-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[rollen]
claim = "groups"
aanbieder = "Testgemeente"

[rollen.toewijzing]
"veiligheid-redactie" = "redacteur"
"""


@pytest.fixture
def app_server(built_db, provider, tmp_path):
    url = copy_db(built_db, tmp_path)
    engine = make_engine(url)
    import_file(engine, PLAN)
    import_file(engine, LINKS)
    engine.dispose()
    proc, base = start_server(url, tmp_path, extra_secrets=secrets_for(provider))
    yield url, base
    stop_server(proc)


def new_page(browser):
    """A page that records every host it contacts and lets no request leave the machine."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    context.route(
        re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"), lambda route: route.abort()
    )
    pg = context.new_page()
    pg.hosts, pg.dialogs = set(), []
    pg.on("request", lambda r: pg.hosts.add(r.url.split("/")[2].split(":")[0]))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    return pg


def sidebar(pg, wait_for: str | None = None) -> str:
    """The sidebar's text; first waits (under load it is drawn after the main area) until it
    shows `wait_for`."""
    if wait_for:
        pg.locator('[data-testid="stSidebar"]').get_by_text(wait_for).first.wait_for(timeout=30_000)
    return " ".join(pg.inner_text('[data-testid="stSidebar"]').split())


def sign_in(pg, base: str, user) -> None:
    """From Thema's: the sidebar's provider button, the provider's form, back to Thema's."""
    pg.goto(f"{base}/themas?thema=T2")
    settle(pg)
    pg.get_by_role("button", name="Inloggen met Testgemeente").click(timeout=30_000)
    pg.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/authorize"), timeout=30_000)
    pg.get_by_role("button", name=user.sub, exact=True).click()
    pg.wait_for_url(re.compile(rf"^{re.escape(base)}/?(\?.*)?$"), timeout=30_000)
    pg.goto(f"{base}/themas?thema=T2")
    settle(pg)


def choose(pg, label: str, option: str) -> None:
    """Pick an option of a selectbox; opens it again when a rerun closed it under load."""
    for _ in range(3):
        pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
        opt = pg.get_by_role("option", name=option, exact=True)
        try:
            opt.wait_for(timeout=10_000)
        except PlaywrightTimeout:  # closed by a rerun: open it again
            continue
        opt.click()
        return
    raise AssertionError(f"{label}: option {option} never shown")


def stored(url: str) -> list[tuple]:
    engine = make_engine(url)
    u = schema.policy_update
    with engine.connect() as conn:
        rows = conn.execute(select(u.c.action_code, u.c.status, u.c.user_name)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_redacteur_signs_in_registers_progress_and_signs_out(app_server, browser):
    url, base = app_server
    pg = new_page(browser)
    pg.goto(f"{base}/themas?thema=T2")
    settle(pg)
    assert pg.get_by_role("button", name="Update opslaan").count() == 0
    assert "Inloggen (beheer)" in sidebar(pg, "Inloggen (beheer)")  # the password fallback
    sign_in(pg, base, REDACTEUR)
    text = sidebar(pg, "Uitloggen")
    assert "Ingelogd als Rita Redacteur (redacteur)" in text
    assert "Inloggen (beheer)" not in text
    pg.get_by_role("button", name="Update opslaan").wait_for(timeout=30_000)
    choose(pg, "Status", "loopt")
    pg.get_by_label("Eigenaar of partner").fill("Team Informatiebeveiliging")
    pg.get_by_label("Toelichting en bewijs").fill("Kick-off gehouden")
    pg.get_by_role("button", name="Update opslaan").click()
    pg.wait_for_timeout(500)
    settle(pg)
    assert stored(url) == [("T2.D1.X1", "loopt", "rita.redacteur@gemeente.example")]
    check_page(pg, "oidc_redacteur")
    pg.get_by_role("button", name="Uitloggen").click()
    # The provider asks to end its session too, then sends the browser back to the app.
    pg.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/end_session"), timeout=30_000)
    pg.get_by_role("button", name="End session").click()
    pg.wait_for_url(re.compile(rf"^{re.escape(base)}/?(\?.*)?$"), timeout=30_000)
    pg.goto(f"{base}/themas?thema=T2")
    settle(pg)
    assert "Ingelogd als" not in sidebar(pg, "Inloggen (beheer)")
    pg.get_by_role("button", name="Inloggen met Testgemeente").wait_for(timeout=30_000)
    assert pg.get_by_role("button", name="Update opslaan").count() == 0
    check_page(pg, "oidc_uitgelogd")
    assert pg.hosts <= set(LOCAL), pg.hosts


def test_person_without_mapped_group_is_a_viewer(app_server, browser):
    url, base = app_server
    pg = new_page(browser)
    sign_in(pg, base, VIEWER)
    assert "Ingelogd als Victor Kijker (alleen lezen)" in sidebar(pg, "Uitloggen")
    pg.get_by_text("Voortgang registreren kan alleen een redacteur").wait_for(timeout=30_000)
    assert pg.get_by_role("button", name="Update opslaan").count() == 0
    check_page(pg, "oidc_kijker")
    assert pg.hosts <= set(LOCAL), pg.hosts
    assert stored(url) == []

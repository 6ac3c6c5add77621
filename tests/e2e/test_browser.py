"""The app as a person sees it: every page in headless Chromium at 1920x1080."""

import re

import pytest

from tests.conftest import FIXTURES, ROOT, buurt_geojson
from tests.e2e.conftest import PASSWORD, USER, check_page, settle

pytestmark = pytest.mark.e2e
PATHS = re.findall(r'url_path="([^"]*)"', (ROOT / "app.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "home")
def test_every_page_loads(server, page, path):
    page.goto(f"{server}/{path}")
    settle(page)
    assert page.locator("h1").count() >= 1
    check_page(page, path or "home")


@pytest.mark.parametrize(
    "query",
    ["", "?gemeente=GM0153", "?gebied=WK016405", "?gemeente=GM0153&gebied=WK015305"],
    ids=["hengelo", "enschede", "hengelo-wijk", "enschede-wijk"],
)
def test_home_is_one_screen(server, page, query):
    """Map, headline figures, footprint, theme progress and Opvallend on 1920x1080 without
    scrolling: for Hengelo and for Enschede (which lacks crime per wijk and says so), also with
    a wijk in focus."""
    page.goto(f"{server}/{query}")
    settle(page)
    assert "Veiligheidsbeeld" in page.locator("h1").first.inner_text()
    # The title is drawn first; the figures follow once the (cold) caches are filled.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 4",
        timeout=30_000,
    )
    page.wait_for_selector("path.gebied", timeout=30_000)  # the SVG map
    settle(page)  # the map is drawn mid-script: wait for the rest (Opvallend, the sources)
    text = page.inner_text('[data-testid="stMain"]')
    for part in ("per wijk", "en de G40", "Voortgang van het veiligheidsbeleid", "Bron:"):
        assert part in text
    assert "Opvallend" in text
    if "gebied" not in query:  # the gemeente's own signals, each with its test
        assert "Opvallend (" in text and "p na correctie" in text
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("e => e.scrollHeight <= e.clientHeight + 2"), "page scrolls"
    check_page(page, f"home_een_scherm{query.replace('?', '_').replace('&', '_')}")


@pytest.mark.parametrize("gemeente", ["GM0164", "GM0153"])
def test_home_slide_is_one_screen(server, page, gemeente):
    """The Veiligheidsbeeld's slide fits 1920x1080 too: Enschede's longer doel names and its
    sentence on what the map lacks once pushed it to 1.153 pixels."""
    page.goto(f"{server}/?modus=presentatie&gemeente={gemeente}")
    settle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 4",
        timeout=30_000,
    )
    page.wait_for_function("() => document.querySelector('canvas')", timeout=60_000)
    page.wait_for_selector("text=Stap 1 van 4", timeout=60_000)
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("e => e.scrollHeight <= e.clientHeight + 2"), "slide scrolls"


def test_beheerder_uploads_bad_then_good_file(server, page, tmp_path):
    page.goto(f"{server}/data")
    settle(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0  # viewer: no form
    page.get_by_text("Inloggen (beheer)").click()
    page.get_by_label("Gebruikersnaam").fill(USER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    settle(page)
    bad = tmp_path / "kapot.csv"
    bad.write_text("indicator,gebied,periode,waarde\ninwoners,GM9998,2024,1\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("Import geweigerd").wait_for(timeout=90_000)
    settle(page)
    text = page.inner_text('[data-testid="stMain"]')
    assert "kapot.csv, rij 2, kolom 'gebied'" in text
    good = FIXTURES / "real" / "odata_47018NED_buurten_hengelo_excerpt.csv"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.get_by_role("button", name="Inlezen").click()
    # The import and its derivation take seconds on a busy machine: wait for the result, not
    # for a quiet moment (the previous refusal stays on screen until the run has finished).
    page.get_by_text("Klaar: geïmporteerd").wait_for(timeout=90_000)
    settle(page)
    assert "Klaar: geïmporteerd" in page.inner_text('[data-testid="stMain"]')
    page.screenshot(path=str(ROOT / "tests" / "e2e" / "screenshots" / "data_upload.png"))


@pytest.mark.parametrize("niveau", ["wijk", "buurt"])
def test_kaart_draws_map_and_legend(server, page, niveau):
    page.goto(f"{server}/kaart?niveau={niveau}")
    settle(page)
    page.wait_for_selector("path.gebied", timeout=30_000)
    text = page.inner_text('[data-testid="stMain"]')
    assert "of meer" in text and "Bron:" in text
    check_page(page, f"kaart_{niveau}")


def test_map_tooltips_show_names_as_written(server, page):
    """The buurt map's tooltips (each area's `<title>`, shown on hover) hold "'t Wilbert" and
    "Tuindorp 't Lansink" as written (escaped once, as the SVG is written), never an entity
    such as "&#x27;"."""
    page.goto(f"{server}/kaart?niveau=buurt")
    settle(page)
    page.wait_for_selector("path.gebied", timeout=30_000)
    seen = [t.split("\n")[0] for t in page.locator("path.gebied > title").all_text_contents()]
    assert len(seen) == 62, seen
    assert not [s for s in seen if "&#" in s or "&amp;" in s or "&lt;" in s], seen
    assert any("'t Wilbert" in s for s in seen) and any("'t Lansink" in s for s in seen), seen


def test_kaart_zooms_pans_and_opens_the_area_clicked(server, page):
    """The Kaart's SVG map: the buttons zoom in and back, dragging pans without choosing, a
    click on a wijk opens its profile."""
    page.goto(f"{server}/kaart?niveau=wijk")
    settle(page)
    page.wait_for_selector("path.gebied", timeout=30_000)
    svg = page.locator('[data-testid="stMain"] svg[role="group"]').first
    whole = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Inzoomen").click()
    zoomed = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert zoomed[2] == float(whole.split()[2]) / 2
    box = svg.bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 400, box["y"] + 360, steps=5)
    page.mouse.up()
    assert [float(v) for v in svg.get_attribute("viewBox").split()][:2] != zoomed[:2]
    assert "/kaart" in page.url  # the drag chose nothing
    page.locator("path.gebied").first.focus()  # the keyboard: a wijk in focus, then + and →
    page.keyboard.press("+")
    before = [float(v) for v in svg.get_attribute("viewBox").split()]
    page.keyboard.press("ArrowRight")
    after = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert after[0] > before[0]
    page.get_by_role("button", name="Hele kaart").click()
    assert svg.get_attribute("viewBox") == whole
    code = page.locator("path.gebied").nth(3).get_attribute("data-code")
    page.locator("path.gebied").nth(3).click()
    page.wait_for_url(f"**/wijkprofiel?*gebied={code}*", timeout=30_000)


def test_map_click_target_opens_profile_with_selection(server, page):
    page.goto(f"{server}/kaart?niveau=buurt&indicator=lbm_score&jaar=2024")
    settle(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Profiel openen").click()
    page.get_by_role("option", name="Binnenstad-Centrum (BU01640000)").click()
    settle(page)
    assert "/wijkprofiel" in page.url and "gebied=BU01640000" in page.url
    assert "indicator=lbm_score" in page.url  # the selection travels along
    check_page(page, "wijkprofiel_via_kaart")


@pytest.mark.parametrize("gebied", ["BU01640000", "WK016400"])
def test_profiles(server, page, gebied):
    page.goto(f"{server}/wijkprofiel?gebied={gebied}")
    settle(page)
    # st.metric's code is a chunk the browser loads on first use: on a busy machine the metrics
    # appear after the rest of the page, so wait for them, not only for a quiet page.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 3",
        timeout=60_000,
    )
    text = page.inner_text('[data-testid="stMain"]')
    if gebied == "BU01640000":
        assert "Binnenstad-Centrum" in text and "717" in text and "612,8" in text
    else:
        assert "Buurten in Wijk 00 Binnenstad" in text
    check_page(page, f"wijkprofiel_{gebied}")


def test_html_name_is_shown_as_text(server, server_db, page, tmp_path):

    from dashboard.ingest.importer import import_file
    from dashboard.store.schema import make_engine

    hostile = "<img src=x onerror=alert(1)>"
    path = buurt_geojson(tmp_path / "buurt_2024.geojson", "BU01640098", hostile)
    engine = make_engine(server_db)
    import_file(engine, path)
    engine.dispose()
    page.goto(f"{server}/wijkprofiel?gebied=BU01640098")  # no restart: new data version
    settle(page)
    assert hostile in page.inner_text("h1")
    assert page.locator('[data-testid="stMain"] img[src="x"]').count() == 0
    page.goto(f"{server}/kaart?niveau=buurt")
    settle(page)
    page.wait_for_selector("path.gebied")
    assert page.locator("path.gebied img").count() == 0
    check_page(page, "kaart_html_naam")


def test_deep_link_on_fresh_server_uses_navigation(built_db, browser, tmp_path):
    """The first request of a new process is a deep link: still routed by app.py."""
    from tests.conftest import copy_db
    from tests.e2e.conftest import start_server, stop_server

    proc, base = start_server(copy_db(built_db, tmp_path), tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        pg = context.new_page()
        pg.goto(f"{base}/kaart")
        settle(pg)
        nav = pg.inner_text('[data-testid="stSidebarNav"]')
        assert "Kaart" in nav and "Data & bronnen" in nav and "app" not in nav.split()
        context.close()
    finally:
        stop_server(proc)


REFLECTED = (
    "![x](http://evil.example/i.png) [Klik hier om opnieuw in te loggen](http://evil.example) "
    ":material/warning: :red[let op] www.evil.example"
)


@pytest.mark.parametrize(
    "path",
    [
        "kaart?indicator=",
        "kaart?gebied=",
        "kaart?niveau=",
        "kaart?jaar=",
        "wijkprofiel?gebied=",
        "themas?thema=",
        "?gebied=WK%20",
        "g32?indicator=",
        "wijkprofiel?modus=presentatie&gebied=WK%20",
    ],
)
def test_reflected_url_values_stay_text(server, page, path):
    """A link with markdown in a URL value: no outside image or link, no request outside
    localhost, no icon or colour from the value (the notice quotes it as text)."""
    from urllib.parse import quote

    page.goto(f"{server}/{path}{quote(REFLECTED)}")
    settle(page)
    targets = page.eval_on_selector_all(
        "a[href], img[src]", "els => els.map(e => e.getAttribute('href') || e.src)"
    )
    assert not [t for t in targets if "evil" in t], targets
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("[data-testid='stIconMaterial']").filter(has_text="warning").count() == 0
    check_page(page, "url_" + re.sub(r"\W", "_", path))


@pytest.mark.parametrize(
    ("query", "group", "filled"),
    [
        (
            "vergelijking=g32&basisjaar=2013&jaar=2015",
            "G32",
            "CBS publiceerde dit niet per gemeente",
        ),
        ("vergelijking=g40&basisjaar=2021&jaar=2023", "G40", "te weinig respondenten"),
    ],
    ids=["g32-2013-2015", "g40-2021-2023"],
)
def test_footprints_on_one_screen_width(server, page, query, group, filled):
    """Both footprints of the Veiligheidsmonitor at 1920x1080: every column in view (no
    sideways scrolling), the empty rows say why."""
    page.goto(f"{server}/g32?{query}")
    settle(page)
    page.wait_for_selector(".vb-tabel-w", timeout=30_000)
    text = page.inner_text('[data-testid="stMain"]')
    assert f"vergeleken met de {group}" in text
    assert "Rapportcijfer leefbaarheid woonbuurt" in text and filled in text
    table = page.locator(".vb-tabel-w").first
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth + 2"), "table scrolls sideways"
    check_page(page, f"footprint_{group.lower()}")

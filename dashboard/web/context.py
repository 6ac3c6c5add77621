"""What every page needs before it draws: the engine, the data (filled on a first start), the
data version that keys every cache, the gemeente in view and the routing guard.

The gemeente in view is `?gemeente=` (a CBS code) when this deployment offers it, else the one
chosen earlier in the session, else the `GEMEENTE` setting. `choose_gemeente` decides once per
run, before the page; the URL keeps `gemeente` (unless it is the default), so a page switch, a
reload or a copied link opens the same gemeente."""

from __future__ import annotations

import logging
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, NoReturn

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from dashboard import settings
from dashboard.ingest.build import build, is_complete
from dashboard.store import queries
from dashboard.store.schema import create_schema, make_engine
from dashboard.views import urls
from dashboard.web import cache

_build_lock = threading.Lock()
_router = threading.local()
_REROUTED = "_rerouted"  # session key: this session was sent through the router once
_GEMEENTE = "_gemeente"  # session key: the gemeente in view, carried across page switches
_warned: set[tuple[str, ...]] = set()  # GEMEENTEN codes unknown to the database, logged
log = logging.getLogger(__name__)
UNREACHABLE = (
    "De database is niet bereikbaar. Probeer het later opnieuw of neem contact op met de beheerder."
)
MISCONFIGURED = (
    "De database-instelling (`DATABASE_URL`) is ongeldig. Neem contact op met de beheerder."
)


# ---------------------------------------------------------------- engine and data version
def engine():
    """The engine for the configured `DATABASE_URL` (one per process and URL)."""
    url = settings.get("DATABASE_URL")
    with database_guard(url):
        return _engine_for(url)


@contextmanager
def database_guard(url: str):
    """A database that cannot be reached (or a URL that cannot be used) stops the page with a
    Dutch message naming at most the kind of database; the server log gets the real error,
    without the password. Never the URL, user or password on the page."""
    try:
        yield
    except DBAPIError as exc:  # OperationalError, InterfaceError, ...: no connection
        _stop(url, exc, UNREACHABLE)
    except (ArgumentError, NoSuchModuleError) as exc:  # a URL SQLAlchemy cannot use
        _stop(url, exc, MISCONFIGURED)


def _stop(url: str, exc: Exception, message: str):
    shown, kind, password = "(onleesbare URL)", "", ""
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        kind, password = parsed.get_backend_name(), parsed.password or ""
    except ArgumentError:  # an unparsable URL is logged without it
        pass
    detail = "".join(traceback.format_exception(exc))
    if password:
        detail = detail.replace(password, "***")
    if shown == "(onleesbare URL)":
        detail = detail.replace(url, shown)
    log.error("Database %s: %s\n%s", shown, message, detail)
    st.error(message)
    if kind in ("sqlite", "postgresql"):
        st.caption(f"Soort database: {kind}")
    st.stop()


@st.cache_resource(show_spinner=False)
def _engine_for(url: str):
    eng = make_engine(url)
    create_schema(eng)
    return eng


def ensure_data(eng) -> None:
    """Fill the database from the shipped data when it does not hold all of it yet (a first
    start, a build that was interrupted, or new shipped data), with visible progress.
    Checked once per process and database: hashing the shipped files takes a moment."""
    flag = _complete_flag(eng.url.render_as_string(hide_password=True))
    if flag.get("done"):
        return
    with database_guard(eng.url.render_as_string(hide_password=False)), _build_lock:
        if not is_complete(eng):
            bar = st.progress(0.0, text="De database wordt gevuld met de meegeleverde gegevens…")
            build(eng, progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg))
            bar.empty()
        flag["done"] = True


@st.cache_resource(show_spinner=False)
def _complete_flag(url: str) -> dict:
    return {}


def data_version(eng) -> tuple:
    """Cache key for everything read from the database: changes with every import, and
    differs per database (a process serving one database, or tests on copies)."""
    return (*queries.data_version(eng), eng.url.render_as_string(hide_password=True))


# ---------------------------------------------------------------- routing
class PageEnd(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by `end_page`: the page has shown all it has; `app.py` goes on with the frame."""


def end_page() -> NoReturn:
    """End the page here: what it has shown stays, and the router still draws the sidebar
    after it (which `st.stop()` would prevent: after a stop, nothing more is drawn). A page
    that runs on its own, without the router, stops."""
    if getattr(_router, "active", False):
        raise PageEnd
    st.stop()
    raise PageEnd  # not reached: st.stop() ends the run


@contextmanager
def routing():
    """`app.py` runs the chosen page inside this block: a page knows it was routed."""
    _router.active = True
    try:
        yield
    finally:
        _router.active = False


def ensure_routed(page_file: str) -> None:
    """Keep Streamlit in `st.navigation` mode.

    Streamlit still has its legacy multipage mode for a folder named `pages/` next to the main
    script: until `st.navigation` has run once in the process, a first visit to a deep link
    such as `/kaart` runs `pages/kaart.py` on its own (no page config, file names in the
    sidebar). A page that runs without the router calls `st.navigation` itself, which the
    public API documents as switching that mode off, and reruns, so `app.py` routes the
    request. AppTest starts every run in the legacy mode, so this is checked per run.
    (Streamlit has no public switch for the legacy mode.)
    """
    if getattr(_router, "active", False):
        st.session_state.pop(_REROUTED, None)
        return
    if st.session_state.get(_REROUTED):
        return  # rerouted and still alone: this page is the main script (a test of one page)
    st.session_state[_REROUTED] = True
    # This page under its own path (so the URL is found) beside a default that never runs.
    here = st.Page(Path(page_file), url_path=Path(page_file).stem)
    st.navigation(
        [st.Page(_never, title="Start", url_path="start", default=True), here],
        position="hidden",
    )
    st.rerun()


def _never() -> None:
    """The default page of the routing guard's one-off navigation; the rerun comes first."""


# ---------------------------------------------------------------- the gemeente in view
def offered(eng, version: tuple) -> dict[str, str]:
    """The gemeenten this deployment offers (code -> name): those of `GEMEENTEN` that the
    database knows, in that order, else every gemeente with data; `GEMEENTE` always."""
    default = settings.get("GEMEENTE")
    listed = settings.gemeenten()
    if listed:
        names = cache.gemeente_names(eng, version)
        chosen = {c: names[c] for c in listed if c in names}
        if (unknown := tuple(c for c in listed if c not in names)) and unknown not in _warned:
            _warned.add(unknown)  # once per process, not on every rerun
            log.warning("GEMEENTEN: not in the database: %s", ", ".join(unknown))
    else:
        chosen = cache.gemeenten_with_data(eng, version)
    if default in chosen:
        return chosen
    return {default: cache.area_name(eng, version, default) or default, **chosen}


def choose_gemeente(eng) -> str:
    """Decide the gemeente in view for this run (`app.py` calls it once, before the page);
    a `gemeente` that is not offered gets a Dutch warning and the fallback."""
    default = settings.get("GEMEENTE")
    remembered = st.session_state.get(_GEMEENTE)
    code, notices = urls.parse_gemeente(
        st.query_params, offered(eng, data_version(eng)), default, remembered
    )
    for notice in notices:
        st.warning(notice, icon=":material/location_off:")
    st.session_state[_GEMEENTE] = code
    if code != default and st.query_params.get(urls.GEMEENTE) != code:
        st.query_params[urls.GEMEENTE] = code
    elif notices:
        st.query_params.pop(urls.GEMEENTE, None)
    return code


def gemeente() -> str:
    """The gemeente in view (decided by `choose_gemeente` in this run)."""
    return st.session_state.get(_GEMEENTE) or settings.get("GEMEENTE")


def switch_gemeente(code: str) -> dict[str, str]:
    """Put another gemeente in view; returns the query parameters of its link."""
    st.session_state[_GEMEENTE] = code
    return urls.with_gemeente({}, code, settings.get("GEMEENTE"))


def link(params: dict[str, str] | None = None) -> dict[str, str]:
    """Query parameters of a link to another page: `params` and the gemeente in view."""
    return urls.with_gemeente(params or {}, gemeente(), settings.get("GEMEENTE"))


# ---------------------------------------------------------------- the page
class Page(NamedTuple):
    """The context of one page run: `eng, version, gemeente, city = context.page(__file__)`."""

    eng: object
    version: tuple
    gemeente: str
    city: str


def page(page_file: str) -> Page:
    """Every page starts here: routed, with its engine, data version and gemeente."""
    ensure_routed(page_file)
    eng = engine()
    version = data_version(eng)
    # A page run on its own (not through `app.py`) decides the gemeente itself.
    code = gemeente() if getattr(_router, "active", False) else choose_gemeente(eng)
    return Page(eng, version, code, cache.area_name(eng, version, code) or code)

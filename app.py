"""Router and frame: page config, the page list, the shared sidebar, run."""

import streamlit as st

from dashboard.web import context, login, presentation, sidebar, widgets

st.set_page_config(
    page_title="Veiligheidsdashboard",
    page_icon=widgets.page_icon(),
    layout="wide",
    initial_sidebar_state="expanded",
)
widgets.dutch_document()

PAGES = [
    st.Page(
        "pages/veiligheidsbeeld.py",
        title="Veiligheidsbeeld",
        icon=":material/dashboard:",
        url_path="",
        default=True,
    ),
    st.Page("pages/kaart.py", title="Kaart", icon=":material/map:", url_path="kaart"),
    st.Page(
        "pages/wijkprofiel.py",
        title="Wijkprofiel",
        icon=":material/location_city:",
        url_path="wijkprofiel",
    ),
    st.Page(
        "pages/g32.py", title="G32-vergelijking", icon=":material/leaderboard:", url_path="g32"
    ),
    st.Page("pages/themas.py", title="Thema's", icon=":material/flag:", url_path="themas"),
    st.Page("pages/data.py", title="Data & bronnen", icon=":material/database:", url_path="data"),
]


def _frame(page) -> None:
    sidebar.gemeente_chooser(page)
    login.login_box()
    sidebar.meeting_tools(page)


presenting = presentation.presenting()
# Navigation first, so the sidebar shows the page titles during a first build.
pg = st.navigation(PAGES, position="hidden" if presenting else "sidebar")
context.ensure_data(context.engine())
context.choose_gemeente(context.engine())  # `?gemeente=`, else the session's, else GEMEENTE
if presenting:
    presentation.run({p.url_path: p for p in PAGES}, pg.url_path)
else:
    # The page first, the sidebar after it: the browser then draws the main area before the
    # sidebar's select boxes, whose code it loads and mounts on their first use in a page
    # load (bench/browser.py: some 0,3 s on the pages that have none of their own). A choice
    # of gemeente or a login there reruns the page with it.
    login.oidc_role()  # a role from the identity provider counts on this run's page
    try:
        with context.routing():
            pg.run()
    except context.PageEnd:
        pass
    except Exception:
        _frame(pg)  # the sidebar also under a page that failed, then Streamlit shows the error
        raise
    _frame(pg)

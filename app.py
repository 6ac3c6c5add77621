"""Router and frame: page config, the page list, the shared sidebar, run."""

import streamlit as st

from dashboard import ui

st.set_page_config(
    page_title="Veiligheidsdashboard",
    page_icon="assets/icon.png",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page(
        "pages/veiligheidsbeeld.py",
        title="Veiligheidsbeeld",
        icon=":material/dashboard:",
        url_path="",
        default=True,
    ),
    st.Page("pages/data.py", title="Data & bronnen", icon=":material/database:", url_path="data"),
]

ui.ensure_data(ui.engine())
pg = st.navigation(PAGES)
ui.login_box()
pg.run()

"""The web edge: the only code besides `app.py` and `pages/` that imports Streamlit. Page
context, typed cache wrappers, login, widgets, upload, sidebar and presentation mode."""

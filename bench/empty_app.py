"""The floor of the browser benchmark: a Streamlit app with one empty page, served the same way."""

import streamlit as st

st.navigation([st.Page(lambda: None, title="Leeg", default=True)]).run()

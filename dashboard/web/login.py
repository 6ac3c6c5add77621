"""Sign-in for beheerders and redacteuren in the sidebar; viewers never need it."""

from __future__ import annotations

import streamlit as st

from dashboard.domain import auth
from dashboard.render.safe import md


def _users() -> dict:
    try:
        return {k: dict(v) for k, v in st.secrets.get("users", {}).items()}
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def role() -> str | None:
    return st.session_state.get("role")


def login_box() -> None:
    """Sidebar login for beheerders and redacteuren. Viewers never need it."""
    users = _users()
    if not users:
        return
    with st.sidebar:
        if role():
            st.caption(f"Ingelogd als **{md(st.session_state['user'])}** ({role()})")
            if st.button("Uitloggen", key="logout"):
                st.session_state.pop("role", None)
                st.session_state.pop("user", None)
                st.rerun()
            return
        with st.expander("Inloggen (beheer)"):
            with st.form("login", clear_on_submit=True):
                user = st.text_input("Gebruikersnaam")
                password = st.text_input("Wachtwoord", type="password")
                if st.form_submit_button("Inloggen"):
                    found = auth.authenticate(users, user, password)
                    if found:
                        st.session_state["role"], st.session_state["user"] = found, user
                        st.rerun()
                    else:
                        st.error("Onbekende gebruiker of onjuist wachtwoord.")


def may(needed: str) -> bool:
    return auth.allows(role(), needed)

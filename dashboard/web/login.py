"""Sign-in for beheerders and redacteuren in the sidebar; viewers never need it.

Two ways, both may be offered: the gemeente's identity provider (OpenID Connect through
`st.login`, configured in `[auth]` of the secrets, roles from a claim mapped in `[rollen]`, see
`domain.oidc`) and the local password users of `[users]` as a fallback for a small deployment.
Either way `session_state` holds `role` and `user` (the name recorded with a change)."""

from __future__ import annotations

import secrets

import streamlit as st

from dashboard.domain import auth, oidc
from dashboard.render.safe import md

WRONG = "Onbekende gebruiker of onjuist wachtwoord."
_CLIENT = "_login_client"  # session key: this session's stand-in for a client address


@st.cache_resource(show_spinner=False)
def _throttles() -> tuple[auth.Throttle, auth.Throttle]:
    """One pair per process: per user name (5 failures in 15 minutes lock it for 15 minutes)
    and per client (more, as several people may share one address behind a proxy)."""
    return auth.Throttle(limit=5), auth.Throttle(limit=20)


def _client() -> str:
    """The client's address; the session when Streamlit knows none (localhost). Headers such
    as X-Forwarded-For are not used: any client can set them."""
    address = st.context.ip_address
    if address:
        return f"ip:{address}"
    return "sessie:" + st.session_state.setdefault(_CLIENT, secrets.token_hex(8))


def locked_message(minutes: int) -> str:
    unit = "minuut" if minutes == 1 else "minuten"
    return f"Te veel mislukte pogingen; probeer het over {minutes} {unit} opnieuw."


def _secret(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def _users() -> dict:
    return {k: dict(v) for k, v in _secret("users").items()}


def _oidc_signed_in() -> bool:
    """Signed in with the identity provider (only asked when `[auth]` is configured)."""
    return bool(st.user.is_logged_in)


def oidc_role() -> None:
    """Name and role from the provider's claims, before the page runs (each run, so a changed
    group counts at the next sign-in): the page shows a redacteur's forms on the first run
    after signing in. A mapping that cannot be read is told in the sidebar (`_oidc_box`)."""
    if not (_secret("auth") and _oidc_signed_in()):
        return
    claims = st.user.to_dict()
    try:
        got, problem = oidc.role_for(claims, oidc.parse_mapping(_secret("rollen"))), ""
    except ValueError as exc:
        got, problem = None, str(exc)
    st.session_state["user"] = oidc.user_name(claims)
    st.session_state[_PROBLEM] = problem
    if got:
        st.session_state["role"] = got
    else:
        st.session_state.pop("role", None)


_PROBLEM = "oidc-probleem"


def _oidc_box() -> None:
    """Who is signed in with the provider (`oidc_role` read the claims), and the sign-out
    button."""
    if problem := st.session_state.get(_PROBLEM):
        st.error(problem)
    who = md(oidc.display_name(st.user.to_dict()))
    st.caption(f"Ingelogd als **{who}** ({role() or 'alleen lezen'})")
    if st.button("Uitloggen", key="logout"):
        st.session_state.pop("role", None)
        st.session_state.pop("user", None)
        st.logout()


def role() -> str | None:
    return st.session_state.get("role")


def login_box() -> None:
    """Sidebar login for beheerders and redacteuren. Viewers never need it."""
    users, idp = _users(), bool(_secret("auth"))
    if not users and not idp:
        return
    with st.sidebar:
        if idp and _oidc_signed_in():
            _oidc_box()
            return
        if role():
            st.caption(f"Ingelogd als **{md(st.session_state['user'])}** ({role()})")
            if st.button("Uitloggen", key="logout"):
                st.session_state.pop("role", None)
                st.session_state.pop("user", None)
                st.rerun()
            return
        if idp:
            label = str(_secret("rollen").get("aanbieder") or "uw organisatie")
            if st.button(f"Inloggen met {label}", key="login_oidc"):
                st.login()
        if not users:
            return
        with st.expander("Inloggen (beheer)"):
            with st.form("login", clear_on_submit=True):
                user = st.text_input("Gebruikersnaam")
                password = st.text_input("Wachtwoord", type="password")
                if st.form_submit_button("Inloggen"):
                    result = auth.sign_in(users, user, password, _client(), *_throttles())
                    if result.role:
                        st.session_state["role"], st.session_state["user"] = result.role, user
                        st.rerun()
                    elif result.wait:
                        st.error(locked_message(result.wait_minutes))
                    else:
                        st.error(WRONG)


def may(needed: str) -> bool:
    return auth.allows(role(), needed)

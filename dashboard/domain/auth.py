"""Roles: who may change data. Viewers need nothing; a beheerder logs in to import files.

Users live in `.streamlit/secrets.toml` (never in git):

    [users.anna]
    password_hash = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m dashboard wachtwoord
    role = "beheerder"                                     # or "redacteur"

Roles: `beheerder` may import data and also do everything a `redacteur` may (register progress).
Streamlit's own login (`st.login`, OIDC) can replace this where an organisation has it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 600_000
ROLES = {"beheerder": {"beheerder", "redacteur"}, "redacteur": {"redacteur"}}


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hash_password(password, salt, int(iterations)).split("$")[-1]
    return hmac.compare_digest(candidate, digest)


def authenticate(users: dict, username: str, password: str) -> str | None:
    """Return the user's role when the password is right, else None."""
    user = users.get(username)
    if not user or not verify_password(password, str(user.get("password_hash", ""))):
        return None
    role = str(user.get("role", ""))
    return role if role in ROLES else None


def allows(role: str | None, needed: str) -> bool:
    return role is not None and needed in ROLES.get(role, set())

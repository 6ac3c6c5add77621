"""Roles: who may change data. Viewers need nothing; a beheerder logs in to import files.

Users live in `.streamlit/secrets.toml` (never in git):

    [users.anna]
    password_hash = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m dashboard wachtwoord
    role = "beheerder"                       # or "redacteur" or "wijkregisseur"

Roles: `beheerder` may import data and also do everything a `redacteur` may (register progress).
A `wijkregisseur` may write notes on the figures of an area; a redacteur and a beheerder may
too (a role's set below names every role it includes).
Sign-in with the gemeente's identity provider (`st.login`, OIDC) gives the same roles from a claim
of the ID token: `dashboard.domain.oidc`. These password users stay as a fallback.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

ITERATIONS = 600_000
ROLES = {
    "beheerder": {"beheerder", "redacteur", "wijkregisseur"},
    "redacteur": {"redacteur", "wijkregisseur"},
    "wijkregisseur": {"wijkregisseur"},
}


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


def dummy_hash(iterations: int = ITERATIONS) -> str:
    """What an unknown user's password is checked against, so that an unknown user costs as
    much time as a wrong password (no username oracle). Shaped like a real hash (salt and
    digest of the same length), but its digest is no password's: it never matches."""
    return f"pbkdf2_sha256${iterations}${'0' * 32}${'0' * 64}"


def _iterations(stored: str) -> int | None:
    parts = stored.split("$")
    if len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit():
        return int(parts[1])
    return None


def usual_iterations(users: dict) -> int:
    """The iteration count most configured users have (`ITERATIONS` when none has one)."""
    counts = Counter(_iterations(str((u or {}).get("password_hash", ""))) for u in users.values())
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else ITERATIONS


def authenticate(users: dict, username: str, password: str) -> str | None:
    """Return the user's role when the password is right, else None.

    Takes the same time whether the user exists or not: an unknown user (or one without a
    usable hash) is checked against a dummy hash with the usual iteration count."""
    user = users.get(username) or {}
    stored = str(user.get("password_hash", ""))
    if _iterations(stored) is None:
        verify_password(password, dummy_hash(usual_iterations(users)))
        return None
    if not verify_password(password, stored):
        return None
    role = str(user.get("role", ""))
    return role if role in ROLES else None


def allows(role: str | None, needed: str) -> bool:
    return role is not None and needed in ROLES.get(role, set())


# ---------------------------------------------------------------- throttling failed sign-ins
class Throttle:
    """Failed attempts per key (a user name, a client): after `limit` failures within `window`
    seconds the key is locked for `lockout` seconds. Thread-safe; the clock is injectable."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 15 * 60,
        lockout: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self.max_keys = max_keys
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until `key` may try again; 0 when it may try now."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            recent.append(now)
            if len(recent) >= self.limit:
                self._locked_until[key] = now + self.lockout
                recent = []
            self._failures[key] = recent
            if len(self._failures) + len(self._locked_until) > self.max_keys:
                self._prune(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, now: float) -> None:
        """Forget what no longer counts; when still too many keys, the oldest failures go."""
        self._locked_until = {k: t for k, t in self._locked_until.items() if t > now}
        self._failures = {
            k: [t for t in ts if now - t < self.window] for k, ts in self._failures.items()
        }
        self._failures = {k: ts for k, ts in self._failures.items() if ts}
        while self._failures and len(self._failures) + len(self._locked_until) > self.max_keys:
            del self._failures[min(self._failures, key=lambda k: self._failures[k][-1])]


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in: the role, or None with `wait` > 0 when refused unchecked."""

    role: str | None
    wait: float = 0.0

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))


def sign_in(
    users: dict,
    username: str,
    password: str,
    client: str,
    by_user: Throttle,
    by_client: Throttle,
) -> SignIn:
    """Check a sign-in under both throttles. A locked user name or client is refused without
    checking the password, whether the user exists or not; every failure counts for both."""
    user_key, client_key = f"gebruiker:{username[:200]}", f"client:{client[:200]}"
    wait = max(by_user.wait(user_key), by_client.wait(client_key))
    if wait > 0:
        return SignIn(None, wait)
    role = authenticate(users, username, password)
    if role is None:
        by_user.failed(user_key)
        by_client.failed(client_key)
    else:
        by_user.succeeded(user_key)
    return SignIn(role)

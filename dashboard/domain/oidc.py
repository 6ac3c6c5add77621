"""Roles for people signed in with the gemeente's identity provider (OpenID Connect).

The provider (Entra ID, Keycloak, ...) puts the person's groups or roles in a claim of the ID
token; the `[rollen]` section of `.streamlit/secrets.toml` names that claim and maps its values
to our roles (`auth.ROLES`):

    [rollen]
    claim = "groups"                 # or "roles", or a nested one such as "realm_access.roles"
    [rollen.toewijzing]
    "veiligheid-beheer" = "beheerder"
    "veiligheid-redactie" = "redacteur"

Several matching values give the highest role; no match gives None: a viewer. Pure: the web
layer passes in `st.user` and the secrets section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.domain.auth import ROLES

DEFAULT_CLAIM = "groups"


@dataclass(frozen=True)
class RoleMapping:
    """Which claim holds the groups or roles, and which value gives which role."""

    claim: str = DEFAULT_CLAIM
    table: Mapping[str, str] = field(default_factory=dict)


def parse_mapping(section: Mapping | None) -> RoleMapping:
    """The `[rollen]` section as a RoleMapping; a clear Dutch error for a bad entry."""
    section = dict(section or {})
    claim = section.get("claim", DEFAULT_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError("secrets.toml, [rollen] claim: verwacht de naam van een claim")
    table = dict(section.get("toewijzing") or {})
    for value, role in table.items():
        if role not in ROLES:
            raise ValueError(
                f'secrets.toml, [rollen.toewijzing] "{value}": onbekende rol "{role}"; '
                f"kies uit {', '.join(sorted(ROLES))}"
            )
    return RoleMapping(claim.strip(), table)


def claim_values(claims: Mapping, claim: str) -> list[str]:
    """The values of a claim: a list, or one string; a dotted name walks nested claims
    (Keycloak's `realm_access.roles`). A missing or odd claim gives no values."""
    value: object = claims
    for part in claim.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def role_for(claims: Mapping, mapping: RoleMapping) -> str | None:
    """The highest role any of the claim's values maps to; None (a viewer) when none does."""
    roles = {mapping.table[v] for v in claim_values(claims, mapping.claim) if v in mapping.table}
    roles &= set(ROLES)
    if not roles:
        return None
    return max(roles, key=lambda r: (len(ROLES[r]), r))


def user_name(claims: Mapping) -> str:
    """The name recorded with a change: the e-mail address if the provider verified it (a
    user may set an unverified one to a colleague's, e.g. in Keycloak's profile), else the
    preferred user name, else the subject (always present in an ID token)."""
    keys = ("email", "preferred_username", "sub")
    for key in keys if claims.get("email_verified") is True else keys[1:]:
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "onbekend"


def display_name(claims: Mapping) -> str:
    """The name shown in the sidebar: the person's name, else the recorded user name."""
    name = claims.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else user_name(claims)

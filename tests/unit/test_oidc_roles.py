"""Roles from the identity provider's claims (dashboard.domain.oidc): one row per case."""

import pytest

from dashboard.domain import oidc

TABLE = {
    "veiligheid-beheer": "beheerder",
    "veiligheid-redactie": "redacteur",
    "wijkteam": "wijkregisseur",
}
GROUPS = oidc.RoleMapping("groups", TABLE)


@pytest.mark.parametrize(
    ("claims", "mapping", "expected"),
    [
        ({"groups": ["veiligheid-redactie"]}, GROUPS, "redacteur"),
        ({"groups": ["wijkteam", "veiligheid-beheer", "x"]}, GROUPS, "beheerder"),  # highest
        ({"groups": ["wijkteam", "veiligheid-redactie"]}, GROUPS, "redacteur"),
        ({"groups": "veiligheid-redactie"}, GROUPS, "redacteur"),  # one string, not a list
        ({"groups": ["andere-groep"]}, GROUPS, None),  # no mapped group: a viewer
        ({"groups": []}, GROUPS, None),
        ({}, GROUPS, None),  # no claim at all
        ({"groups": {"veiligheid-redactie": 1}}, GROUPS, None),  # odd shape: nothing
        ({"groups": None}, GROUPS, None),
        ({"roles": ["veiligheid-beheer"]}, GROUPS, None),  # another claim than configured
        ({"roles": ["veiligheid-beheer"]}, oidc.RoleMapping("roles", TABLE), "beheerder"),
        (
            {"realm_access": {"roles": ["offline_access", "wijkteam"]}},
            oidc.RoleMapping("realm_access.roles", TABLE),
            "wijkregisseur",
        ),
        ({"realm_access": ["wijkteam"]}, oidc.RoleMapping("realm_access.roles", TABLE), None),
        ({"groups": ["Veiligheid-Redactie"]}, GROUPS, None),  # values match exactly
        ({"groups": ["veiligheid-redactie"]}, oidc.RoleMapping("groups", {}), None),
    ],
)
def test_role_for(claims, mapping, expected):
    assert oidc.role_for(claims, mapping) == expected


@pytest.mark.parametrize(
    ("section", "claim", "table"),
    [
        (None, "groups", {}),
        ({}, "groups", {}),
        ({"claim": " roles "}, "roles", {}),
        ({"toewijzing": {"g1": "redacteur"}}, "groups", {"g1": "redacteur"}),
    ],
)
def test_parse_mapping(section, claim, table):
    mapping = oidc.parse_mapping(section)
    assert (mapping.claim, dict(mapping.table)) == (claim, table)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"toewijzing": {"g1": "admin"}}, '[rollen.toewijzing] "g1": onbekende rol "admin"'),
        ({"claim": ""}, "[rollen] claim: verwacht de naam van een claim"),
        ({"claim": ["groups"]}, "[rollen] claim: verwacht de naam van een claim"),
    ],
)
def test_parse_mapping_refuses(section, message):
    with pytest.raises(ValueError, match="secrets.toml") as exc:
        oidc.parse_mapping(section)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("claims", "user", "shown"),
    [
        (
            {"sub": "s1", "email": "a@gemeente.nl", "email_verified": True, "name": "Anna"},
            "a@gemeente.nl",
            "Anna",
        ),
        ({"sub": "s1", "email": "a@gemeente.nl", "name": "Anna"}, "s1", "Anna"),  # unverified
        ({"sub": "s1", "email": "a@x.nl", "email_verified": "true"}, "s1", "s1"),  # not a bool
        (
            {"sub": "s1", "email": "a@x.nl", "email_verified": False, "preferred_username": "a"},
            "a",
            "a",
        ),
        ({"sub": "s1", "preferred_username": "anna"}, "anna", "anna"),
        ({"sub": "s1", "email": " "}, "s1", "s1"),
        ({}, "onbekend", "onbekend"),
    ],
)
def test_user_and_display_name(claims, user, shown):
    assert (oidc.user_name(claims), oidc.display_name(claims)) == (user, shown)

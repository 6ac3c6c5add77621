"""All settings in one place, each with a default and a help text.

Values come from the environment or from `.streamlit/secrets.toml` (environment wins) and are
read once; nothing mutates them at run time.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'dashboard.sqlite'}",
            "SQLAlchemy database URL. Default: a SQLite file under data/, created and filled "
            "from the shipped data on first start. Example for PostgreSQL: "
            "postgresql+psycopg://user:password@host/dbname",
        ),
        Setting(
            "GEMEENTE",
            "GM0164",
            "CBS code of the gemeente the dashboard opens with (default GM0164, Hengelo). "
            "The URL parameter `gemeente` (a CBS code) opens another gemeente of the same "
            "database, when this deployment offers it (see GEMEENTEN).",
        ),
        Setting(
            "GEMEENTEN",
            "",
            "Which gemeenten this deployment offers in the sidebar chooser and through the URL "
            "parameter `gemeente`: CBS codes separated by commas, e.g. GM0164,GM0153,GM0141. "
            "Default (empty): every gemeente with figures or wijken in the database. "
            "GEMEENTE is always offered.",
        ),
        Setting(
            "CBS_ODATA_URL",
            "https://opendata.cbs.nl/ODataApi/odata",
            "Base URL of the CBS StatLine OData v3 feed that `python -m dashboard ophalen` "
            "fetches CBS tables from (83648NED, the Veiligheidsmonitor tables).",
        ),
        Setting(
            "POLITIE_ODATA_URL",
            "https://dataderden.cbs.nl/ODataApi/odata",
            "Base URL of the OData v3 feed of the politie open-data tables (47018NED, 47022NED) "
            "that `python -m dashboard ophalen` fetches from.",
        ),
        Setting(
            "DATA_MANIFEST",
            str(DATA_DIR / "bronnen.toml"),
            "Manifest of the shipped default data that `python -m dashboard build` loads.",
        ),
    )
}


def _secrets() -> dict:
    if not SECRETS_FILE.exists():
        return {}
    with SECRETS_FILE.open("rb") as fh:
        return tomllib.load(fh)


def get(name: str) -> str:
    """Return a setting: environment first, then `.streamlit/secrets.toml`, then the default."""
    setting = SETTINGS[name]
    if os.environ.get(name):
        return os.environ[name]
    value = _secrets().get(name)
    return str(value) if value else setting.default


def gemeenten() -> list[str]:
    """The CBS codes of GEMEENTEN (trimmed, upper case, in order); empty: not restricted."""
    codes = (c.strip().upper() for c in get("GEMEENTEN").split(","))
    return list(dict.fromkeys(c for c in codes if c))


def users() -> dict[str, dict]:
    """Users with a password and a role from the `[users]` table of `.streamlit/secrets.toml`."""
    return dict(_secrets().get("users", {}))

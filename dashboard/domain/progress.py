"""Progress of a safety plan: the vocabulary and the pure rules (no I/O).

A plan holds themes, their ambitie, doelen and acties word for word. Progress is a list of
dated status updates per actie; an actie without any update has no status at all ("nog geen
voortgang geregistreerd"): nothing is invented. These functions turn plan elements and
updates (DataFrames read by `store.plans`) into what the pages, slides and PDF show.
"""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.domain.fmt import fmt_date, fmt_number
from dashboard.errors import ValidationError

STATUSES = ("niet gestart", "loopt", "afgerond", "vertraagd", "vervallen")


NOT_REGISTERED = "nog geen voortgang geregistreerd"


STATUS_ORDER = ("afgerond", "loopt", "vertraagd", "niet gestart", "vervallen", NOT_REGISTERED)


# Okabe-Ito (colour-blind safe); the status word is always shown with the colour.
STATUS_COLOURS = {
    "afgerond": "#009E73",
    "loopt": "#0072B2",
    "vertraagd": "#E69F00",
    "niet gestart": "#BBBBBB",
    "vervallen": "#CC79A7",
    NOT_REGISTERED: "#F2F2F2",
}


STATUS_TEXT_COLOURS = {s: ("#FFFFFF" if s == "loopt" else "#111111") for s in STATUS_ORDER}


KINDS = {
    "plan",
    "algemene_ambitie",
    "pijler",
    "thema",
    "ambitie",
    "doel",
    "subdoel",
    "actie",
    "indicator",
    "vraagstuk",
}


# An IVB hangs doelen under thema's; a begroting hangs its doelen under the plan itself, with
# subdoelen below them (Enschede: programme -> doel -> subdoel -> actie).
PARENT_KINDS = {
    "algemene_ambitie": {"plan"},
    "pijler": {"plan"},
    "thema": {"plan"},
    "vraagstuk": {"plan"},
    "ambitie": {"thema"},
    "doel": {"thema", "plan"},
    "subdoel": {"doel"},
    "actie": {"doel", "thema", "subdoel"},
    "indicator": {"thema", "doel", "subdoel"},
}


# The groups the Thema's page shows as its top level: kinds directly under the plan that hold
# acties. Their names (and those of the level below) per kind, for headings and tables.
GROUP_KINDS = ("thema", "doel")
LEVEL_NAMES = {"thema": ("Thema", "Doel"), "doel": ("Doel", "Subdoel")}


CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


PLAN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


MAX_OWNER, MAX_NOTE = 200, 4000


ROLE = "redacteur"


LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


NO_PLAN = (
    "Er is nog geen veiligheidsbeleid ingelezen. Een beheerder leest het plan in via Data & "
    "bronnen (het formaat staat in data/beleid/README.md)."
)


def no_plan_text(city: str) -> str:
    """What a page says for a gemeente without a plan, and how to load one."""
    return (
        f"Nog geen beleidsplan ingelezen voor {city}. Een beheerder leest het plan van de "
        "gemeente in met het uploadformulier op de pagina Data & bronnen, of met de opdracht "
        "python -m dashboard import BESTAND. Het bestand is een CSV in het formaat van "
        "data/beleid/README.md, met de CBS-code van de gemeente in de kolom 'gemeente'."
    )


def no_progress_text(n: int) -> str:
    return (
        f"Voor deze {n} acties is nog geen voortgang geregistreerd. Er staat dus nergens een "
        "status: die verschijnt zodra een redacteur een update registreert."
    )


def group_labels(titles: dict[str, str], codes, width: int | None = None) -> dict[str, str]:
    """'T1 Ondermijnende criminaliteit' per code (shortened to `width` characters if given)."""
    return {
        c: f"{c} {short(titles[c], width) if width else titles[c]}"
        for c in dict.fromkeys(codes)
        if isinstance(c, str)
    }


class UpdateRefused(ValidationError):
    """A status update with problems: nothing is stored. Messages name the form field."""

    def summary(self) -> str:
        n = len(self.problems)
        head = f"Update niet opgeslagen: {n} {'probleem' if n == 1 else 'problemen'} gevonden."
        lines = [f"- {p.column + ': ' if p.column else ''}{p.message}" for p in self.problems]
        return "\n".join([head, *lines, "Er is niets opgeslagen."])


def latest(upd: pd.DataFrame) -> pd.DataFrame:
    """The current state of each actie: its latest update (by date, then registration)."""
    if upd.empty:
        return upd.set_index("action_code")
    ordered = upd.sort_values(["update_date", "id"])
    return ordered.groupby("action_code").tail(1).set_index("action_code")


def actions(els: pd.DataFrame, upd: pd.DataFrame) -> pd.DataFrame:
    """One row per actie with its theme, doel and current state (status, owner, wijken...).

    An actie without any update has status NOT_REGISTERED and no owner: nothing is invented.
    """
    top = set(themes(els)["code"])
    parent = dict(zip(els["code"], els["parent_code"], strict=True))
    acts = els[els["kind"] == "actie"].copy()
    acts["doel_code"] = [None if p in top else p for p in acts["parent_code"]]
    acts["theme_code"] = [p if p in top else parent.get(p) for p in acts["parent_code"]]
    state = latest(upd)
    acts["updates"] = [int((upd["action_code"] == c).sum()) for c in acts["code"]]
    for col in ("status", "owner", "due_date", "update_date", "note", "user_name", "wijken"):
        values = [_clean(state.at[c, col]) if c in state.index else None for c in acts["code"]]
        acts[col] = pd.Series(values, index=acts.index, dtype=object)
    acts["status"] = [s or NOT_REGISTERED for s in acts["status"]]
    acts["wijken"] = pd.Series(
        [w if isinstance(w, list) else [] for w in acts["wijken"]], index=acts.index, dtype=object
    )
    order = {c: i for i, c in enumerate(document_order(els))}
    acts["_order"] = acts["code"].map(order)
    return acts.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def _clean(value):
    """None for a missing value (None, NaN, NaT); lists and everything else as they are."""
    if isinstance(value, list) or value is None:
        return value
    return None if pd.isna(value) else value


def current(acts: pd.DataFrame, code: str) -> dict:
    """The current state of one actie as plain values (None where nothing is registered)."""
    row = acts[acts["code"] == code].iloc[0]
    return {k: _clean(v) for k, v in row.items()}


def status_index(state: dict) -> int | None:
    """Position of the current status in STATUSES for a form (None: nothing registered yet)."""
    return STATUSES.index(state["status"]) if state["status"] in STATUSES else None


def document_order(els: pd.DataFrame) -> list[str]:
    """Codes depth-first in document order (children by kind, then position)."""
    kids: dict[str | None, list] = {}
    kinds = ["algemene_ambitie", "pijler", "thema", "ambitie", "doel", "subdoel", "indicator"]
    rank = {k: i for i, k in enumerate(kinds)}
    for r in els.itertuples():
        key = None if pd.isna(r.parent_code) else r.parent_code
        kids.setdefault(key, []).append((rank.get(r.kind, 9), r.position, r.code))
    out: list[str] = []

    def walk(code):
        for *_, child in sorted(kids.get(code, [])):
            out.append(child)
            walk(child)

    walk(None)
    return out


def children(els: pd.DataFrame, parent: str, kind: str) -> pd.DataFrame:
    sub = els[(els["parent_code"] == parent) & (els["kind"] == kind)]
    return sub.sort_values("position")


def levels(els: pd.DataFrame) -> tuple[str, str]:
    """What the page calls its two levels: ('Thema', 'Doel') for an IVB, ('Doel', 'Subdoel')
    for a begroting whose doelen hang under the plan."""
    kinds = themes(els)["kind"]
    return LEVEL_NAMES[kinds.iloc[0] if len(kinds) else "thema"]


def doel_sections(els: pd.DataFrame, acts: pd.DataFrame, theme: str) -> list[tuple]:
    """(prefix, text, its acties, code) per doel (or subdoel) of a theme, in document order;
    acties hung directly under the theme (allowed in the format) come last as their own
    section. A doel is named by its number ('Doel 1.'), a subdoel by its code and title."""
    kind = "subdoel" if els.set_index("code").at[theme, "kind"] == "doel" else "doel"
    out = [
        (
            f"Doel {d.position}." if kind == "doel" else f"Subdoel {d.code} {d.title}",
            d.text,
            acts[acts["doel_code"] == d.code],
            d.code,
        )
        for d in children(els, theme, kind).itertuples()
    ]
    loose = acts[(acts["theme_code"] == theme) & acts["doel_code"].isna()]
    if not loose.empty:
        out.append((f"Acties bij het {levels(els)[0].lower()} zelf", "", loose, theme))
    return out


def themes(els: pd.DataFrame) -> pd.DataFrame:
    """The top level of the plan: its thema's, or the doelen directly under the plan."""
    roots = set(els.loc[els["kind"] == "plan", "code"])
    top = els[els["kind"].isin(GROUP_KINDS) & els["parent_code"].isin(roots)]
    rank = top["kind"].map(GROUP_KINDS.index)
    return top.assign(_rank=rank).sort_values(["_rank", "position"]).drop(columns="_rank")


def shares(acts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share of acties per status for each group (`by` = 'theme_code' or 'doel_code').

    Long format: group, status, n, share (0-1); every status of STATUS_ORDER for every group.
    """
    rows = []
    for group, sub in acts.groupby(by, sort=False):
        total = len(sub)
        counts = sub["status"].value_counts()
        for status in STATUS_ORDER:
            n = int(counts.get(status, 0))
            rows.append({"group": group, "status": status, "n": n, "share": n / total})
    return pd.DataFrame(rows, columns=["group", "status", "n", "share"])


def status_sentence(acts: pd.DataFrame) -> str:
    """'3 acties: 1 loopt (33%), 2 nog geen voortgang geregistreerd (67%).'"""
    total = len(acts)
    if not total:
        return "Geen acties."
    counts = acts["status"].value_counts()
    parts = [
        f"{int(counts[s])} {s} ({fmt_number(100 * counts[s] / total, 0)}%)"
        for s in STATUS_ORDER
        if counts.get(s, 0)
    ]
    return f"{total} {'actie' if total == 1 else 'acties'}: {', '.join(parts)}."


BUDGET_HEAD = "Totale lasten (x 1.000 euro)"


def budgets(els: pd.DataFrame) -> dict[str, float]:
    """Code -> budget (`lasten`, x 1.000 euro) of the elements that have one."""
    if "lasten" not in els:
        return {}
    return {c: v for c, v in zip(els["code"], els["lasten"], strict=True) if _clean(v) is not None}


def budget_text(value: float) -> str:
    """'totale lasten (x 1.000 euro): 11.663', the words of the begroting."""
    return f"totale lasten (x 1.000 euro): {fmt_number(value, decimals_of(value))}"


def decimals_of(value: float) -> int:
    return 0 if float(value).is_integer() else 2


def share_table(
    acts: pd.DataFrame,
    by: str,
    labels: dict[str, str],
    head: str,
    lasten: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Per group the number of acties and per status 'n (p%)': the table next to the chart.

    With `lasten` (budgets per group code) and a budget for one of the groups, a column with
    the budget follows the number of acties ('–' for a group without one)."""
    long = shares(acts, by)
    groups = list(dict.fromkeys(long["group"]))
    money = bool(lasten) and any(g in lasten for g in groups)
    rows = []
    for group, sub in long.groupby("group", sort=False):
        row = {head: labels.get(group, group), "Acties": int(sub["n"].sum())}
        if money:
            value = lasten.get(group)
            row[BUDGET_HEAD] = fmt_number(value, decimals_of(value)) if value is not None else "–"
        for r in sub.itertuples():
            row[r.status] = f"{r.n} ({fmt_number(100 * r.share, 0)}%)" if r.n else "0"
        rows.append(row)
    extra = [BUDGET_HEAD] if money else []
    return pd.DataFrame(rows, columns=[head, "Acties", *extra, *STATUS_ORDER])


def without_empty_statuses(table: pd.DataFrame) -> pd.DataFrame:
    """A share table without the status columns in which every group has 0 acties: on a
    slide or a printed page they say nothing and squeeze the names. 'Nog geen update' stays,
    as it says why the others are empty."""
    empty = [
        c for c in STATUSES if c in table and all(str(v).split(" ")[0] == "0" for v in table[c])
    ]
    return table.drop(columns=empty)


def wijk_text(codes: list[str], wijk_names: dict[str, str]) -> str:
    return ", ".join(wijk_names.get(c, c) for c in codes) if codes else "–"


def action_view(acts: pd.DataFrame, wijk_names: dict[str, str]) -> pd.DataFrame:
    """Acties as shown on the page: full text, status word, owner, where, due, last update."""
    return pd.DataFrame(
        {
            "Code": acts["code"],
            "Actie": acts["text"],
            "Status": acts["status"],
            "Eigenaar of partner": [o or "–" for o in acts["owner"]],
            "Waar": [wijk_text(w, wijk_names) for w in acts["wijken"]],
            "Gepland gereed": [fmt_date(d) if d else "–" for d in acts["due_date"]],
            "Laatste update": [
                f"{fmt_date(d)}: {n} (door {u})" if d else "–"
                for d, n, u in zip(
                    acts["update_date"], acts["note"], acts["user_name"], strict=True
                )
            ],
        }
    )


def local_time(value) -> datetime | None:
    """A stored UTC timestamp (naive on SQLite) in Dutch local time."""
    if value is None or pd.isna(value):
        return None
    value = pd.Timestamp(value).to_pydatetime()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def history_view(
    upd: pd.DataFrame, titles: dict[str, str], wijk_names: dict[str, str]
) -> pd.DataFrame:
    """Every update, newest first: the evidence trail behind each status."""
    upd = upd.sort_values(["update_date", "id"], ascending=False)
    return pd.DataFrame(
        {
            "Datum": [fmt_date(d) for d in upd["update_date"]],
            "Actie": [f"{c} {titles.get(c, '')}" for c in upd["action_code"]],
            "Status": upd["status"],
            "Eigenaar of partner": upd["owner"],
            "Waar": [wijk_text(w, wijk_names) for w in upd["wijken"]],
            "Gepland gereed": [fmt_date(_clean(d)) if _clean(d) else "–" for d in upd["due_date"]],
            "Toelichting": upd["note"],
            "Door": upd["user_name"],
            "Geregistreerd op": [fmt_date(local_time(t)) for t in upd["registered_at"]],
        }
    )


def plan_period(*texts: str) -> str:
    """'Integraal veiligheidsbeleid Hengelo 2024-2026' -> '2024–2026'; 'Begroting 2022' ->
    '2022': from the first text that names years (empty if none does)."""
    for text in texts:
        found = re.search(r"([0-9]{4})\s*[-–]\s*([0-9]{4})", str(text))
        if found:
            return f"{found.group(1)}–{found.group(2)}"
        if one := re.search(r"\b(19|20)[0-9]{2}\b", str(text)):
            return one.group(0)
    return ""


def short(text: str, width: int = 60) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def theme_of(by_code: pd.DataFrame, code: str) -> str | None:
    """The thema above an element (`by_code`: the elements indexed by code), or None."""
    seen = set()
    while code in by_code.index and code not in seen:
        seen.add(code)
        parent = by_code.at[code, "parent_code"]
        if parent is None or pd.isna(parent):
            return None
        up = by_code.at[parent, "kind"] if parent in by_code.index else None
        if by_code.at[code, "kind"] in GROUP_KINDS and up == "plan":
            return code
        code = parent
    return None

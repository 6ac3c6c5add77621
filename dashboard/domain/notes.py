"""Notes on the figures: what a wijkregisseur (or redacteur, beheerder) knows about an area's
figures that the figures do not say ("camera's geplaatst in 2022", "nieuwe telling vanaf 2021").

The pure rules, no I/O: who may write and change a note, what a valid note is (every problem
in Dutch, collected and raised together), how its period reads and where a note falls on a
trend chart. A note is never edited in place: a change is a new version and a removal is a
version that says so (`store.notes`). Note text is untrusted: it is escaped wherever it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.domain import auth
from dashboard.errors import Collector, ValidationError

ROLE = "wijkregisseur"  # beheerder and redacteur include it (auth.ROLES)
CHANGE_ALL_ROLE = "beheerder"  # may change or remove anyone's note; others only their own
MAX_TEXT = 2000
YEAR = re.compile(r"^(19|20)\d\d$")

# Form fields, the names the messages use.
TEXT, AREA, INDICATOR, FROM, TO, WHO = (
    "Notitie",
    "Gebied",
    "Indicator",
    "Jaar van",
    "Jaar tot en met",
    "Gebruiker",
)


class NoteRefused(ValidationError):
    """A note with problems: nothing is stored. Messages name the form field."""

    def summary(self) -> str:
        n = len(self.problems)
        head = f"Notitie niet opgeslagen: {n} {'probleem' if n == 1 else 'problemen'} gevonden."
        lines = [f"- {p.column + ': ' if p.column else ''}{p.message}" for p in self.problems]
        return "\n".join([head, *lines, "Er is niets opgeslagen."])


@dataclass(frozen=True)
class Draft:
    """What the form gives: text, optional indicator and years (as typed or chosen)."""

    text: str | None
    indicator_id: str | None = None
    period_from: str | None = None
    period_to: str | None = None


def clean(draft: Draft) -> Draft:
    """Strip spaces; an empty choice becomes None."""

    def norm(value) -> str | None:
        value = ("" if value is None else str(value)).strip()
        return value or None

    return Draft(
        (draft.text or "").strip(),
        norm(draft.indicator_id),
        norm(draft.period_from),
        norm(draft.period_to),
    )


def may_write(role: str | None, user: str | None) -> bool:
    return auth.allows(role, ROLE) and bool((user or "").strip())


def may_change(role: str | None, user: str | None, author: str) -> bool:
    """The note's author may change or remove it, and a beheerder may change any note."""
    if not may_write(role, user):
        return False
    return auth.allows(role, CHANGE_ALL_ROLE) or (user or "").strip() == author


def problems(
    draft: Draft,
    *,
    role: str | None,
    user: str | None,
    area_known: bool = True,
    indicator_known: bool = True,
) -> Collector:
    """Every problem of a (cleaned) note, in Dutch, each naming its form field."""
    found = Collector("notitie")
    if not may_write(role, user):
        found.add(
            "alleen een ingelogde wijkregisseur, redacteur of beheerder mag notities schrijven",
            column=WHO,
        )
    if not draft.text:
        found.add("schrijf de notitie (wat weet u over deze cijfers?)", column=TEXT)
    elif len(draft.text) > MAX_TEXT:
        found.add(
            f"hoogstens {MAX_TEXT} tekens (nu {len(draft.text)}); maak de notitie korter",
            column=TEXT,
        )
    if not area_known:
        found.add("onbekend gebied: kies een wijk of buurt van deze gemeente", column=AREA)
    if draft.indicator_id is not None and not indicator_known:
        found.add(f"onbekende indicator '{draft.indicator_id}'", column=INDICATOR)
    years_ok = True
    for column, value in ((FROM, draft.period_from), (TO, draft.period_to)):
        if value is not None and not YEAR.match(value):
            found.add(f"'{value}' is geen jaar (vier cijfers, zoals 2023)", column=column)
            years_ok = False
    if draft.period_to is not None and draft.period_from is None:
        found.add("vul ook het eerste jaar in (of alleen het eerste jaar)", column=FROM)
    elif years_ok and draft.period_from and draft.period_to:
        if draft.period_to < draft.period_from:
            found.add(
                f"het laatste jaar ({draft.period_to}) ligt vóór het eerste ({draft.period_from})",
                column=TO,
            )
    return found


def validate(draft: Draft, **kwargs) -> Draft:
    """The cleaned note, or NoteRefused with every problem."""
    draft = clean(draft)
    found = problems(draft, **kwargs)
    if found.problems:
        raise NoteRefused(found.problems)
    return draft


def period_text(period_from: str | None, period_to: str | None) -> str:
    """'2023', '2021–2023', or 'geen periode'."""
    if not period_from:
        return "geen periode"
    if not period_to or period_to == period_from:
        return str(period_from)
    return f"{period_from}–{period_to}"


def applies(note_indicator: str | None, indicator_id: str) -> bool:
    """A note without an indicator is about the area: it belongs on every trend of it."""
    return not note_indicator or note_indicator == indicator_id


@dataclass(frozen=True)
class Marker:
    """Where a note falls on a chart with these periods: the first and last period it
    covers (the same for one year) and the note's lines for the hover (still unescaped)."""

    first: str
    last: str
    lines: tuple[str, ...]


def markers(notes: list[dict], periods: list[str], indicator_id: str) -> list[Marker]:
    """The notes (dicts with indicator_id, period_from, period_to, text, author, date) that
    belong on a trend of `indicator_id` with these periods (years as '2023'), in time order.
    A note whose years lie outside the chart, or that has no period, is not marked."""
    years = sorted(str(p) for p in periods if YEAR.match(str(p)[:4]))
    by_year = {p[:4]: p for p in years}
    out = []
    for n in notes:
        if not applies(n.get("indicator_id"), indicator_id) or not n.get("period_from"):
            continue
        lo, hi = n["period_from"], n.get("period_to") or n["period_from"]
        inside = [by_year[y] for y in sorted(by_year) if lo <= y <= hi]
        if not inside:
            continue
        head = f"{period_text(lo, hi)}, {n.get('author', '')}"
        if n.get("date"):
            head += f" ({n['date']})"
        out.append(Marker(inside[0], inside[-1], (head, str(n.get("text", "")))))
    return sorted(out, key=lambda m: (m.first, m.last))

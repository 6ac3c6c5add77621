"""How old a source is, and whether it is older than its expected update cycle.

The age counts from the end of the newest period in the data ('2024' ends on 31 December
2024, '2024-03' on 31 March, '2024-K2' on 30 June); a source without periods (a policy
document) counts from its last import. A source is out of date ("verouderd") when its newest
period ended longer ago than its cycle plus the usual publication delay: a yearly CBS table for
2024 appears around mid-2025, so it is out of date once the end of 2024 is more than 12 + 6
months ago. Without a cycle there is no verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# cycle -> (months between releases, months of publication delay allowed, Dutch wording)
CYCLES: dict[str, tuple[int, int, str]] = {
    "maand": (1, 2, "elke maand"),
    "kwartaal": (3, 3, "elk kwartaal"),
    "jaar": (12, 6, "elk jaar"),
    "twee jaar": (24, 6, "elke twee jaar"),
}
_PERIOD_RE = re.compile(r"^(?P<y>[0-9]{4})(?:-(?:(?P<m>[0-9]{2})|K(?P<q>[1-4])|H(?P<h>[12])))?$")


@dataclass(frozen=True)
class Freshness:
    age: str  # "nieuwste periode 2024: 23 maanden geleden"
    cycle: str  # "elk jaar", or "" without a cycle
    verdict: str  # "verouderd", "actueel" or "" (no cycle, or no date)


def period_end(period: str) -> date | None:
    """The last day of a normalised period ('2024', '2024-03', '2024-K2', '2024-H1')."""
    m = _PERIOD_RE.match(str(period).strip())
    if not m:
        return None
    year = int(m["y"])
    month = (
        int(m["m"]) if m["m"] else int(m["q"]) * 3 if m["q"] else int(m["h"]) * 6 if m["h"] else 12
    )
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when `end` is not later)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _last_day(end):
        months -= 1
    return max(months, 0)


def _last_day(d: date) -> bool:
    return date.fromordinal(d.toordinal() + 1).month != d.month


def age_words(months: int) -> str:
    if months < 1:
        return "minder dan een maand geleden"
    if months == 1:
        return "1 maand geleden"
    if months < 24:
        return f"{months} maanden geleden"
    return f"{months // 12} jaar geleden"


def freshness(
    last_period: str | None, imported_at: date | datetime | None, cycle: str, today: date
) -> Freshness:
    """The age of a source from its newest period (or, without one, its last import) and its
    verdict against `cycle` (a key of CYCLES, or "")."""
    months_cycle, delay, words = CYCLES.get(cycle, (0, 0, ""))
    end = period_end(last_period) if last_period else None
    if end is not None:
        months = months_between(end, today)
        age = f"nieuwste periode {last_period}: {age_words(months)}"
    elif imported_at is not None:
        day = imported_at.date() if isinstance(imported_at, datetime) else imported_at
        months = months_between(day, today)
        age = f"ingelezen {age_words(months)}"
    else:
        return Freshness("–", words, "")
    if not words:
        return Freshness(age, "", "")
    return Freshness(age, words, "verouderd" if months > months_cycle + delay else "actueel")

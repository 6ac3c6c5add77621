"""A filled-in voortgangsrapportage read back: every row checked first, then all changes stored
in one transaction through the progress form's own write (`store.plans.register_updates`), or
none. Only rows that differ from the actie's current state become an update; the actie keeps
its wijken and planned date. Problems name the sheet, the row and the column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from dashboard.domain import progress, report
from dashboard.domain.parsing import ParseError, check_text, parse_date
from dashboard.errors import Collector
from dashboard.ingest import xlsx
from dashboard.store import plans

REQUIRED = [report.CODE, *report.EDITABLE]


@dataclass
class ReportResult:
    changed: list[str]
    rows: int

    def summary(self) -> str:
        return report.summary(self.changed, self.rows)


MAX_REPORT_BYTES = 10 * 1024 * 1024


def _info(data: bytes, name: str) -> dict[str, str]:
    """Label -> value of the instructions sheet, or {} when the workbook has none."""
    if report.INFO_SHEET not in xlsx.sheet_names(data, name):
        return {}
    _, rows = xlsx.sheet_values(data, name, report.INFO_SHEET)
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) > 1 and r[0] and r[1]}


def read(data: bytes, name: str) -> tuple[str, dict[str, str], list[tuple[int, dict]]]:
    """(label, instructions, rows): each row's number and its cells by column name."""
    if len(data) > MAX_REPORT_BYTES:  # a plan's acties are a few hundred rows at most
        problems = Collector(name)
        problems.add(f"bestand is groter dan {MAX_REPORT_BYTES // 2**20} MB")
        problems.raise_if_any()
    sheets = xlsx.sheet_names(data, name)
    sheet = report.SHEET if report.SHEET in sheets else None
    label, values = xlsx.sheet_values(data, name, sheet)
    problems = Collector(label)
    header = [str(v).strip() if v is not None else "" for v in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.add(
            "kolom(men) ontbreken: "
            + ", ".join(f"'{c}'" for c in missing)
            + f"; verwacht de kopregel van de voortgangsrapportage ({', '.join(report.COLUMNS)})",
            row=1,
        )
        problems.raise_if_any()
    out = []
    for i, r in enumerate(values[1:], start=2):
        cells = {h: report.plain(r[j] if j < len(r) else None) for j, h in enumerate(header) if h}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        out.append((i, cells))
    return label, _info(data, name), out


def apply(
    engine: Engine,
    data: bytes,
    name: str,
    *,
    plan_id: str,
    gemeente: str,
    user: str | None,
    role: str | None,
    today: date | None = None,
) -> ReportResult:
    """Check every row of the workbook and store the changed ones, all or none.

    Raises ValidationError naming sheet, row and column; then nothing is stored."""
    label, info, rows = read(data, name)
    problems = Collector(label)
    ups = plans.updates(engine, plan_id)
    els = plans.elements(engine, plan_id)
    acts = progress.actions(els, ups)
    known = {c: progress.current(acts, c) for c in acts["code"]}
    given_plan = info.get(report.PLAN_LABEL, plan_id)
    given_gemeente = info.get(report.GEMEENTE_LABEL, gemeente).upper()
    if given_plan != plan_id or given_gemeente != gemeente:
        problems.add(
            f"dit bestand hoort bij plan '{given_plan}' van {given_gemeente}, niet bij het plan "
            f"'{plan_id}' van {gemeente} dat nu open staat; download de voortgangsrapportage "
            "van dit plan"
        )
        problems.raise_if_any()
    # The state when the file was made: a row that still shows it was not touched.
    version = info.get(report.VERSION_LABEL, "")
    since = ups[ups["id"] > int(version)] if version.isdigit() else ups.iloc[0:0]
    then = progress.actions(els, ups[~ups["id"].isin(since["id"])])
    known_then = {c: progress.current(then, c) for c in then["code"]}
    seen: dict[str, int] = {}
    updates = []
    for row, cells in rows:
        code = check_text(cells.get(report.CODE), required=False)
        if not code:
            problems.add("de code van de actie is leeg", row=row, column=report.CODE)
            continue
        if code not in known:
            problems.add(
                f"actie '{code}' bestaat niet in plan '{plan_id}' van {gemeente}",
                row=row,
                column=report.CODE,
            )
            continue
        if code in seen:
            problems.add(
                f"actie '{code}' staat ook op rij {seen[code]}; één rij per actie",
                row=row,
                column=report.CODE,
            )
            continue
        seen[code] = row
        new = _cells(cells, row, problems)
        if new is None:
            continue
        cur = known[code]
        if not report.changed(new, cur):
            continue
        later = since[since["action_code"] == code]
        if not later.empty and not report.changed(new, known_then[code]):
            continue  # updated by someone else since the download; this row left as it was
        if not later.empty:  # someone else's update would be overwritten unseen
            last = later.iloc[-1]
            problems.add(
                f"actie '{code}' is bijgewerkt nadat dit bestand is gedownload (door "
                f"{last['user_name'] or 'onbekend'}, status {last['status']}); download de "
                "voortgangsrapportage opnieuw",
                row=row,
                column=report.STATUS,
            )
            continue
        status = new["status"] or None
        if status not in progress.STATUSES:
            problems.add(
                f"status '{new['status']}' onbekend; kies een van: {', '.join(progress.STATUSES)}"
                if new["status"]
                else f"kies een status: {', '.join(progress.STATUSES)}",
                row=row,
                column=report.STATUS,
            )
            continue
        new |= {"action_code": code, "due_date": cur["due_date"], "wijken": cur["wijken"]}
        updates.append((row, new))
    problems.raise_if_any()
    changed = [u["action_code"] for _, u in updates]
    if updates:
        plans.register_updates(
            engine,
            updates,
            plan_id=plan_id,
            user=user,
            role=role,
            gemeente=gemeente,
            file=label,
            today=today,
        )
    return ReportResult(changed, len(rows))


def _cells(cells: dict, row: int, problems: Collector) -> dict | None:
    """Status, owner, date and note of one row as text and a date; problems named."""
    out: dict = {}
    ok = True
    for key, column in (("status", report.STATUS), ("owner", report.OWNER), ("note", report.NOTE)):
        value = cells.get(column)
        try:
            out[key] = check_text(value, required=False)
        except ParseError as exc:
            problems.add(str(exc), row=row, column=column)
            ok = False
    out["status"] = out.get("status", "").lower()
    try:
        out["update_date"] = parse_date(cells.get(report.DATE))
    except ParseError as exc:
        problems.add(str(exc), row=row, column=report.DATE)
        ok = False
    return out if ok else None

"""Snapshot of the visible text of every page and every presentation slide (shipped data).

Each case opens one page through app.py under AppTest, walks the element tree of the main area
and the sidebar in element order and writes one line per visible item, prefixed by its element
type (see `visible_text`). The result is compared with the golden file
`tests/app/snapshots/<case>.txt`; a mismatch fails with a unified diff.

What varies between builds is replaced by placeholders before the comparison (see `normalise`):
the date and time of the import and today's date, in every spelling the app uses, become
`<datum>` / `<tijd>`, and checksums become `<sha>`.

After an intended change of what a user sees, rewrite the golden files and review their diff:

    UPDATE_SNAPSHOTS=1 python -m pytest tests/app/test_snapshot.py

The test goes through app.py and AppTest only (no imports from `dashboard`), so it keeps working
while the modules behind the pages move.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests.conftest import ROOT, html_tables

APP = str(ROOT / "app.py")
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
SLIDE = {"modus": "presentatie"}

# The Data page builds only its open tab: a case opens another with this prefix.
STATE = "state:"
DATA_TABS = ("Indicatoren", "Dekking", "Tegenstrijdige cijfers", "Importgeschiedenis")
# (case, page, query parameters); the case names the golden file.
CASES = [
    ("veiligheidsbeeld", "pages/veiligheidsbeeld.py", {}),
    ("kaart", "pages/kaart.py", {}),
    ("wijkprofiel", "pages/wijkprofiel.py", {}),
    ("g32", "pages/g32.py", {}),
    ("themas", "pages/themas.py", {}),
    ("data", "pages/data.py", {}),
    *[
        (f"data_{t.split()[0].lower()}", "pages/data.py", {STATE + "data-tab": t})
        for t in DATA_TABS
    ],
    ("veiligheidsbeeld_gebied-WK016400", "pages/veiligheidsbeeld.py", {"gebied": "WK016400"}),
    ("kaart_niveau-buurt", "pages/kaart.py", {"niveau": "buurt"}),
    ("kaart_indicator-onbekend", "pages/kaart.py", {"indicator": "onbekend"}),
    ("wijkprofiel_gebied-WK016400", "pages/wijkprofiel.py", {"gebied": "WK016400"}),
    ("wijkprofiel_gebied-BU01640000", "pages/wijkprofiel.py", {"gebied": "BU01640000"}),
    (
        "g32_vergelijking-twente_basisjaar-2015_jaar-2023",
        "pages/g32.py",
        {"vergelijking": "twente", "basisjaar": "2015", "jaar": "2023"},
    ),
    ("themas_thema-T2", "pages/themas.py", {"thema": "T2"}),
    ("presentatie_veiligheidsbeeld", "pages/veiligheidsbeeld.py", SLIDE),
    ("presentatie_kaart", "pages/kaart.py", SLIDE),
    ("presentatie_wijkprofiel", "pages/wijkprofiel.py", SLIDE),
    ("presentatie_g32", "pages/g32.py", SLIDE),
    ("presentatie_themas", "pages/themas.py", SLIDE),
    ("presentatie_data", "pages/data.py", SLIDE),
    (
        "presentatie_veiligheidsbeeld_gebied-WK016400",
        "pages/veiligheidsbeeld.py",
        {**SLIDE, "gebied": "WK016400"},
    ),
    (
        "presentatie_wijkprofiel_gebied-WK016400",
        "pages/wijkprofiel.py",
        {**SLIDE, "gebied": "WK016400"},
    ),
]

# ------------------------------------------------------------------------------ visible text

TEXT_TYPES = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "latex",
    "text",
    "code",
    "info",
    "warning",
    "error",
    "success",
    "exception",
    "toast",
    "html",
}
LABEL_TYPES = {"button", "download_button", "link_button", "page_link", "file_uploader"}
CHOICE_TYPES = {"selectbox", "radio", "multiselect", "button_group", "select_slider"}
VALUE_TYPES = {
    "checkbox",
    "toggle",
    "slider",
    "number_input",
    "text_input",
    "text_area",
    "date_input",
    "time_input",
    "date_time_input",
    "color_picker",
}


def _put(lines: list[str], indent: str, kind: str, text: object) -> None:
    """One item; a value over several lines continues with `kind|` lines."""
    first, *rest = str(text).split("\n")
    lines.append(f"{indent}{kind}: {first}".rstrip())
    lines.extend(f"{indent}{kind}| {line}".rstrip() for line in rest)


def _frame_text(element) -> str:
    """Columns and every cell of a table or dataframe as CSV (the index only if shown)."""
    frame = element.value
    if element.type == "table":
        show_index = not element.proto.hide_index
    else:
        config = json.loads(element.proto.columns or "{}")
        show_index = not config.get("_index", {}).get("hidden", False)
    return frame.to_csv(index=show_index, lineterminator="\n").rstrip("\n")


def _choice(element) -> str:
    if element.type == "multiselect":
        chosen = list(element.values)
    elif element.type == "button_group":
        chosen = list(element.formatted_values)
    elif element.type == "select_slider":
        chosen = [str(element.value)]
    else:
        index = element.index
        chosen = [] if index is None else [element.options[index]]
    return " | ".join(chosen) if chosen else f"(leeg: {element.proto.placeholder})"


def _svg_chart_lines(chart: str) -> list[str]:
    """An SVG chart (`web.figure`): its text for a screen reader, each panel's title, its
    legend and the tooltip of every point (series, year and value)."""
    label = re.search(r'aria-label="([^"]*)"', chart).group(1)
    out = [f"label: {html.unescape(label)}"]
    for caption in re.findall(r"<figcaption>(.*?)</figcaption>", chart, re.S):
        words = re.sub(r"<[^>]+>", "", caption.replace("<span>", " / "))
        out.append(f"paneel: {html.unescape(words)}")
    for legend in re.findall(r'<g class="legenda">(.*?)</g>', chart, re.S):
        out.append(
            "legenda: "
            + " | ".join(html.unescape(t) for t in re.findall(r">([^<]+)</text>", legend))
        )
    for text in re.findall(r"<text[^>]*>([^<]*reeksbreuk[^<]*)</text>", chart):
        out.append(f"tekst: {html.unescape(text)}")
    tips = re.findall(r"<title>(.*?)</title>", chart, re.S)
    if tips:
        out.append("punten: " + " | ".join(html.unescape(t).replace("\n", " / ") for t in tips))
    return out


def _chart_lines(body: str) -> list[str]:
    """An HTML chart (`render.progress_html`): its label, then its text, one line per tile,
    bar or box heading, with each tile's colour and tooltip."""
    label = re.search(r'aria-label="([^"]*)"', body).group(1)
    out = [f"label: {html.unescape(label)}"]
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    for part in re.split(r"</li>|</p>|</div>|</span></span>", body):
        tip = re.search(r'title="([^"]*)"', part)
        colour = re.search(r"background:(#\w+)", part)
        text = " ".join(re.sub(r"<[^>]+>", " ", part.replace("<br>", " / ")).split())
        if text:
            extra = f" [{colour.group(1)}]" if colour else ""
            extra += f" ({html.unescape(tip.group(1))})" if tip else ""
            out.append(html.unescape(text) + extra)
    return out


def _element_lines(element, lines: list[str], indent: str) -> None:
    kind = element.type
    help_text = getattr(element.proto, "help", "")
    if kind == "html" and 'class="vb-tabel"' in element.proto.body:
        for frame in html_tables(element.proto.body):
            _put(lines, indent, "table", frame.to_csv(index=False, lineterminator="\n").rstrip())
    elif kind == "html" and 'class="vb-' in element.proto.body:
        for line in _chart_lines(element.proto.body):
            _put(lines, indent, "html chart", line)
    elif kind in TEXT_TYPES:
        _put(lines, indent, kind, element.value)
    elif kind == "divider":
        lines.append(f"{indent}divider")
    elif kind == "metric":
        p = element.proto
        _put(lines, indent, kind, f"{p.label} = {p.body}")
        if p.delta:
            _put(lines, indent, "metric delta", p.delta)
    elif kind in ("table", "dataframe"):
        if element.proto.alt:
            _put(lines, indent, f"{kind} alt", element.proto.alt)
        if kind == "dataframe" and element.proto.columns:
            config = json.loads(element.proto.columns)
            _put(lines, indent, "dataframe columns", json.dumps(config, sort_keys=True))
        _put(lines, indent, kind, _frame_text(element))
    elif kind in CHOICE_TYPES:
        label = getattr(element.proto, "label", "")
        _put(lines, indent, kind, f"{label} = {_choice(element)}")
        _put(lines, indent, f"{kind} options", " | ".join(element.options))
    elif kind in LABEL_TYPES:
        _put(lines, indent, kind, element.proto.label)
    elif kind in VALUE_TYPES:
        _put(lines, indent, kind, f"{element.proto.label} = {element.value}")
    elif kind == "deck_gl_json_chart":
        _put(lines, indent, kind, f"alt: {element.proto.alt}")
    elif kind == "bidi_component" and element.proto.component_name == "svgfiguur":
        for line in _svg_chart_lines(json.loads(element.proto.json)["html"]):
            _put(lines, indent, "svgfiguur", line)
    elif kind == "bidi_component":  # the SVG map: its name, areas (code: tooltip) and focus
        data = json.loads(element.proto.json)
        label = re.search(r'aria-label="([^"]*)"', data["svg"]).group(1)
        _put(lines, indent, element.proto.component_name, f"{label}; focus: {data['focus']}")
        # Sorted: the drawing order follows the database's row order (SQLite and PostgreSQL
        # differ), which decides only which of two touching borders is drawn last.
        areas = re.findall(r'data-code="([^"]*)".*?<title>(.*?)</title>', data["svg"], re.S)
        for code, tip in sorted(areas):
            _put(lines, indent, "gebied", f"{code}: {' / '.join(tip.splitlines())}")
    elif kind == "imgs":
        for img in element.proto.imgs:
            _put(lines, indent, "image", img.caption)
    else:
        lines.append(f"{indent}{kind}")
    if help_text:
        _put(lines, indent, f"{kind} help", help_text)


def _block_label(block) -> tuple[str, str] | None:
    """(kind, label) of a container a user sees as such; None for pure layout."""
    if block.type in ("expander", "status", "tab"):
        return block.type, block.label
    proto = block.proto
    if isinstance(proto, BlockProto):
        kind = proto.WhichOneof("type")
        if kind == "popover":
            return "popover", proto.popover.label
        if kind == "dialog":
            return "dialog", proto.dialog.title
        if kind == "form":
            return "form", ""
    return None


def _walk(node, lines: list[str], indent: str = "") -> None:
    for key in sorted(node.children):
        child = node.children[key]
        if isinstance(child, Block):
            label = _block_label(child)
            if label is None:
                _walk(child, lines, indent)
            else:
                _put(lines, indent, *label)
                _walk(child, lines, indent + "  ")
        else:
            _element_lines(child, lines, indent)


def visible_text(at: AppTest) -> str:
    """The text a user sees, one line per item in element order: main area, then sidebar."""
    lines: list[str] = []
    for name, area in (("main", at.main), ("sidebar", at.sidebar)):
        lines.append(f"=== {name}")
        _walk(area, lines)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ normalisation

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def _date_pattern(day: date) -> str:
    """Every spelling of `day` the app uses: 1 december 2026, 01-12-2026, 2026-12-01, ..."""
    spellings = {
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day:02d}\\.{day.month:02d}\\.{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
    }
    return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))


def normalise(text: str) -> str:
    """Placeholders for what differs between builds: the date and time of the import (the
    session's build, so today or, past midnight, yesterday) and checksums. Zero-width spaces
    (`safe.md` puts them where a URL or shortcode could form) are invisible: left out."""
    text = text.replace("\u200b", "")
    today = date.today()
    days = "|".join(_date_pattern(d) for d in (today, today - timedelta(days=1)))
    # A time right after the date: "2026-12-01T10:53:12.123+00:00", "1 december 2026, 10\:53".
    time = r"(?:(?:T|,? (?:om )?)\d{1,2}(?:\\?:\d{2}){1,2}(?:\.\d+)?(?:Z|[+-]\d{2}\\?:?\d{2})?)?"
    text = re.sub(rf"(?<![\d-])(?:{days}){time}(?![\d-])", "<datum>", text)
    # The age of a source on the Data page grows with the calendar (views/sources.py).
    text = re.sub(
        r"\b(?:\d+ maanden|\d+ jaar|1 maand|minder dan een maand) geleden", "<ouderdom>", text
    )
    # And so does its verdict (tests/app/test_data_freshness.py tests the rule on fixed dates).
    text = re.sub(r",(?:actueel|verouderd),(?=[^,]*<ouderdom>)", ",<actueel?>,", text)
    return re.sub(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,64}\b", "<sha>", text)


# ------------------------------------------------------------------------------ the test


def open_case(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    for key, value in params.items():
        if key.startswith(STATE):
            at.session_state[key.removeprefix(STATE)] = value
        else:
            at.query_params[key] = value
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize(("case", "page", "params"), CASES, ids=[c[0] for c in CASES])
def test_visible_text_matches_snapshot(db, monkeypatch, case, page, params):
    _, _, url = db
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_case(page, params)
    assert not at.exception, [e.value for e in at.exception]
    actual = normalise(visible_text(at))
    golden = SNAPSHOTS / f"{case}.txt"
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"no snapshot {golden.name}; write it with UPDATE_SNAPSHOTS=1"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"snapshots/{case}.txt",
            tofile="actual",
        )
        pytest.fail(
            f"visible text of {case} changed (UPDATE_SNAPSHOTS=1 rewrites the snapshot):\n"
            + "".join(diff),
            pytrace=False,
        )

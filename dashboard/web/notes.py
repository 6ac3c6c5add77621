"""The Wijkprofiel's notes on the figures: the list of the area's notes (and its buurten or
wijk), the trend of one indicator with the notes marked on it, and, for a signed-in
wijkregisseur (or redacteur, beheerder), the form to add a note and to change or remove one's
own (a beheerder: anyone's). Viewers see the notes, never the form.

Notes change without an import: they are cached by data version and notes version
(`store.notes.version`), so a stored note shows at once. Every note text
passes `safe.md` (screen) or `safe.escape` (the tooltip on the chart, in `render.linechart`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.domain import explain
from dashboard.domain import notes as rules
from dashboard.errors import ValidationError
from dashboard.render.safe import md
from dashboard.store import notes as store
from dashboard.views import notes as view
from dashboard.web import cache, figure, login, widgets

FLASH = "notes_flash"
WHOLE_AREA = ""


def _years(values) -> list[str]:
    """Years to choose from: those of the area's figures and every year up to this one."""
    seen = {str(p)[:4] for p in values["period"] if rules.YEAR.match(str(p)[:4])}
    seen |= {str(y) for y in range(2010, date.today().year + 1)}
    return sorted(seen, reverse=True)


def _refused(exc: ValidationError) -> None:
    st.error("Notitie niet opgeslagen; er is niets veranderd. Wat ontbreekt:")
    st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown


def section(eng, version: tuple, gemeente: str, code: str, name: str) -> None:
    """Everything about notes on one area's Wijkprofiel."""
    st.subheader(f"Notities bij de cijfers van {md(name)}")
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    key = (version, store.version(eng))  # `version`: the page's data version
    part = cache.area_notes(eng, key, gemeente, code)
    found, values, choices = part.found, part.values, part.choices
    if part.table is None:
        st.caption(f"Nog geen notities bij {md(name)}.")
    else:
        st.caption(
            "Wat professionals weten over deze cijfers, de nieuwste eerst; een notitie zonder "
            "indicator gaat over het hele gebied. Bron: " + md(view.SOURCE) + "."
        )
        widgets.table(part.table)
    _trend(eng, key, gemeente, code, name, part)
    if not login.may(rules.ROLE):
        st.caption(
            "Een notitie schrijven kan een wijkregisseur, redacteur of beheerder (log in via "
            "de zijbalk)."
        )
        return
    _add_form(eng, gemeente, code, name, choices, values)
    _change_form(eng, found, choices, values)


def _trend(eng, key: tuple, gemeente: str, code: str, name: str, part) -> None:
    choices = part.choices
    st.markdown(f"**Verloop van één indicator in {md(name)}, met de notities**")
    if not choices:
        st.caption(f"Geen cijfers over de jaren voor {md(name)}.")
        return
    ids = list(choices)
    picked = st.selectbox(
        "Indicator in de grafiek",
        ids,
        index=ids.index(part.default),
        format_func=lambda i: choices[i],
        key=f"notes-trend-{code}",
    )
    trend = cache.notes_trend(eng, key, gemeente, code, picked)
    figure.show(trend.figure, key=f"notes-fig-{code}")  # SVG, `trend.words` its text
    st.caption(
        md(trend.words)
        + (
            f" Ruiten en stippellijnen: {trend.marked} notitie(s); wijs een ruit aan voor de tekst."
            if trend.marked
            else " Geen notities met een jaar in deze grafiek."
        )
    )
    with st.expander(explain.TABLE_LABEL):
        widgets.dataframe(trend.table, height="auto", download=f"verloop_{code}_{picked}")
    widgets.source_line(trend.owner, trend.source_table, trend.period)


def _fields(choices: dict, values, prefix: str, current: dict | None = None) -> dict:
    """The note's fields inside a form; `current` fills them for a change."""
    current = {k: ("" if v is None or v != v else v) for k, v in (current or {}).items()}  # NaN
    options = [WHOLE_AREA, *choices]
    if current.get("indicator_id") and current["indicator_id"] not in options:
        options.append(current["indicator_id"])  # a change must not drop it silently
    years = ["", *_years(values)]
    years += [y for y in (current.get("period_from"), current.get("period_to")) if y not in years]
    text = st.text_area(
        "Notitie",
        value=current.get("text", ""),
        max_chars=rules.MAX_TEXT,
        key=f"{prefix}-text",
        help="Wat weet u over deze cijfers? De tekst wordt als tekst getoond, ook in de PDF.",
    )
    indicator = st.selectbox(
        "Indicator (optioneel)",
        options,
        index=options.index(current.get("indicator_id") or WHOLE_AREA),
        format_func=lambda i: choices.get(i, i) if i else "Het hele gebied (geen indicator)",
        key=f"{prefix}-indicator",
    )
    left, right = st.columns(2)
    lo = left.selectbox(
        "Jaar van (optioneel)",
        years,
        index=years.index(current.get("period_from") or ""),
        key=f"{prefix}-from",
    )
    hi = right.selectbox(
        "Jaar tot en met (optioneel)",
        years,
        index=years.index(current.get("period_to") or ""),
        key=f"{prefix}-to",
    )
    return {"text": text, "indicator_id": indicator, "period_from": lo, "period_to": hi}


def _add_form(eng, gemeente: str, code: str, name: str, choices: dict, values) -> None:
    with st.form(f"notitie-{code}", clear_on_submit=True):
        st.markdown(f"**Nieuwe notitie bij {md(name)}**")
        fields = _fields(choices, values, f"new-{code}")
        submitted = st.form_submit_button("Notitie opslaan", type="primary")
    if submitted:
        try:
            store.add_note(
                eng,
                gemeente=gemeente,
                area_code=code,
                draft=rules.Draft(**fields),
                user=st.session_state.get("user"),
                role=login.role(),
            )
        except ValidationError as exc:
            _refused(exc)
        else:
            st.session_state[FLASH] = f"Notitie bij {md(name)} opgeslagen."
            st.rerun()


def _label(note) -> str:
    """A note in a chooser (plain text there, not markdown)."""
    period = rules.period_text(note["period_from"], note["period_to"])
    return f"{period}, {note['author']}: {' '.join(str(note['text']).split())[:80]}"


def _change_form(eng, found, choices: dict, values) -> None:
    user, role = st.session_state.get("user"), login.role()
    if found.empty:
        return
    own = found[found["created_by"].map(lambda a: rules.may_change(role, user, a)).astype(bool)]
    if own.empty:
        return
    with st.expander("Een notitie wijzigen of verwijderen"):
        st.caption(
            "Een wijziging wordt een nieuwe versie en verwijderen laat een spoor na: wie, "
            "wanneer en wat er stond, blijft in de database."
        )
        ids = own["note_id"].tolist()
        rows = own.set_index("note_id")
        picked = st.selectbox(
            "Notitie",
            ids,
            format_func=lambda i: _label(rows.loc[i]),
            key="notes-change-pick",
        )
        current = rows.loc[picked].to_dict()
        with st.form(f"notitie-wijzigen-{picked}"):
            fields = _fields(choices, values, f"edit-{picked}", current)
            left, right = st.columns(2)
            save = left.form_submit_button("Wijziging opslaan")
            remove = right.form_submit_button("Notitie verwijderen")
        if not (save or remove):
            return
        expected = int(current["version"])
        try:
            if remove:
                store.remove_note(eng, picked, user=user, role=role, expected_version=expected)
            else:
                draft = rules.Draft(**fields)
                store.edit_note(
                    eng, picked, draft=draft, user=user, role=role, expected_version=expected
                )
        except ValidationError as exc:
            _refused(exc)
        else:
            st.session_state[FLASH] = "Notitie verwijderd." if remove else "Wijziging opgeslagen."
            st.rerun()

"""The 'Opvallend' sections on the pages: a strip on the Veiligheidsbeeld and a section in the
Wijkprofiel. The run of a gemeente is cached per data version (`views.signals`)."""

from __future__ import annotations

import streamlit as st

from dashboard.render import safe
from dashboard.views import signals as view
from dashboard.web import cache, widgets

HOME_LINES = 1  # signals shown on the Veiligheidsbeeld (all of them behind the button)


@st.cache_data(show_spinner=False, max_entries=cache.MAX_ENTRIES, ttl=cache.TTL)
def run(_eng, version: tuple, gemeente: str) -> view.Run:
    """Every test of the gemeente, its wijken and buurten: one run per data version."""
    return view.build_run(_eng, gemeente)


@st.cache_data(show_spinner=False, max_entries=cache.MAX_ENTRIES, ttl=cache.TTL)
def place(_eng, version: tuple, gemeente: str, area: str | None, limit: int | None = None):
    """The section of one place (`views.signals.opvallend`), built once per data version."""
    return view.opvallend(run(_eng, version, gemeente), area, limit)


def _details(section: view.Opvallend, name: str = "", full: bool = True) -> None:
    """The rule, every signal (`full`: a table with every column, and as .xlsx `name`) and
    the sources."""
    st.markdown(safe.md(section.rule))
    if section.frame.empty:
        st.info(safe.md(section.empty_text))
    elif full:
        widgets.grid(
            section.frame,
            hide_index=True,
            height=widgets.grid_height(section.count),
            download=name,
        )
    else:  # narrow (a popover): every signal as a sentence
        st.markdown("\n".join(f"- {safe.md(text)}" for text in section.every))
    if section.sources:
        widgets.sources(section.sources)


def home_strip(eng, version: tuple, gemeente: str, focus: str | None = None) -> None:
    """One row under the Veiligheidsbeeld: a button with every signal and the rule, and the
    strongest signals of the gemeente (or of the wijk in focus), each with its test."""
    section = place(eng, version, gemeente, focus, HOME_LINES)
    shown = section.short or [section.empty_text]
    head, *cells = st.columns([3, *[5] * len(shown)] if section.short else [3, 10])
    with head:
        label = f"Opvallend ({section.count})" if section.count else "Opvallend"
        with st.popover(label, icon=":material/notification_important:", width="stretch"):
            st.markdown(f"**{safe.md(section.title)}**")
            _details(section, full=False)
    for cell, text in zip(cells, shown, strict=True):
        cell.caption(safe.md(text))


def profile_section(eng, version: tuple, gemeente: str, code: str) -> None:
    """The Wijkprofiel's section 'Opvallend in <naam>': its signals, or why there are none."""
    section = place(eng, version, gemeente, code)
    st.subheader(safe.md(section.title))
    if not section.lines:
        st.info(safe.md(section.empty_text))
    for text in section.lines:
        st.markdown(f"- {safe.md(text)}")
    with st.expander("Hoe we toetsen, en alle signalen met hun cijfers"):
        _details(section, f"opvallend_{code}")

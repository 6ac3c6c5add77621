"""The indicators linked to one thema (or doel) of the plan on the Thema's page: a trend chart
per indicator with its sentence, its table (built when opened) and its source."""

from __future__ import annotations

import streamlit as st

from dashboard.domain import explain
from dashboard.render import safe
from dashboard.web import figure, lazy, widgets


def folded_label(sec, top: str) -> str:
    """'Indicatoren bij dit thema (3)': the label of the folded section on 'Alle thema's'."""
    return f"Indicatoren bij dit {top.lower()} ({len(sec.panels)})"


def panels(code: str, sec, trends: dict, top: str, city: str) -> None:
    st.markdown(f"**Indicatoren bij dit {top.lower()}** ({safe.md(city)})")
    if not sec.panels:
        st.caption(f"Aan dit {top.lower()} zijn nog geen indicatoren gekoppeld.")
    else:
        st.caption(safe.md(explain.indicators_caption(city)))
    slots = [slot for _ in range(0, len(sec.panels), 3) for slot in st.columns(3)]
    for i, (slot, panel) in enumerate(zip(slots, sec.panels, strict=False)):
        with slot:
            st.markdown(safe.md(panel.name))
            if panel.rows is None:
                st.caption(f"Geen waarden voor {safe.md(city)}.")
            else:
                figure.show(trends[(code, i)], key=f"{code}-{i}")  # `panel.words` its text
                st.caption(safe.md(panel.words))
                with lazy.expander(explain.TABLE_LABEL, f"tabel-{code}-{i}") as shown:
                    if shown:  # built only when opened
                        name = f"indicator_{code}_{i}"
                        widgets.dataframe(panel.rows, height="auto", download=name)
                widgets.source_line(panel.owner, panel.table, panel.period)
            for note in panel.notes:
                st.caption(safe.md(note))

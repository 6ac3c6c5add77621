"""The sidebar: the gemeente chooser, and the meeting tools (presentation mode for this page
and the briefing download)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import streamlit as st

from dashboard.store import notes, plans
from dashboard.views import agenda, urls
from dashboard.web import cache, context, presentation

BRIEFING_PARTS = {
    "beeld": "Veiligheidsbeeld",
    "wijk": "Wijk (de gekozen wijk)",
    "g32": "G32-footprint",
    "themas": "Thema's",
}


def gemeente_chooser(page) -> None:
    """Sidebar: which gemeente the dashboard shows, when the deployment offers more than one.
    Another choice opens this page for that gemeente (its own selection starts afresh)."""
    eng = context.engine()
    offered = context.offered(eng, context.data_version(eng))
    if len(offered) < 2:
        return
    here = context.gemeente()
    codes = list(offered)
    # No key: the index is part of the widget's identity, so a link to another gemeente
    # shows that one here.
    choice = st.sidebar.selectbox(
        "Gemeente",
        codes,
        index=codes.index(here) if here in codes else 0,
        format_func=lambda c: offered[c],
        help="Het dashboard voor een andere gemeente uit dezelfde database. De link (met "
        "?gemeente=CBS-code) opent die gemeente ook.",
    )
    if choice != here:
        st.switch_page(page, query_params=context.switch_gemeente(choice))


def meeting_tools(page) -> None:
    """Sidebar: presentation mode for this page, and the briefing download (PDF, PNG)."""
    params = st.query_params.to_dict()
    with st.sidebar:
        if st.button(
            "Presentatiemodus",
            icon=":material/slideshow:",
            help="Groot en zonder knoppen, voor de beamer. Bladeren met de pijltjes of een "
            "klikker; Esc stopt.",
            key="presentatiemodus",
            width="stretch",
        ):
            st.switch_page(page, query_params=presentation.link_params(params, True))
        with st.expander("Briefing downloaden", icon=":material/picture_as_pdf:"):
            here = agenda.PAGE_STEPS.get(page.url_path, "beeld")
            parts = st.multiselect(
                "Onderdelen",
                list(BRIEFING_PARTS),
                default=[here],
                format_func=BRIEFING_PARTS.get,
                key="briefing-onderdelen",
            )
            eng = context.engine()
            gemeente = context.gemeente()
            version = context.data_version(eng)
            focus = urls.focus_wijk(params, cache.areas(eng, version, "wijk", gemeente))
            key = (version, plans.progress_version(eng), notes.version(eng))
            day = date.today().isoformat()
            ordered = tuple(p for p in BRIEFING_PARTS if p in parts)
            name = f"briefing-{gemeente}-{day[:10]}"

            def made() -> tuple[bytes, list[bytes]]:
                return cache.briefing(eng, key, gemeente, ordered, focus, day)

            downloads = [
                ("PDF", lambda: made()[0], ".pdf", "application/pdf", "download"),
                (
                    "PNG (per pagina, in een zip)",
                    lambda: _zip_pngs(made()[1], name),
                    "-png.zip",
                    "application/zip",
                    "image",
                ),
            ]
            for label, data, suffix, mime, icon in downloads:
                st.download_button(
                    label,
                    data=data,  # made on the click, from the cached briefing
                    file_name=f"{name}{suffix}",
                    mime=mime,
                    icon=f":material/{icon}:",
                    disabled=not ordered,
                    on_click="ignore",
                )
            st.caption(
                "Met titel, datum, cijfers met bron en periode, de zinnen van de "
                "G32-vergelijking en de datastand. Gemaakt op de server, zonder internet."
            )


def _zip_pngs(pngs: list[bytes], name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i, png in enumerate(pngs, start=1):
            zf.writestr(f"{name}-pagina-{i}.png", png)
    return out.getvalue()

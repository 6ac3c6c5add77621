"""Data & bronnen: every source, indicator and coverage, and (for a beheerder) the upload form."""

import streamlit as st

from dashboard.domain import fmt
from dashboard.render import safe
from dashboard.views import sources
from dashboard.web import cache, context, login, widgets

eng, version, gemeente, city = context.page(__file__)

st.title("Data & bronnen")
st.markdown(
    "Alle cijfers in dit dashboard komen uit openbare bronnen of uit bestanden die de gemeente "
    "zelf aanlevert. Hieronder staat per bron wie de eigenaar is, welke tabel het is, over welke "
    "periode het gaat, onder welke licentie en wanneer de gegevens zijn ingelezen."
)

# Only the open tab is built and sent (choosing another reruns the page).
tab_src, tab_ind, tab_cov, tab_conf, tab_hist = st.tabs(
    ["Bronnen", "Indicatoren", "Dekking", "Tegenstrijdige cijfers", "Importgeschiedenis"],
    on_change="rerun",
    key="data-tab",
)

if tab_src.open:
    with tab_src:
        src = cache.sources(eng, version)
        rows, names = sources.sources_table(src)
        view = rows[list(names)].rename(columns=names)
        # A table to read (every description and note whole), not a grid to sort.
        widgets.table(
            view,
            whole=("Periode", "Actueel?", "Rijen"),
            links=("Vindplaats",),
            loose=("Vindplaats", "Toelichting", "Omschrijving", "Licentie"),
            scroll=True,
            label="Bronnen",
        )
        widgets.xlsx_button(view, "bronnen")
        st.caption(
            f"{fmt.fmt_number(len(src), 0)} bronnen. Herkomst van elk meegeleverd bestand: "
            "data/PROVENANCE.md. " + sources.AGE_NOTE
        )

if tab_ind.open:
    with tab_ind:
        show_auto = st.toggle(
            "Ook automatisch overgenomen indicatoren tonen",
            value=False,
            help="Kolommen uit een CBS-tabel die (nog) niet in de "
            "indicatorcatalogus staan, krijgen automatisch een naam.",
        )
        ind = cache.indicators(eng, version, show_auto)
        widgets.dataframe(*sources.indicators_table(ind), download="indicatoren")
        st.caption(
            f"{fmt.fmt_number(len(ind), 0)} indicatoren. Afgeleide waarden (zoals per 1.000 "
            "inwoners) worden door het dashboard berekend uit de genoemde invoer."
        )

if tab_cov.open:
    with tab_cov:
        cov = cache.coverage(eng, version)
        levels = [
            lv for lv in ("gemeente", "wijk", "buurt", "aggregaat") if lv in set(cov["level"])
        ]
        level = st.radio("Niveau", levels, horizontal=True, format_func=str.capitalize)
        sub = cov[cov["level"] == level]
        table = sub.pivot_table(index="name", columns="period", values="areas", aggfunc="sum")
        st.markdown(f"Aantal gebieden ({level}) met een waarde, per indicator en periode:")
        counts = table.fillna(0).astype(int).rename_axis("Indicator")
        widgets.grid(counts.map(lambda n: fmt.fmt_number(n, 0)), width="stretch", download=None)
        widgets.xlsx_button(counts, f"dekking_{level}")  # numbers Excel can count with

if tab_conf.open:
    with tab_conf:
        conf = cache.conflicts(eng, version, gemeente)
        if conf.empty:
            st.info(f"Geen tegenstrijdige cijfers gevonden voor {safe.md(city)}.")
        else:
            st.markdown(
                f"Voor deze cijfers over {safe.md(city)} geven twee bronnen of documenten een "
                "andere waarde. Het dashboard kiest niet stilzwijgend: beide waarden staan hier, "
                "met hun bron. 'Primair' is de bron die het dashboard toont; de andere is een "
                "variant."
            )
            table = sources.conflicts_table(conf)
            # A few rows with long notes: a table that wraps, so every word is in view.
            widgets.table(table)

if tab_hist.open:
    with tab_hist:
        rel = cache.releases(eng, version)
        widgets.dataframe(*sources.releases_table(rel), download="importgeschiedenis")

st.divider()
st.subheader("Nieuwe gegevens inlezen")
if not login.may("beheerder"):
    st.caption("Gegevens toevoegen kan alleen een beheerder (log in via de zijbalk).")
else:
    widgets.upload_form(eng)

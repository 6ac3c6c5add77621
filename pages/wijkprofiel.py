"""Wijkprofiel: one wijk or buurt with every indicator next to the city, its rank and trend.
The page, its slide and its page of the briefing are one view (`views.agenda.wijk`)."""

import streamlit as st

from dashboard.domain import explain, fmt, missing
from dashboard.render import safe
from dashboard.store import plans
from dashboard.views import urls
from dashboard.web import cache, context, notes, signals, similar, widgets

eng, version, gemeente, city = context.page(__file__)
wijken = cache.areas(eng, version, "wijk", gemeente)
buurten = cache.areas(eng, version, "buurt", gemeente)
all_areas = {
    **dict(zip(wijken["code"], wijken["name"], strict=True)),
    **dict(zip(buurten["code"], buurten["name"], strict=True)),
}

spec, notices = urls.parse_profile(st.query_params, set(all_areas))
for notice in notices:
    st.info(notice)
code = spec.gebied
if not code:
    st.title("Wijkprofiel")
    if not all_areas:
        st.info(safe.md(missing.no_areas(city)))
        context.end_page()
    choice = st.selectbox(
        "Wijk of buurt",
        list(all_areas),
        index=None,
        format_func=lambda c: f"{all_areas[c]} ({c})",
        placeholder="Kies een wijk of buurt",
    )
    if choice:
        st.query_params["gebied"] = choice
        st.rerun()
    context.end_page()

level = "wijk" if code.startswith("WK") else "buurt"
name = all_areas[code]
parent = buurten.set_index("code").loc[code, "parent_code"] if level == "buurt" else None
view = cache.view_for(eng, (version, plans.progress_version(eng)), gemeente, "wijk", code, "", "")
st.title(f"{safe.md(name)} ({code})")
st.caption(safe.md(view.caption))
params = {k: v for k, v in st.query_params.to_dict().items() if k != "gebied"}

left, right = st.columns([1, 2])
with left:
    if (deck := cache.locator_deck(eng, version, gemeente, level, code)) is None:
        st.caption(safe.md(missing.no_shapes(city, level)))
    else:
        st.pydeck_chart(deck, height=340, alt=explain.locator_alt(name, level, city))
        st.caption(safe.md(explain.locator_caption(name, level, city)))
with right:
    if view.metrics:
        widgets.metrics(view.metrics, deltas=False)
    st.markdown(safe.md(explain.profile_intro(city, level)))
    st.page_link(
        "pages/kaart.py",
        label="Terug naar de kaart",
        icon=":material/map:",
        query_params={**params, "niveau": level, "gebied": code},
    )

st.subheader("Alle cijfers")
if "cijfers" not in view.details:
    st.info(safe.md(missing.no_figures_for(name)))
else:
    figures = view.details["cijfers"]
    widgets.dataframe(
        figures,
        {c: c for c in figures.columns},
        column_config={
            "Verloop": st.column_config.LineChartColumn("Verloop", help=explain.SPARKLINE_HELP),
            explain.TREND_WORDS: st.column_config.TextColumn(width="large"),
        },
        download=f"cijfers_{code}",
    )
    st.caption(explain.SPARKLINE_CAPTION)
    for note in view.notes:
        st.info(note)
signals.profile_section(eng, version, gemeente, code)

if "buurten" in view.details:
    st.subheader(f"Buurten in {safe.md(name)}")
    rows = view.details["buurten"]
    if rows.empty:
        st.caption(safe.md(missing.no_buurten(name)))
    else:
        widgets.dataframe(rows, download=f"buurten_{code}")

similar.section(eng, version, gemeente, code, level)
notes.section(eng, version, gemeente, code, name)

wijk = code if level == "wijk" else parent
st.subheader(f"Acties van het veiligheidsbeleid in {safe.md(all_areas.get(wijk, wijk))}")
acties = view.details["acties"]
if acties.empty:
    st.caption(
        "Nog geen acties aan deze wijk gekoppeld: dat gebeurt bij het registreren van "
        "voortgang op de pagina Thema's."
    )
else:
    widgets.dataframe(
        acties.assign(datum=acties["update_date"].map(fmt.fmt_date)),
        {
            "theme": "Thema",
            "title": "Actie",
            "status": "Status",
            "owner": "Eigenaar of partner",
            "datum": "Laatste update",
            "note": "Toelichting",
        },
        download=f"acties_{wijk}",
    )

"""Veiligheidsbeeld: one screen with the headline figures, the wijk map, the G32 footprint and
the progress of the veiligheidsbeleid. Choosing a wijk on the map focuses the screen on it."""

import streamlit as st

from dashboard.domain import benchmark, fmt, overview, progress
from dashboard.render import figures, safe
from dashboard.store import plans
from dashboard.views import agenda, urls
from dashboard.web import cache, context, widgets

eng, version, gemeente, name = context.page(__file__)
widgets.compact_layout()

st.title(f"Veiligheidsbeeld {safe.md(name)}")
st.caption(agenda.BEELD_TEXT)
head = overview.headline(
    cache.series(eng, version, overview.HEADLINE, [gemeente]),
    cache.trend_vs_group(eng, version, overview.HEADLINE, gemeente, "g32")["peers"],
)
if head is None:
    st.warning(
        f"Nog geen gegevens over geregistreerde misdrijven voor {safe.md(name)}. Lees ze "
        "in via Data & bronnen."
    )
    st.stop()
acts = plans.all_actions(eng)  # progress changes without an import: not cached
cols = st.columns(4)
cols[0].metric(
    f"Misdrijven per 1.000 inwoners, {head['period']}",
    fmt.fmt_number(head["value"]),
    delta=head["delta"],
    delta_color="inverse",
    help="Door de politie geregistreerde misdrijven per 1.000 inwoners.",
)
cols[1].metric(
    f"Gemiddelde G32, {head['period']}",
    fmt.fmt_number(head["peer"]),
    help=f"Ongewogen gemiddelde van de G32-gemeenten zonder {safe.md(name)}.",
)
counts = cache.area_counts(eng, version, gemeente)
cols[2].metric("Wijken en buurten", f"{counts.get('wijk', 0)} en {counts.get('buurt', 0)}")
cols[3].metric(
    "Acties met geregistreerde voortgang",
    f"{int((acts['status'] != progress.NOT_REGISTERED).sum())} van {len(acts)}",
)

left, middle, right = st.columns([5, 4, 4], gap="medium")
with left:
    focus = urls.focus_wijk(st.query_params, cache.areas(eng, version, "wijk", gemeente))
    year = overview.latest_period(
        cache.level_options(eng, version, "wijk", gemeente), overview.MAP_INDICATOR
    )
    st.markdown(f"**Misdrijven per 1.000 inwoners per wijk, {year}**")
    view = cache.kaart_view(
        eng, version, gemeente, "wijk", overview.MAP_INDICATOR, year, (560, 390)
    )
    event = st.pydeck_chart(
        view["deck"],
        height=400,
        on_select="rerun",
        key="beeldkaart",
        selection_mode="single-object",
        alt="Kaart van de wijken",
    )
    with st.expander("Tabel bij de kaart"):
        rows = agenda.map_table(view["shaded"], view["meta"]["unit"])
        st.table(safe.md_frame(rows), hide_index=True)
    picked = (event.selection.objects.get("gebieden") or [None])[0] if event else None
    if picked and picked["area_code"] != focus:
        st.query_params["gebied"] = picked["area_code"]
        st.rerun()
    if focus:
        row = view["shaded"].set_index("area_code").loc[focus]
        city_rate = overview.value_in(
            cache.series(eng, version, overview.MAP_INDICATOR, [gemeente]), year
        )
        st.markdown(
            f"**{safe.md(row['name'])}**: {safe.md(row['text'])} (heel {safe.md(name)}: "
            f"{fmt.fmt_number(city_rate)}); "
            f"{len(plans.actions_for_wijk(eng, focus))} actie(s) in deze wijk."
        )
        st.page_link(
            "pages/wijkprofiel.py",
            label="Wijkprofiel",
            icon=":material/location_city:",
            query_params={"gebied": focus},
        )
    else:
        st.page_link(
            "pages/kaart.py",
            label="Naar de kaart",
            icon=":material/map:",
            query_params={"niveau": "wijk", "indicator": overview.MAP_INDICATOR, "jaar": year},
        )
with middle:
    base, latest = overview.footprint_years(
        cache.series(eng, version, overview.HEADLINE, [gemeente])["period"].tolist()
    )
    st.markdown(f"**{safe.md(name)} en de G32: {base} en {latest}**")
    comps, _data = cache.footprint(eng, version, gemeente, "g32", base, latest)
    frame = overview.compact_footprint(comps, rows=9)
    st.dataframe(
        frame.style.map(benchmark.verdict_style, subset=frame.columns[1:]),
        hide_index=True,
        height="content",
    )
    st.page_link(
        "pages/g32.py",
        label="Naar de G32-vergelijking",
        icon=":material/leaderboard:",
        query_params={"vergelijking": "g32", "basisjaar": base, "jaar": latest},
    )
with right:
    st.markdown("**Voortgang van het veiligheidsbeleid per thema**")
    if acts.empty:
        st.info(progress.NO_PLAN)
    elif (acts["status"] == progress.NOT_REGISTERED).all():
        st.info(progress.no_progress_text(len(acts)))
        st.dataframe(overview.theme_counts(acts, plans.theme_titles(eng)), hide_index=True)
    else:
        labels = progress.group_labels(plans.theme_titles(eng), acts["theme_code"], 28)
        fig = figures.progress_figure(progress.shares(acts, "theme_code"), labels)
        st.plotly_chart(
            fig.update_layout(height=330),
            config={"displayModeBar": False},
            alt=progress.status_sentence(acts),
        )
        with st.expander("Tabel bij de grafiek"):
            table = progress.share_table(acts, "theme_code", labels, "Thema")
            st.table(safe.md_frame(table), hide_index=True)
    st.page_link("pages/themas.py", label="Naar de thema's", icon=":material/flag:")
src = cache.source_of(eng, version, overview.HEADLINE)
widgets.source_line(
    src["owner"],
    src["table"],
    f"t/m {head['period']}; kaart: {view['source']['owner']} {view['source']['table']} {year}",
    "Oordelen: zie de uitleg op de pagina G32-vergelijking.",
)

"""Veiligheidsbeeld: one screen with the headline figures, the wijk map, the G32 footprint and
the progress of the veiligheidsbeleid. Choosing a wijk on the map focuses the screen on it.
The screen, its slide and its page of the briefing are one view (`views.agenda`)."""

import streamlit as st

from dashboard.domain import explain, overview, progress
from dashboard.render import safe
from dashboard.store import plans
from dashboard.views import urls
from dashboard.web import areamap, cache, context, lazy, mapkey, signals, widgets

eng, version, gemeente, name = context.page(__file__)
widgets.compact_layout()
# A wijk clicked on the map in the last run: known before anything is drawn, so the focused
# screen takes one run, not a run of the old screen and a rerun.
if (picked := areamap.picked("beeldkaart")) and picked != st.query_params.get("gebied"):
    st.query_params["gebied"] = picked
spec = urls.parse_agenda(
    st.query_params,
    cache.areas(eng, version, "wijk", gemeente),
    cache.gemeente_periods(eng, version, gemeente),
    cache.footprint_years(eng, version, gemeente),
)
key = (version, plans.progress_version(eng))
view = cache.view_for(eng, key, gemeente, "beeld", spec.gebied, spec.basisjaar, spec.jaar)

st.title(safe.md(view.title))
st.caption(view.explanation)
widgets.metrics(view.metrics)

# The wijk in focus is described under the map (the view's first sentence when it has a map).
focus = view.sentences[:1] if spec.gebied and view.map is not None else []
left, rest = st.columns([5, 8], gap="medium")
middle, right = rest.columns(2, gap="medium")
with left:
    if view.map is not None:
        st.markdown(f"**{safe.md(view.map.caption)}**")
        # Fitted inside the 515-pixel column at 1920x1080 (labels placed for this size), low
        # enough that a wijk in focus, its sentence and the links stay on one screen.
        args = (eng, version, gemeente, "wijk", view.map.indicator, view.map.period, (500, 350))
        data = cache.kaart_view(*args)
        if svg := cache.kaart_svg(*args):
            areamap.show(svg, key="beeldkaart", focus=spec.gebied)
        mapkey.compact(view.map.legend, data["legend"])
        with lazy.expander("Tabel bij de kaart", "beeld-kaart-tabel") as open_:
            if open_:  # built when opened
                widgets.table(view.table("kaart").frame)
    for sentence in focus:
        st.caption(safe.md(sentence))
    if spec.gebied:
        st.page_link(
            "pages/wijkprofiel.py",
            label="Wijkprofiel",
            icon=":material/location_city:",
            query_params=context.link({"gebied": spec.gebied}),
        )
    elif view.map is not None:
        st.page_link(
            "pages/kaart.py",
            label="Naar de kaart",
            icon=":material/map:",
            query_params=context.link(
                {"niveau": "wijk", "indicator": view.map.indicator, "jaar": view.map.period}
            ),
        )
with middle:
    if (footprint := view.table("footprint")) is not None:
        st.markdown(f"**{safe.md(footprint.caption)}**")
        frame = footprint.frame
        # A table that wraps, every column in view (a grid in this column cut off the last
        # one); no grid toolbar, so no download: the G32 page has the footprint as CSV/Excel.
        widgets.verdict_table(frame, keep_together=True)
        base, latest = cache.footprint_years(eng, version, gemeente)
        st.page_link(
            "pages/g32.py",
            label="Naar de G32-vergelijking",
            icon=":material/leaderboard:",
            query_params=context.link({"vergelijking": "g32", "basisjaar": base, "jaar": latest}),
        )
with right:
    head = view.levels[0]
    st.markdown(f"**Voortgang van het veiligheidsbeleid per {head.lower()}**")
    acts = view.actions
    if view.plan_text:
        st.info(safe.md(view.plan_text))
    elif acts.empty:
        st.info("Dit plan heeft (nog) geen acties.")
    elif (acts["status"] == progress.NOT_REGISTERED).all():
        st.info(progress.no_progress_text(len(acts)))
        counts = overview.theme_counts(acts, view.themes).rename(columns={"Thema": head})
        widgets.table(counts)
    else:
        labels = progress.group_labels(view.themes, acts["theme_code"], 28)
        alt = explain.progress_alt(head, progress.status_sentence(acts))
        st.html(cache.progress_bars(progress.shares(acts, "theme_code"), labels, alt))
        with lazy.expander("Tabel bij de grafiek", "beeld-voortgang-tabel") as open_:
            if open_:
                widgets.table(progress.share_table(acts, "theme_code", labels, head))
    st.page_link(
        "pages/themas.py",
        label="Naar de thema's",
        icon=":material/flag:",
        query_params=context.link(),
    )
with rest:  # under the footprint and the progress, beside the map
    signals.home_strip(eng, version, gemeente, spec.gebied)
    for sentence in view.sentences[len(focus) :]:  # what the map lacks
        st.caption(safe.md(sentence))
widgets.sources(view.sources, "Oordelen: zie de uitleg op de pagina G32-vergelijking.")

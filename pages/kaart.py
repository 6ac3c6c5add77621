"""Kaart: a choropleth of the gemeente's wijken or buurten for any indicator and period."""

import streamlit as st

from dashboard.domain import explain, fmt, missing, overview, wijkbeeld
from dashboard.render import safe
from dashboard.views import urls
from dashboard.web import areamap, cache, context, lazy, similar, widgets

eng, version, gemeente, city = context.page(__file__)

options = {lv: cache.level_options(eng, version, lv, gemeente) for lv in urls.LEVELS}
choices = {lv: dict(zip(df["id"], df["periods"], strict=True)) for lv, df in options.items()}
area_levels = {c: lv for lv in urls.LEVELS for c in cache.areas(eng, version, lv, gemeente)["code"]}
view, notices = urls.parse_view(
    st.query_params, choices, area_levels, list(overview.MAP_INDICATORS)
)
for notice in notices:
    st.info(notice)

st.title(f"Kaart van {safe.md(city)}")
if not view.indicator:
    st.warning(safe.md(missing.no_area_figures(city) if area_levels else missing.no_areas(city)))
    context.end_page()
levels = [lv for lv in urls.LEVELS if choices[lv]]

meta_by_id = options[view.niveau].set_index("id").to_dict("index")
c1, c2, c3 = st.columns([1, 3, 1])
niveau = c1.radio(
    "Niveau",
    levels,
    index=levels.index(view.niveau),
    format_func=lambda lv: {"wijk": "Wijken", "buurt": "Buurten"}[lv],
    horizontal=True,
)
if niveau != view.niveau:
    st.query_params.update(
        urls.MapView(niveau, view.indicator, view.jaar, None, view.vergelijking).params()
    )
    st.rerun()
ids = list(meta_by_id)
indicator = c2.selectbox(
    "Indicator", ids, index=ids.index(view.indicator), format_func=lambda i: meta_by_id[i]["name"]
)
periods = choices[niveau][indicator]
jaar = c3.selectbox(
    "Jaar", periods[::-1], index=periods[::-1].index(view.jaar) if view.jaar in periods else 0
)
if lacking := [lv for lv in urls.LEVELS if lv not in levels]:
    st.caption(safe.md(missing.no_level(city, lacking[0])))
vergelijking = similar.map_option(view.vergelijking)
current = urls.MapView(niveau, indicator, jaar, view.gebied, vergelijking)
if context.link(current.params()) != st.query_params.to_dict():
    st.query_params.from_dict(context.link(current.params()))

view_data = similar.kaart_data(eng, version, gemeente, niveau, indicator, jaar, vergelijking)
meta, source, shaded = view_data["meta"], view_data["source"], view_data["shaded"]
legend = view_data["legend"]
city_series = cache.series(eng, version, indicator, [gemeente])
city_value = city_series.loc[city_series["period"] == jaar, "value"]
city_value = None if city_value.empty or vergelijking else float(city_value.iloc[0])
summary = explain.map_summary(shaded, meta, niveau, jaar, city, city_value)

left, right = st.columns([3, 1])
with left:
    st.caption(safe.md(explain.map_caption(meta, niveau)))
    args = (eng, version, gemeente, niveau, indicator, jaar, vergelijking, summary)
    if (svg := similar.kaart_svg(*args)) is None:
        st.info(safe.md(missing.no_shapes(city, niveau)))
    else:
        areamap.show(svg, key="kaart", zoom=True)
    st.caption(safe.md(summary))
    widgets.source_line(
        source["owner"],
        source["table"],
        jaar,
        "Per 1.000 inwoners berekend door het dashboard." if source["derived"] else "",
    )
    if picked := areamap.picked("kaart"):  # a click, Enter or Space on an area
        st.switch_page(
            "pages/wijkprofiel.py",
            query_params=context.link({**current.params(), "gebied": picked}),
        )
with right:
    widgets.legend(meta, legend, jaar)
    if city_value is not None:
        st.metric(
            f"{safe.md(city)} als geheel, {jaar} ({safe.md(meta['unit'])})",
            fmt.fmt_number(city_value, wijkbeeld.decimals_for(meta["unit"], meta["kind"])),
        )
    names = dict(zip(shaded["area_code"], shaded["name"], strict=True))
    target = st.selectbox(
        f"Profiel openen ({'wijk' if niveau == 'wijk' else 'buurt'})",
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        index=None,
        placeholder="Kies een gebied of klik op de kaart",
    )
    if target:
        st.switch_page(
            "pages/wijkprofiel.py",
            query_params=context.link({**current.params(), "gebied": target}),
        )

with lazy.expander("Tabel bij deze kaart", "kaart-tabel") as shown:
    if shown:  # built only when opened
        table = shaded.sort_values(
            ["value", "area_code"], ascending=[meta["better"] == "lager", True], na_position="last"
        )
        cols = {"name": "Gebied", "area_code": "Code", "text": "Waarde"}
        widgets.dataframe(table, cols, download=f"kaart_{gemeente}_{niveau}_{indicator}_{jaar}")

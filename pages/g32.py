"""G32: the gemeente against a peer group per indicator in two years (the footprint)."""

import streamlit as st

from dashboard.domain import benchmark, explain, indeling, missing
from dashboard.render import safe
from dashboard.views import urls
from dashboard.web import areamap, cache, context, figure, lazy, widgets

eng, version, gemeente, city = context.page(__file__)
GROUPS = urls.GROUPS
GROUP_NOTE = (
    "Groepswaarde: het CBS-aggregaat waar dat bestaat, anders het ongewogen gemiddelde van de "
    "andere gemeenten."
)

periods = cache.gemeente_periods(eng, version, gemeente)
years = cache.footprint_years(eng, version, gemeente)
default_group = benchmark.published_group(years[1] if years else "")
spec = urls.parse_comparison(st.query_params, periods, years, default_group)
group, base, latest = spec.vergelijking, spec.basisjaar, spec.jaar

st.title(f"{safe.md(city)} vergeleken met de {GROUPS[group]}")
if not periods:
    st.info(safe.md(missing.no_gemeente_figures(city)))
    context.end_page()
c1, c2, c3 = st.columns(3)
group = c1.selectbox(
    "Vergelijkingsgroep", list(GROUPS), index=list(GROUPS).index(group), format_func=GROUPS.get
)
base = c2.selectbox("Basisjaar", periods, index=periods.index(base))
latest = c3.selectbox("Jaar", periods, index=periods.index(latest))
st.query_params.update({"vergelijking": group, "basisjaar": base, "jaar": latest})
label = GROUPS[group]

comps, data = cache.footprint(eng, version, gemeente, group, base, latest)
with lazy.expander("Hoe komt het oordeel tot stand?", "g32-uitleg") as open_:
    if open_:  # written out when opened
        st.markdown(benchmark.RULE_TEXT)
        st.markdown(indeling.RULE_TEXT)
widgets.footprint_notices(comps, group, label, base, latest, data["survey_periods"])

st.subheader(f"Footprint: positie in {base} en {latest} en ontwikkeling")
st.caption(safe.md(explain.footprint_caption(city, label)))
# Every footprint row, also an empty one (saying why); other indicators only with figures.
shown = [c for c in comps if c.has_data]
frame, sentences = cache.footprint_page(eng, version, gemeente, group, base, latest, city, label)
widgets.verdict_table(frame, keep_together=True)
widgets.captions(data["indeling_notes"])
widgets.csv_download("Footprint als CSV", frame, f"footprint_{gemeente}_{group}_{base}_{latest}")
widgets.source_line(
    "; ".join(data["sources"]), "details in Data & bronnen", f"{base} en {latest}", GROUP_NOTE
)

widgets.four_sides(*cache.four_sides_figure(eng, version, gemeente, group, latest))

st.subheader("Zinnen voor de briefing")
st.markdown("\n".join(f"- {safe.md(text)}" for text in sentences))

st.subheader("Per indicator")
with_data = shown
if not with_data:
    context.end_page()  # nothing to compare: the line under the table names what is missing
both = benchmark.first_tested(with_data, base, latest)
pick = st.selectbox(
    "Indicator",
    [c.indicator_id for c in with_data],
    index=next((i for i, c in enumerate(with_data) if c.indicator_id == spec.indicator), both),
    format_func=lambda i: next(c.name for c in with_data if c.indicator_id == i),
)
comp = next(c for c in with_data if c.indicator_id == pick)
left, right = st.columns(2)
words = cache.indicator_words(eng, version, gemeente, group, base, latest, pick, city, label)
ranking_text, trend_text = words["ranking"], words["trend"]
with left:
    st.markdown(f"**Rangorde {label}, {latest}** (beste boven)")
    st.caption(safe.md(explain.ranking_caption(city, label, comp.better)))
    st.html(
        cache.ranking_bars(eng, version, gemeente, group, base, latest, pick, label, ranking_text)
    )
    st.markdown(safe.md(ranking_text))
    with lazy.expander(explain.TABLE_LABEL, "rangorde-tabel") as shown_:
        if shown_:  # built only when opened
            table = explain.ranking_table(words["rows"], comp.unit)
            widgets.dataframe(table, download=f"rangorde_{gemeente}_{group}_{pick}_{latest}")
trend, trend_svg = cache.trend_figure(
    eng, version, pick, gemeente, group, city, label, comp.unit, comp.series_break, trend_text
)
with right:
    st.markdown(f"**{safe.md(city)} en {safe.md(explain.group_mean(label))}, alle jaren**")
    st.caption(safe.md(explain.trend_caption(city, label)))
    figure.show(trend_svg)
    breaks = (
        [f"Reeksbreuk {comp.series_break}: {comp.series_break_note}"] if comp.series_break else []
    )
    widgets.captions([*breaks, *trend["indeling_notes"]])
    st.markdown(safe.md(trend_text))
    with lazy.expander(explain.TABLE_LABEL, "verloop-tabel") as shown_:
        if shown_:  # built only when opened
            table = explain.trend_table(trend["own"], trend["peers"], city, label, comp.unit)
            widgets.dataframe(table, height="auto", download=f"verloop_{gemeente}_{group}_{pick}")
    st.markdown(
        f"**Kaart van {safe.md(explain.group_name(label))}, {latest}** ({safe.md(city)} omlijnd)"
    )
    alt = f"Kaart van {explain.group_name(label)}. {ranking_text}"
    if (svg := cache.group_svg(eng, version, pick, latest, gemeente, group, alt)) is not None:
        st.caption(safe.md(explain.group_map_caption(city, label, comp.better)))
        areamap.show(svg)

"""Wijkprofiel: one wijk or buurt with every indicator next to the city, its rank and trend."""

import streamlit as st

from dashboard.domain import explain, fmt, wijkbeeld
from dashboard.render import safe
from dashboard.store import plans
from dashboard.views import urls
from dashboard.web import cache, context, widgets

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
    st.stop()

level = "wijk" if code.startswith("WK") else "buurt"
name = all_areas[code]
parent = buurten.set_index("code").loc[code, "parent_code"] if level == "buurt" else None
st.title(f"{safe.md(name)} ({code})")
st.caption(
    f"{level.capitalize()} in {safe.md(city)}"
    + (f", in {safe.md(all_areas.get(parent, parent))} ({parent})" if parent else "")
)

own = cache.area_values(eng, version, code)
siblings = cache.level_all_values(eng, version, level, gemeente)
table = wijkbeeld.profile_table(code, own, siblings, cache.area_values(eng, version, gemeente))
params = {k: v for k, v in st.query_params.to_dict().items() if k != "gebied"}

left, right = st.columns([1, 2])
with left:
    st.pydeck_chart(
        cache.locator_deck(eng, version, gemeente, level, code),
        height=340,
        alt=explain.locator_alt(name, level, city),
    )
    st.caption(safe.md(explain.locator_caption(name, level, city)))
with right:
    cols = st.columns(3)
    for col, (ind_id, label) in zip(cols, wijkbeeld.HEADLINES, strict=False):
        row = table[table["indicator_id"] == ind_id]
        if row.empty:
            continue
        r = row.iloc[0]
        col.metric(
            f"{label}, {r['period']}",
            r["text"].replace(f" {r['unit']}", ""),
            help=f"{safe.md(city)}: "
            + (
                wijkbeeld.value_text(r["city"], r["unit"], r["kind"])
                if r["city"] is not None
                else "–"
            ),
        )
    st.markdown(safe.md(explain.profile_intro(city, level)))
    st.page_link(
        "pages/kaart.py",
        label="Terug naar de kaart",
        icon=":material/map:",
        query_params={**params, "niveau": level, "gebied": code},
    )

st.subheader("Alle cijfers")
if table.empty:
    st.info("Voor dit gebied zijn nog geen cijfers.")
else:
    derived = {
        i: cache.source_of(eng, version, i)
        for i in table.loc[table["source_key"].isna(), "indicator_id"]
    }
    view = wijkbeeld.profile_view(
        table,
        cache.sources_by_key(eng, version),
        city,
        {i: f"{s['owner']}, {s['table']} (berekend)" for i, s in derived.items()},
    )
    view = explain.with_trend_words(view, table, own)
    widgets.dataframe(
        view,
        {c: c for c in view.columns},
        column_config={
            "Verloop": st.column_config.LineChartColumn("Verloop", help=explain.SPARKLINE_HELP),
            explain.TREND_WORDS: st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(explain.SPARKLINE_CAPTION)

if level == "wijk":
    st.subheader(f"Buurten in {safe.md(name)}")
    kids = buurten[buurten["parent_code"] == code]
    rows = wijkbeeld.children_table(kids, cache.level_all_values(eng, version, "buurt", gemeente))
    widgets.dataframe(rows, {c: c for c in rows.columns})

wijk = code if level == "wijk" else parent
st.subheader(f"Acties van het veiligheidsbeleid in {safe.md(all_areas.get(wijk, wijk))}")
acties = plans.actions_for_wijk(eng, wijk)  # progress changes without an import: not cached
if acties.empty:
    st.caption(
        "Nog geen acties aan deze wijk gekoppeld: dat gebeurt bij het registreren van "
        "voortgang op de pagina Thema's."
    )
else:
    acties["datum"] = acties["update_date"].map(fmt.fmt_date)
    widgets.dataframe(
        acties,
        {
            "theme": "Thema",
            "title": "Actie",
            "status": "Status",
            "owner": "Eigenaar of partner",
            "datum": "Laatste update",
            "note": "Toelichting",
        },
    )

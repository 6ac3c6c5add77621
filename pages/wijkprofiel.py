"""Wijkprofiel: one wijk or buurt with every indicator next to the city, its rank and trend."""

import streamlit as st

from dashboard import explain, policy, settings, ui, wijkbeeld

ui.ensure_navigation()
eng = ui.engine()
version = ui.data_version(eng)
gemeente = settings.get("GEMEENTE")
city = ui.cached("area_name", eng, version, gemeente) or gemeente
wijken = ui.cached("areas", eng, version, "wijk", gemeente)
buurten = ui.cached("areas", eng, version, "buurt", gemeente)
all_areas = {
    **dict(zip(wijken["code"], wijken["name"], strict=True)),
    **dict(zip(buurten["code"], buurten["name"], strict=True)),
}

code = (st.query_params.get("gebied") or "").strip().upper()
if code and code not in all_areas:
    st.info(f"Gebied '{ui.md(code)}' bestaat niet in de gegevens. Kies een wijk of buurt.")
    code = ""
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
st.title(f"{ui.md(name)} ({code})")
st.caption(
    f"{level.capitalize()} in {ui.md(city)}"
    + (f", in {ui.md(all_areas.get(parent, parent))} ({parent})" if parent else "")
)

own = ui.cached("area_values", eng, version, code)
siblings = ui.cached("level_all_values", eng, version, level, gemeente)
table = wijkbeeld.profile_table(
    code, own, siblings, ui.cached("area_values", eng, version, gemeente)
)
params = {k: v for k, v in st.query_params.to_dict().items() if k != "gebied"}

left, right = st.columns([1, 2])
with left:
    st.pydeck_chart(
        ui.locator_deck(eng, version, gemeente, level, code),
        height=340,
        alt=explain.locator_alt(name, level, city),
    )
    st.caption(ui.md(explain.locator_caption(name, level, city)))
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
            help=f"{ui.md(city)}: "
            + (
                wijkbeeld.value_text(r["city"], r["unit"], r["kind"])
                if r["city"] is not None
                else "–"
            ),
        )
    st.markdown(ui.md(explain.profile_intro(city, level)))
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
        i: ui.cached("source_of", eng, version, i)
        for i in table.loc[table["source_key"].isna(), "indicator_id"]
    }
    view = wijkbeeld.profile_view(
        table,
        ui.cached("sources_by_key", eng, version),
        city,
        {i: f"{s['owner']}, {s['table']} (berekend)" for i, s in derived.items()},
    )
    view = explain.with_trend_words(view, table, own)
    ui.dataframe(
        view,
        {c: c for c in view.columns},
        column_config={
            "Verloop": st.column_config.LineChartColumn("Verloop", help=explain.SPARKLINE_HELP),
            explain.TREND_WORDS: st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(explain.SPARKLINE_CAPTION)

if level == "wijk":
    st.subheader(f"Buurten in {ui.md(name)}")
    kids = buurten[buurten["parent_code"] == code]
    rows = wijkbeeld.children_table(
        kids, ui.cached("level_all_values", eng, version, "buurt", gemeente)
    )
    ui.dataframe(rows, {c: c for c in rows.columns})

wijk = code if level == "wijk" else parent
st.subheader(f"Acties van het veiligheidsbeleid in {ui.md(all_areas.get(wijk, wijk))}")
acties = policy.actions_for_wijk(eng, wijk)  # progress changes without an import: not cached
if acties.empty:
    st.caption(
        "Nog geen acties aan deze wijk gekoppeld: dat gebeurt bij het registreren van "
        "voortgang op de pagina Thema's."
    )
else:
    acties["datum"] = acties["update_date"].map(ui.fmt_date)
    ui.dataframe(
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

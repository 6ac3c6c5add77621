"""Thema's: the integraal veiligheidsbeleid from ambitie to actie, with progress and indicators."""

import streamlit as st

from dashboard.domain import explain, progress
from dashboard.render import safe
from dashboard.store import plans
from dashboard.views import urls
from dashboard.web import cache, context, voortgang, widgets

STATIC = {"displayModeBar": False}
eng, version, gemeente, city = context.page(__file__)
plan = cache.plan_for(eng, version, gemeente)  # the gemeente's own plan, never another's
if plan is None:
    st.title("Thema's")
    st.info(safe.md(progress.no_plan_text(city)))
    st.stop()
plan_id, plan_title, source_key = plan["plan_id"], plan["title"], plan["source_key"]
els = cache.elements(eng, version, plan_id)
top, sub = progress.levels(els)  # ('Thema', 'Doel'), or ('Doel', 'Subdoel') in a begroting
lasten, plural = progress.budgets(els), explain.LEVEL_WORDS[top][1]
upd = plans.updates(eng, plan_id)  # progress changes without an import: never cached
acts = progress.actions(els, upd)
wijken = cache.areas(eng, version, "wijk", gemeente)
wijk_names = dict(zip(wijken["code"], wijken["name"], strict=True))
titles = dict(zip(els["code"], els["title"], strict=True))
codes = progress.themes(els)["code"].tolist()
spec = urls.parse_theme(st.query_params, codes)

st.title(f"Thema's: {safe.md(plan_title)}")
src = cache.sources_by_key(eng, version).get(source_key, {})
period = progress.plan_period(plan_title, src.get("table_id", ""))
widgets.source_line(src.get("owner", ""), src.get("table_id", ""), period)
if spec.unknown:
    st.info(f"{top} '{safe.md(spec.unknown)}' bestaat niet in dit plan. Hieronder alle {plural}.")
choice = st.segmented_control(
    top,
    ["", *codes],
    default=spec.thema or "",
    format_func=lambda c: f"{safe.md(c)} {safe.md(titles[c])}" if c else f"Alle {plural}",
)
if (choice or "") != (spec.thema or ""):
    if choice:
        st.query_params["thema"] = choice
    else:
        st.query_params.pop("thema", None)
    st.rerun()
shown = [spec.thema] if spec.thema else codes
view = acts[acts["theme_code"].isin(shown)]
view_text = progress.status_sentence(view)

by, head = ("doel_code", sub) if spec.thema else ("theme_code", top)
st.subheader(f"Voortgang per {head.lower()}")
if (view["status"] == progress.NOT_REGISTERED).all():
    st.info(progress.no_progress_text(len(view)))
else:
    st.caption(explain.progress_caption(head))
    fig = cache.progress_figure(
        progress.shares(view, by), progress.group_labels(titles, view[by], 45)
    )
    st.plotly_chart(fig, config=STATIC, alt=explain.progress_alt(head, view_text))
table = progress.share_table(view, by, progress.group_labels(titles, view[by]), head, lasten)
st.table(safe.md_frame(table), hide_index=True)

st.subheader("Doelenboom")
st.caption(explain.tree_caption((top, sub), bool(lasten)))
tiles = view[["code", "status", "theme_code", "doel_code"]]  # hashable columns: the cache key
fig = cache.tree_figure(els, tiles, shown)
st.plotly_chart(fig, config=STATIC, alt=explain.tree_alt(view, view_text, (top, sub)))

panels = cache.indicator_panels(eng, version, plan_id, gemeente)
for code in shown:
    st.header(f"{safe.md(code)} {safe.md(titles[code])}", divider="gray")
    if code in lasten:
        st.markdown(f"**{safe.md(progress.budget_text(lasten[code]).capitalize())}**")
    for amb in progress.children(els, code, "ambitie").itertuples():
        st.markdown(f"**Ambitie:** {safe.md(amb.text)}")
    with st.expander("Inleiding uit het beleidsplan"):
        st.markdown(safe.md(els.set_index("code").at[code, "text"]))
    st.caption(progress.status_sentence(acts[acts["theme_code"] == code]))
    for prefix, text, doel_acts, doel in progress.doel_sections(els, acts, code):
        st.markdown(f"**{safe.md(prefix)}** {safe.md(text)}")
        for ind in progress.children(els, doel, "indicator").itertuples():
            st.markdown(f"*Indicator ({safe.md(ind.code)}), toelichting:* {safe.md(ind.text)}")
        st.caption(progress.status_sentence(doel_acts))
        st.table(safe.md_frame(progress.action_view(doel_acts, wijk_names)), hide_index=True)
    st.markdown(f"**Indicatoren bij dit {top.lower()}** ({safe.md(city)})")
    if not panels.get(code):
        st.caption(f"Aan dit {top.lower()} zijn nog geen indicatoren gekoppeld.")
    else:
        st.caption(safe.md(explain.indicators_caption(city)))
    items = panels.get(code, [])
    slots = [slot for _ in range(0, len(items), 3) for slot in st.columns(3)]
    for i, (slot, panel) in enumerate(zip(slots, items, strict=False)):
        with slot:
            st.markdown(safe.md(panel["name"]))
            if panel["values"].empty:
                st.caption(f"Geen waarden voor {safe.md(city)}.")
            else:
                fig = cache.series_figure(panel["values"], city, panel["unit"])
                words = explain.series_sentence(panel["values"], city, panel["unit"])
                st.plotly_chart(fig, config=STATIC, key=f"{code}-{i}", alt=words)
                st.caption(safe.md(words))
                with st.expander(explain.TABLE_LABEL):
                    rows = explain.series_table(panel["values"], panel["unit"])
                    widgets.dataframe(rows, {c: c for c in rows.columns}, height="auto")
                widgets.source_line(panel["owner"], panel["table"], panel["period"])
            for note in panel["notes"]:
                st.caption(safe.md(note))

st.subheader("Geschiedenis van de updates")
hist = upd[upd["action_code"].isin(view["code"])]
if hist.empty:
    st.caption("Nog geen voortgang geregistreerd.")
else:
    st.table(safe.md_frame(progress.history_view(hist, titles, wijk_names)), hide_index=True)

voortgang.section(eng, plan, acts, titles, gemeente, city)  # subheader, Excel in and out
widgets.progress_form(eng, plan_id, view, acts, titles, wijk_names, gemeente)

"""Thema's: the integraal veiligheidsbeleid from ambitie to actie, with progress and indicators."""

import streamlit as st

from dashboard.domain import explain, progress
from dashboard.render import safe
from dashboard.store import plans
from dashboard.views import urls
from dashboard.web import cache, context, indicators, lazy, voortgang, widgets

eng, version, gemeente, city = context.page(__file__)
plan = cache.plan_for(eng, version, gemeente)  # the gemeente's own plan, never another's
if plan is None:
    st.title("Thema's")
    st.info(safe.md(progress.no_plan_text(city)))
    context.end_page()
plan_id, plan_title, source_key = plan["plan_id"], plan["title"], plan["source_key"]
outline = cache.theme_outline(eng, version, plan_id)
top, sub = outline.top, outline.sub  # ('Thema', 'Doel'), or ('Doel', 'Subdoel') in a begroting
lasten, plural, titles, codes = outline.lasten, outline.plural, outline.titles, outline.codes
key = (version, plans.progress_version(eng))  # progress changes without an import
upd, acts = cache.plan_progress(eng, key, plan_id)
wijken = cache.areas(eng, version, "wijk", gemeente)
wijk_names = dict(zip(wijken["code"], wijken["name"], strict=True))
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
part = cache.theme_progress(eng, key, plan_id, tuple(shown), bool(spec.thema))
view_text, head = part.sentence, part.head

st.subheader(f"Voortgang per {head.lower()}")
if not part.registered:
    st.info(progress.no_progress_text(len(view)))
else:
    st.caption(explain.progress_caption(head))
    st.html(cache.theme_progress_bars(eng, key, plan_id, tuple(shown), bool(spec.thema)))
widgets.table(part.table)

st.subheader("Doelenboom")
st.caption(explain.tree_caption((top, sub), bool(lasten)))
alt = explain.tree_alt(view, view_text, (top, sub))
st.html(cache.theme_tree(eng, key, plan_id, tuple(shown), alt))

sections = cache.theme_sections(eng, key, plan_id, gemeente, city)
trends = cache.panel_figures(eng, key, plan_id, gemeente, city)
for code in shown:
    sec = sections[code]
    st.header(f"{safe.md(code)} {safe.md(sec.title)}", divider="gray")
    if code in lasten:
        st.markdown(f"**{safe.md(progress.budget_text(lasten[code]).capitalize())}**")
    for amb in sec.ambities:
        st.markdown(f"**Ambitie:** {safe.md(amb)}")
    with lazy.expander("Inleiding uit het beleidsplan", f"inleiding-{code}") as open_:
        if open_:
            st.markdown(safe.md(sec.intro))
    st.caption(sec.sentence)
    if spec.thema:  # one thema: its doelen and indicators open
        widgets.doelen(sec.doelen)
    else:  # every thema: the doelenboom above shows them all; each one's text when opened
        label = f"{sub}en en acties bij dit {top.lower()} ({len(sec.doelen)})"
        with lazy.expander(label, f"doelen-{code}") as open_:
            if open_:
                widgets.doelen(sec.doelen)
    if spec.thema or not sec.panels:
        indicators.panels(code, sec, trends, top, city)
    else:  # every thema: each one's charts built when it is opened
        label = indicators.folded_label(sec, top)
        with lazy.expander(label, f"indicatoren-{code}") as open_:
            if open_:
                indicators.panels(code, sec, trends, top, city)

st.subheader("Geschiedenis van de updates")
hist = upd[upd["action_code"].isin(view["code"])]
if hist.empty:
    st.caption("Nog geen voortgang geregistreerd.")
else:
    widgets.table(progress.history_view(hist, titles, wijk_names))

voortgang.section(eng, plan, acts, titles, gemeente, city)  # subheader, Excel in and out
widgets.progress_form(eng, plan_id, view, acts, titles, wijk_names, gemeente)

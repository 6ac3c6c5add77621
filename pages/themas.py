"""Thema's: the integraal veiligheidsbeleid from ambitie to actie, with progress and indicators."""

import streamlit as st

from dashboard import explain, policy, settings, ui
from dashboard.errors import ValidationError

ui.ensure_navigation()
STATIC = {"displayModeBar": False}
eng = ui.engine()
version = ui.data_version(eng)
gemeente = settings.get("GEMEENTE")
city = ui.cached("area_name", eng, version, gemeente) or gemeente
plans = ui.cached("policy.plans", eng, version)
if plans.empty:
    st.title("Thema's")
    st.info(policy.NO_PLAN)
    st.stop()
plan_id, plan_title, source_key = plans.iloc[0][["plan_id", "title", "source_key"]]
els = ui.cached("policy.elements", eng, version, plan_id)
upd = policy.updates(eng, plan_id)  # progress changes without an import: never cached
acts = policy.actions(els, upd)
wijken = ui.cached("areas", eng, version, "wijk", gemeente)
wijk_names = dict(zip(wijken["code"], wijken["name"], strict=True))
titles = dict(zip(els["code"], els["title"], strict=True))
codes = policy.themes(els)["code"].tolist()
spec = policy.view_spec(st.query_params.to_dict(), codes)

st.title(f"Thema's: {ui.md(plan_title)}")
src = ui.cached("sources_by_key", eng, version).get(source_key, {})
ui.source_line(src.get("owner", ""), src.get("table_id", ""), policy.plan_period(plan_title))
if spec["unknown"]:
    st.info(f"Thema '{ui.md(spec['unknown'])}' bestaat niet in dit plan. Hieronder alle thema's.")
choice = st.segmented_control(
    "Thema",
    ["", *codes],
    default=spec["thema"] or "",
    format_func=lambda c: f"{ui.md(c)} {ui.md(titles[c])}" if c else "Alle thema's",
)
if (choice or "") != (spec["thema"] or ""):
    if choice:
        st.query_params["thema"] = choice
    else:
        st.query_params.pop("thema", None)
    st.rerun()
shown = [spec["thema"]] if spec["thema"] else codes
view = acts[acts["theme_code"].isin(shown)]

by, head = ("doel_code", "Doel") if spec["thema"] else ("theme_code", "Thema")
st.subheader(f"Voortgang per {head.lower()}")
if (view["status"] == policy.NOT_REGISTERED).all():
    st.info(policy.no_progress_text(len(view)))
else:
    st.caption(explain.progress_caption(head))
    fig = ui.figure(
        "figures.progress_figure",
        policy.shares(view, by),
        policy.group_labels(titles, view[by], 45),
    )
    alt = explain.progress_alt(head, policy.status_sentence(view))
    st.plotly_chart(fig, config=STATIC, alt=alt)
table = policy.share_table(view, by, policy.group_labels(titles, view[by]), head)
st.table(ui.md_frame(table), hide_index=True)

st.subheader("Doelenboom")
st.caption(explain.TREE_CAPTION)
tiles = view[["code", "status", "theme_code", "doel_code"]]  # hashable columns: the cache key
fig = ui.figure("figures.tree_figure", els, tiles, shown)
st.plotly_chart(fig, config=STATIC, alt=explain.tree_alt(view, policy.status_sentence(view)))

panels = ui.cached("policy.indicator_panels", eng, version, plan_id, gemeente)
for code in shown:
    st.header(f"{ui.md(code)} {ui.md(titles[code])}", divider="gray")
    for amb in policy.children(els, code, "ambitie").itertuples():
        st.markdown(f"**Ambitie:** {ui.md(amb.text)}")
    with st.expander("Inleiding uit het beleidsplan"):
        st.markdown(ui.md(els.set_index("code").at[code, "text"]))
    st.caption(policy.status_sentence(acts[acts["theme_code"] == code]))
    for prefix, text, sub in policy.doel_sections(els, acts, code):
        st.markdown(f"**{prefix}** {ui.md(text)}")
        st.caption(policy.status_sentence(sub))
        st.table(ui.md_frame(policy.action_view(sub, wijk_names)), hide_index=True)
    st.markdown(f"**Indicatoren bij dit thema** ({ui.md(city)})")
    if not panels.get(code):
        st.caption("Aan dit thema zijn nog geen indicatoren gekoppeld.")
    else:
        st.caption(ui.md(explain.indicators_caption(city)))
    items = panels.get(code, [])
    slots = [slot for _ in range(0, len(items), 3) for slot in st.columns(3)]
    for i, (slot, panel) in enumerate(zip(slots, items, strict=False)):
        with slot:
            st.markdown(ui.md(panel["name"]))
            if panel["values"].empty:
                st.caption(f"Geen waarden voor {ui.md(city)}.")
            else:
                fig = ui.figure("figures.trend", panel["values"], city, None, "", panel["unit"])
                words = explain.series_sentence(panel["values"], city, panel["unit"])
                st.plotly_chart(fig, config=STATIC, key=f"{code}-{i}", alt=words)
                st.caption(ui.md(words))
                with st.expander(explain.TABLE_LABEL):
                    rows = explain.series_table(panel["values"], panel["unit"])
                    ui.dataframe(rows, {c: c for c in rows.columns}, height="auto")
                ui.source_line(panel["owner"], panel["table"], panel["period"])
            for note in panel["notes"]:
                st.caption(ui.md(note))

st.subheader("Geschiedenis van de updates")
hist = upd[upd["action_code"].isin(view["code"])]
if hist.empty:
    st.caption("Nog geen voortgang geregistreerd.")
else:
    st.table(ui.md_frame(policy.history_view(hist, titles, wijk_names)), hide_index=True)

st.subheader("Voortgang registreren")
if flash := st.session_state.pop("policy_flash", None):
    st.success(flash)
if not ui.may(policy.ROLE):
    st.caption("Voortgang registreren kan alleen een redacteur (log in via de zijbalk).")
    st.stop()
action = st.selectbox("Actie", view["code"].tolist(), format_func=lambda c: f"{c} {titles[c]}")
cur = policy.current(acts, action)
st.caption(f"Nu: {cur['status']}. {ui.md(policy.short(cur['text'], 300))}")
form = {"plan_id": plan_id, "action_code": action, "user": st.session_state.get("user")}
form.update(role=ui.role(), gemeente=gemeente)
with st.form("voortgang"):
    form |= {
        "status": st.selectbox(
            "Status", policy.STATUSES, policy.status_index(cur), placeholder="Kies een status"
        ),
        "owner": st.text_input("Eigenaar of partner", value=cur["owner"] or ""),
        "wijken": st.multiselect(
            "Wijk(en), optioneel", list(wijk_names), cur["wijken"], format_func=wijk_names.get
        ),
    }
    left, right = st.columns(2)
    form["update_date"] = left.date_input("Datum van de update", format="DD-MM-YYYY")
    form["due_date"] = right.date_input(
        "Gepland gereed (optioneel)", value=cur["due_date"], format="DD-MM-YYYY"
    )
    form["note"] = st.text_area("Toelichting en bewijs (wat is er gebeurd, waar staat het?)")
    submitted = st.form_submit_button("Update opslaan", type="primary")
if submitted:
    try:
        policy.register_update(eng, **form)
    except ValidationError as exc:
        st.error("Update niet opgeslagen; er is niets veranderd. Wat ontbreekt:")
        st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown
    else:
        st.session_state["policy_flash"] = f"Update voor {action} opgeslagen: {form['status']}."
        st.rerun()

"""Veiligheidsbeeld: the headline figures of the gemeente against its peer group."""

import streamlit as st

from dashboard import settings, ui

ui.ensure_navigation()
eng = ui.engine()
version = ui.data_version(eng)
gemeente = settings.get("GEMEENTE")
name = ui.cached("area_name", eng, version, gemeente) or gemeente
INDICATOR, GROUP = "pol_totaal_misdrijven_per1000", "g32"

st.title(f"Veiligheidsbeeld {ui.md(name)}")
meta = ui.cached("indicator_meta", eng, version, INDICATOR)
if meta is not None:
    trend, figure = ui.trend_figure(
        eng, version, INDICATOR, gemeente, GROUP, name, "G32", meta["unit"]
    )
    own, peers = trend["own"], trend["peers"]
if meta is None or own.empty:
    st.warning(
        f"Nog geen gegevens over geregistreerde misdrijven voor {ui.md(name)}. Lees ze in via "
        "Data & bronnen."
    )
    st.stop()

last = own.iloc[-1]
prev = own.iloc[-2] if len(own) > 1 else None
peer_last = peers[peers["period"] == last["period"]]
source = ui.cached("source_of", eng, version, INDICATOR)

cols = st.columns(3)
cols[0].metric(
    f"Geregistreerde misdrijven per 1.000 inwoners, {last['period']}",
    ui.fmt_number(last["value"]),
    delta=None
    if prev is None
    else f"{ui.fmt_number(last['value'] - prev['value'])} t.o.v. {prev['period']}",
    delta_color="inverse",
)
if not peer_last.empty:
    cols[1].metric(
        f"Gemiddelde G32 (stand 2017), {last['period']}",
        ui.fmt_number(peer_last.iloc[0]["mean"]),
        help=f"Ongewogen gemiddelde van {int(peer_last.iloc[0]['n'])} G32-gemeenten, "
        f"zonder {ui.md(name)}.",
    )
counts = ui.cached("area_counts", eng, version, gemeente)
cols[2].metric(
    "Wijken en buurten in het dashboard",
    f"{counts.get('wijk', 0)} wijken, {counts.get('buurt', 0)} buurten",
)

st.subheader(f"{ui.md(meta['name'])}: {ui.md(name)} en de G32")
st.markdown(
    "Hoeveel misdrijven de politie registreerde per 1.000 inwoners. Lager is beter. "
    "De grijze band laat zien hoe ver de G32-gemeenten uiteenlopen."
)
st.plotly_chart(figure, config={"displayModeBar": False})
ui.source_line(
    source["owner"],
    source["table"],
    f"{own['period'].iloc[0]}–{last['period']}",
    "Per 1.000 inwoners berekend door het dashboard." if source["derived"] else "",
)
with st.expander("Tabel bij deze grafiek"):
    table = own[["period", "value"]].merge(peers[["period", "mean", "n"]], on="period", how="left")
    table = table.assign(
        value=table["value"].map(ui.fmt_number), mean=table["mean"].map(ui.fmt_number)
    )
    ui.dataframe(
        table,
        {"period": "Jaar", "value": name, "mean": "Gemiddelde G32", "n": "Aantal G32-gemeenten"},
    )

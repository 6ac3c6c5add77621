"""Similar areas on screen: the Wijkprofiel's section "Vergeleken met vergelijkbare wijken of
buurten" and the Kaart's option "t.o.v. vergelijkbare gebieden" (`views.similar` builds both).
Cached per data version, like every read in `web.cache`."""

from __future__ import annotations

import streamlit as st

from dashboard.domain.similar import K
from dashboard.render import safe, svgmap
from dashboard.render.maps import MAP_HEIGHT_PX, MAP_WIDTH_PX
from dashboard.views import similar
from dashboard.web import cache, widgets

_data = st.cache_data(
    show_spinner=False, max_entries=cache.MAX_ENTRIES, max_size=cache.MAX_SIZE, ttl=cache.TTL
)
_shared = st.cache_resource(show_spinner=False, max_entries=64, ttl=cache.TTL)

# The Kaart's `vergelijking` value for this option (the parameter name is stable).
MAP_VALUE = "vergelijkbaar"
MAP_LABEL = "t.o.v. vergelijkbare gebieden"


@_data
def scopes(_eng, version: tuple, gemeente: str, level: str) -> dict[str, str]:
    return similar.scopes(_eng, gemeente, level)


@_data
def profile_section(_eng, version: tuple, gemeente: str, code: str, level: str, scope: str):
    return similar.profile_section(_eng, gemeente, code, level, scope)


@_shared
def kaart_view(
    _eng, version: tuple, gemeente: str, niveau: str, indicator: str, jaar: str, size=None
) -> dict:
    """The Kaart coloured by each area's difference with its similar areas."""
    base = cache.base_layers(_eng, version, gemeente, niveau)
    return similar.kaart_view(_eng, base, gemeente, niveau, indicator, jaar, size)


def section(eng, version: tuple, gemeente: str, code: str, level: str) -> None:
    """The Wijkprofiel's section: method in plain words, the areas used, the figures."""
    options = scopes(eng, version, gemeente, level)
    st.subheader(f"Vergeleken met {similar.SIMILAR_WORDS[level]}")
    scope = similar.default_scope(options)
    if len(options) > 1:
        scope = st.radio(
            "Vergelijkbare gebieden zoeken in",
            list(options),
            index=list(options).index(scope),
            format_func=lambda k: options[k],
            horizontal=True,
            key="vergelijkbaar_binnen",
        )
    view = profile_section(eng, version, gemeente, code, level, scope)
    if view["message"]:
        st.info(safe.md(view["message"]))
        return
    st.markdown(safe.md(view["method"]))
    areas = view["areas"]
    widgets.dataframe(areas, download=f"vergelijkbaar_{code}_{scope}")
    widgets.sources([f"kenmerken: {view['sources']}"])
    figures = view["figures"]
    if figures.empty:
        st.caption("Geen cijfers van dit gebied om te vergelijken.")
        return
    widgets.dataframe(figures, download=f"vergelijkbaar_cijfers_{code}_{scope}")
    st.caption(
        "Per indicator het laatste jaar met een cijfer van dit gebied, naast het gemiddelde "
        "en de mediaan van de vergelijkbare gebieden in hetzelfde jaar (alleen de gebieden "
        "met een cijfer tellen mee). De bron staat per regel."
    )


def map_option(current: str) -> str:
    """The Kaart's switch; returns the `vergelijking` value to keep in the URL ('' when off)."""
    on = st.toggle(MAP_LABEL, value=current == MAP_VALUE, key="kaart_vergelijkbaar")
    if on:
        st.caption(
            f"Kleur: het verschil tussen het cijfer van elk gebied en het gemiddelde van de "
            f"{K} gebieden die er naar hun CBS-kenmerken het meest op lijken en voor deze "
            "indicator en dit jaar een cijfer hebben (binnen Twente waar de database die "
            "gebieden heeft, anders binnen de gemeente; de tooltip noemt ze). Hoe ze gevonden "
            "zijn, staat op het Wijkprofiel onder 'Vergeleken met vergelijkbare wijken'."
        )
    return MAP_VALUE if on else ""


def kaart_data(eng, version, gemeente, niveau, indicator, jaar, vergelijking: str) -> dict:
    """The Kaart's data for the selection: plain, or against similar areas."""
    if vergelijking == MAP_VALUE:
        return kaart_view(eng, version, gemeente, niveau, indicator, jaar)
    return cache.kaart_view(eng, version, gemeente, niveau, indicator, jaar)


@_shared
def kaart_svg(
    _eng, version: tuple, gemeente: str, niveau, indicator, jaar, vergelijking: str, label: str
) -> str | None:
    """The Kaart's map as SVG (`render.svgmap`, every area a button; `label` its name for a
    screen reader), drawn once per selection; None without borders."""
    deck = kaart_data(_eng, version, gemeente, niveau, indicator, jaar, vergelijking)["deck"]
    return None if deck is None else svgmap.svg(deck, MAP_WIDTH_PX, MAP_HEIGHT_PX, label)

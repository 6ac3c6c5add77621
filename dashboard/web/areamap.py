"""A map drawn as SVG (`render.svgmap`) in a Streamlit component: a click on an area, or
Enter or Space on it, reruns the page with its area code. No WebGL and no deck.gl bundle, so
an overview screen is complete as soon as its text is."""

from __future__ import annotations

import streamlit as st

_CSS = """
[role="button"] { cursor: pointer; }
.focusrand { fill: none; stroke: #111111; stroke-width: 4px; vector-effect: non-scaling-stroke;
  pointer-events: none; }
[role="button"]:hover, [role="button"]:focus-visible { stroke: #0072b2; stroke-width: 3px;
  vector-effect: non-scaling-stroke; outline: none; }
"""
# The SVG arrives as data (escaped when it was drawn); the script only places it and listens.
_JS = """
const STYLE = `%s`;
export default function ({ data, parentElement, setTriggerValue }) {
  if (parentElement.__svg !== data.svg) {
    parentElement.innerHTML = `<style>${STYLE}</style>` + data.svg;
    parentElement.__svg = data.svg;
  }
  // The area in focus outlined on top of its neighbours (a copy that takes no clicks).
  parentElement.querySelectorAll('.focusrand').forEach((el) => el.remove());
  const chosen = Array.from(parentElement.querySelectorAll('.gebied'))
    .find((el) => el.dataset.code === data.focus);
  if (chosen) {
    const edge = chosen.cloneNode(false);
    edge.setAttribute('class', 'focusrand');
    ['data-code', 'role', 'tabindex', 'aria-label'].forEach((a) => edge.removeAttribute(a));
    edge.setAttribute('aria-hidden', 'true');
    chosen.parentNode.appendChild(edge);  // under the hatching and the names
  }
  parentElement.__trigger = setTriggerValue;  // the latest run's
  if (parentElement.__listening) return;
  parentElement.__listening = true;
  const pick = (e) => {
    const area = e.target.closest && e.target.closest('[role="button"][data-code]');
    if (!area) return;
    if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    parentElement.__trigger('pick', area.dataset.code);
  };
  parentElement.addEventListener('click', pick);
  parentElement.addEventListener('keydown', pick);
}
"""
_component = st.components.v2.component("svgkaart", js=_JS % _CSS)


def show(svg: str, key: str | None = None, focus: str | None = None) -> None:
    """Draw the map, the area `focus` outlined; on a map whose areas are buttons
    (`svgmap.svg(choose=True)`) the area chosen is read with `picked(key)` at the top of the
    run it triggers."""
    _component(data={"svg": svg, "focus": focus}, key=key, on_pick_change=lambda: None)


def picked(key: str) -> str | None:
    """The area code clicked on the map with this `key` in the run it triggered."""
    state = st.session_state.get(key) or {}
    code = state.get("pick") if hasattr(state, "get") else None
    return code if isinstance(code, str) else None

"""A chart drawn on the server (`render.linechart`, `render.figures`: SVG with its own small
stylesheet) placed by a Streamlit component. `st.html` cannot carry it: its sanitiser keeps
HTML only and drops SVG. The chart arrives as data, escaped when it was drawn; the script
only places it. No chart library loads in the browser."""

from __future__ import annotations

import streamlit as st

_JS = """
export default function ({ data, parentElement }) {
  if (parentElement.__html !== data.html) {
    parentElement.innerHTML = data.html;
    parentElement.__html = data.html;
  }
}
"""
_component = st.components.v2.component("svgfiguur", js=_JS)


def show(chart: str, key: str | None = None) -> None:
    """Place one chart (an SVG, or HTML holding SVGs) at the full width of its column."""
    _component(data={"html": chart}, key=key)

"""The parts of a map legend that explain marks and numbers: hatched swatches for uncertain
areas ('onzeker', 'n.v.t.') and the key of areas whose name is a number on the map.

Swatches are CSS patterns that repeat what the map draws (//// and a cross), static styles;
every text is escaped."""

from __future__ import annotations

import streamlit as st

from dashboard.render.safe import escape

# The same patterns as `render.marks` draws on the map (line colour, both directions).
PATTERNS = {
    "onzeker": "repeating-linear-gradient(-45deg,#111 0 1.6px,transparent 1.6px 6px)",
    "nvt": (
        "repeating-linear-gradient(-45deg,#555 0 1.2px,transparent 1.2px 6px),"
        "repeating-linear-gradient(45deg,#555 0 1.2px,transparent 1.2px 6px)"
    ),
}


def swatch(status: str, width: str = "28px", height: str = "20px") -> str:
    """A hatched swatch on white, as the mark looks on the map."""
    return (
        f'<span style="width:{width};height:{height};background:{PATTERNS[status]};'
        f"background-color:#ffffff;border:1px solid #555;display:inline-block;"
        f'flex:none"></span>'
    )


def rows(legend: dict) -> str:
    """Legend rows (one per line) of the marks and the key, for the Kaart's legend."""
    out = "".join(
        f'<div style="display:flex;align-items:center;gap:10px;margin:4px 0">'
        f"{swatch(status)}<span>{escape(text)}</span></div>"
        for status, text in legend.get("marks", [])
    )
    if legend.get("key"):
        out += (
            '<div style="margin-top:8px"><b>Nummers op de kaart</b>'
            + "".join(f"<div>{escape(line)}</div>" for line in legend["key"])
            + "</div>"
        )
    return out


def compact(items: list[tuple[str, str]], legend: dict, size: str = "0.8rem") -> None:
    """A legend on one or two lines under a small map: colours with their class bounds, the
    marks of uncertain areas and the key of numbered areas."""
    cell = 'style="display:inline-flex;align-items:center;gap:0.25rem;margin-right:0.55rem"'
    colours = "".join(
        f"<span {cell}>"
        f'<span style="width:1.1rem;height:0.9rem;background:{escape(colour)};'
        f'border:1px solid #333"></span>{escape(label)}</span>'
        for colour, label in items
    )
    marks = "".join(
        f"<span {cell}>{swatch(status, '1.1rem', '0.9rem')}{escape(text)}</span>"
        for status, text in legend.get("marks", [])
    )
    key = ""
    if legend.get("key"):
        key = f"<span><b>Nummers op de kaart:</b> {escape(' · '.join(legend['key']))}</span>"
    st.html(
        f'<div role="img" aria-label="Legenda" style="font-size:{size};line-height:1.35">'
        f"{colours}{marks}{key}</div>"
    )

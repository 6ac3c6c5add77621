"""Render: charts (SVG and HTML), pydeck decks and SVG maps, and safe text (escaping for
markdown and HTML)."""

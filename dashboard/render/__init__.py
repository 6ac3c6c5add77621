"""Render: plotly figures, pydeck maps and safe text (escaping for markdown and HTML)."""

"""Views: what each screen shows, as plain data built once (the agenda views, map view-models,
URL specs) and the briefing PDF that renders them. No Streamlit."""

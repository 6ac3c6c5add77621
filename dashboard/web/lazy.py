"""Content that runs only when a person asks for it: an expander whose body is built while it
is open (opening it reruns the script), so a collapsed table costs nothing on every rerun and
is not sent to the browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def expander(label: str, key: str) -> Iterator[bool]:
    """`with lazy.expander("Tabel", key) as open_: if open_: ...` (the state is kept under
    `key` in the session, so a test opens it with `session_state[key] = True`)."""
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)

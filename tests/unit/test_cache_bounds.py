"""Every cached read in the web layer is bounded: a server that sees many gemeenten, selections
and imports keeps its cache memory flat (issue 15, G40 scale)."""

from __future__ import annotations

import math

import pytest

from dashboard.web import cache, signals, similar


def cached_functions():
    for module in (cache, signals, similar):
        for name, obj in vars(module).items():
            info = getattr(obj, "_info", None)
            if info is not None and hasattr(info, "max_entries"):
                yield pytest.param(info, id=f"{module.__name__.rsplit('.', 1)[-1]}.{name}")


CACHED = list(cached_functions())


def test_the_wrappers_are_found():
    assert len(CACHED) > 30


@pytest.mark.parametrize("info", CACHED)
def test_bounded_in_entries_and_time(info):
    assert info.max_entries is not None and info.max_entries != math.inf
    assert info.ttl is not None


def test_memory_reports_what_a_cache_holds(db):
    engine, _, url = db
    frame = cache.sources(engine, ("test_cache_bounds", url))
    row = cache.memory()["data:dashboard.web.cache.sources"]
    assert row["entries"] >= 1
    assert row["bytes"] >= len(frame)  # pickled bytes of at least this frame

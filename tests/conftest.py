"""What every test shares: the slow built-in background analyses run only where asked.

They are on by default in a library, so every indexing run of every test would also read the
text in each photo (OCR), find its place and find faces (seconds per photo on a CPU). Tests of
other things do not need that: each such analysis is unregistered for the test and registered
again after it, unless the test (or its module) carries the marker named here. Subprocess
workers of other tests set them aside themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# analysis name -> the marker a test needs to have it run
SET_ASIDE = {"places": "background_analyses", "text": "background_analyses", "faces": "faces"}


@pytest.fixture(autouse=True)
def _slow_analyses_only_where_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    from engine.analyses import registry

    aside = [cls for cls in registry.registered() if cls.name in SET_ASIDE
             and request.node.get_closest_marker(SET_ASIDE[cls.name]) is None]
    for cls in aside:
        registry.unregister(cls.name)
    try:
        yield
    finally:
        for cls in aside:
            registry.register(cls)

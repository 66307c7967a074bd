"""What every test shares: the faces analysis runs only in the tests that ask for it.

Faces are on by default in a library, so every indexing run would also find faces (seconds per
40 photos on a CPU). Tests of other things do not need that: the faces analysis is unregistered
for them and registered again for tests marked ``faces`` (``pytestmark = pytest.mark.faces``).
Subprocess workers of other tests unregister it themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _faces_only_where_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    from engine.analyses import registry

    classes = {cls.name: cls for cls in registry.registered()}
    faces = classes.get("faces")
    if faces is None or request.node.get_closest_marker("faces") is not None:
        yield
        return
    registry.unregister("faces")
    try:
        yield
    finally:
        registry.register(faces)

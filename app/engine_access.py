"""Lazy access to the engine facade, so the window paints before numpy and SQLite load.

Importing :mod:`engine.api` costs a few hundred milliseconds (numpy, sqlite-utils, imaging);
the modules on the path to the first paint import these wrappers instead and pay that cost only
when an engine function is first used, after the window is on screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any


def load_thumbnail(path: Path, size: int) -> Any:
    """``engine.api.load_thumbnail``: an RGB PIL thumbnail; raises PhotoReadError."""
    from engine.api import load_thumbnail as load

    return load(path, size)


def load_preview(path: Path, max_side: int) -> Any:
    """``engine.api.load_preview``: an RGB PIL image for display; raises PhotoReadError."""
    from engine.api import load_preview as load

    return load(path, max_side)


def search_filters(
    after: date | None = None,
    before: date | None = None,
    folder: Path | None = None,
    camera: str | None = None,
    places: tuple[str, ...] = (),
) -> Any:
    """An ``engine.api.SearchFilters``."""
    from engine.api import SearchFilters

    return SearchFilters(after=after, before=before, folder=folder, camera=camera,
                         places=places)


def open_library(home: Path | None, model: str | None) -> Any:
    """``engine.api.Library.open(home, model)``."""
    from engine.api import Library

    return Library.open(home=home, model=model)


def load_video_frame(path: Path, time_s: float, size: int) -> Any:
    """``engine.api.load_video_frame``: a video's frame at ``time_s`` as an RGB PIL image
    fitting ``size``; raises PhotoReadError."""
    from engine.api import load_video_frame as load

    return load(path, time_s, size)

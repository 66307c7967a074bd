"""Where the app keeps its own rebuildable data (thumbnails)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def thumbnail_folder(home: Path) -> Path:
    """Thumbnails of the library at ``home``.

    The user's default library keeps them in the platform's cache folder (where the system and
    cleaning tools expect rebuildable data); a library elsewhere (``--home``,
    ``$PHOTOSEARCH_HOME``: a portable library, a test) keeps them inside itself, under
    ``cache/thumbnails``, so it stays self-contained.
    """
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    if data and cache and _same(Path(data), home):
        return Path(cache) / "thumbnails"
    return home / "cache" / "thumbnails"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b

"""Decodes thumbnails off the GUI thread, through the disk cache, newest request first.

The results model asks for a thumbnail only when the view paints that cell, so only visible
photos are decoded; requests made later (where the user has scrolled to) run first, and
``cancel_pending`` drops queued work when the results change.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from app.engine_access import load_thumbnail
from app.models.thumbnail_cache import ThumbnailCache
from engine.errors import EngineError

log = logging.getLogger(__name__)


class _ThumbnailTask(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


class ThumbnailLoader(QObject):
    """Loads thumbnails in a small thread pool; emits ``loaded(path, QImage)`` or
    ``failed(path, reason)`` (path as ``str``) on the GUI thread."""

    loaded = Signal(str, QImage)
    failed = Signal(str, str)

    def __init__(
        self,
        cache: ThumbnailCache | None,
        side: int,
        threads: int = 2,
        decode: Callable[[Path, int], Any] = load_thumbnail,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.side = side
        self._decode = decode
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._priority = 0
        self._closed = False

    def set_cache(self, cache: ThumbnailCache) -> None:
        """Use ``cache`` (the library's, once it is open)."""
        self.cache = cache

    def request(self, path: Path) -> None:
        """Queue ``path`` unless it is already queued; newer requests run first."""
        key = str(path)
        with self._lock:
            if key in self._pending or self._closed:
                return
            self._pending.add(key)
        self._priority = (self._priority + 1) % 2_000_000_000
        self._pool.start(_ThumbnailTask(lambda: self._load(Path(key))), self._priority)

    def cancel_pending(self) -> None:
        """Drop requests that have not started (results changed)."""
        self._pool.clear()
        with self._lock:
            self._pending.clear()

    def shutdown(self) -> None:
        """Drop queued work and wait for running decodes."""
        self._closed = True
        self.cancel_pending()
        self._pool.waitForDone(3000)

    def _load(self, path: Path) -> None:
        key = str(path)
        try:
            image = self._thumbnail(path)
        except EngineError as exc:
            self._finish(key, None, exc.user_message)
        except Exception as exc:  # a worker must never die silently
            log.warning("thumbnail of %s failed", path, exc_info=True)
            self._finish(key, None, str(exc) or type(exc).__name__)
        else:
            self._finish(key, image, "")

    def _thumbnail(self, path: Path) -> QImage:
        cache = self.cache
        data = cache.get(path, self.side) if cache is not None else None
        if data is None:
            pil_image = self._decode(path, self.side)
            buffer = io.BytesIO()
            pil_image.convert("RGB").save(buffer, "JPEG", quality=88)
            data = buffer.getvalue()
            if cache is not None:
                cache.put(path, self.side, data)
        image = QImage.fromData(data)
        if image.isNull():
            raise ValueError("the cached thumbnail could not be decoded")
        return image

    def _finish(self, key: str, image: QImage | None, reason: str) -> None:
        with self._lock:
            self._pending.discard(key)
        if self._closed:
            return
        try:
            if image is not None:
                self.loaded.emit(key, image)
            else:
                self.failed.emit(key, reason)
        except RuntimeError:  # the loader was deleted while decoding
            pass

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

from app.engine_access import load_thumbnail, load_video_frame
from app.models.thumbnail_cache import ThumbnailCache
from engine.errors import EngineError

log = logging.getLogger(__name__)


_MOMENT = "\x00"  # never in a path: separates a video's path from the moment shown


def thumbnail_key(path: Path, time_s: float | None = None) -> str:
    """What a thumbnail is known by: the path, or for a video's moment the path and time."""
    return str(path) if time_s is None else f"{path}{_MOMENT}{time_s:.3f}"


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
        decode_frame: Callable[[Path, float, int], Any] = load_video_frame,
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.side = side
        self._decode = decode
        self._decode_frame = decode_frame
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._priority = 0
        self._closed = False

    def set_cache(self, cache: ThumbnailCache) -> None:
        """Use ``cache`` (the library's, once it is open)."""
        self.cache = cache

    def request(self, path: Path, time_s: float | None = None) -> None:
        """Queue ``path`` (for a video, its frame at ``time_s``) unless it is already queued;
        newer requests run first. Signals carry :func:`thumbnail_key`."""
        key = thumbnail_key(path, time_s)
        with self._lock:
            if key in self._pending or self._closed:
                return
            self._pending.add(key)
        self._priority = (self._priority + 1) % 2_000_000_000
        self._pool.start(_ThumbnailTask(lambda: self._load(key)), self._priority)

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

    def _load(self, key: str) -> None:
        path_text, _, moment = key.partition(_MOMENT)
        path = Path(path_text)
        try:
            image = (self._frame(path, float(moment)) if moment else self._thumbnail(path))
        except EngineError as exc:
            self._finish(key, None, exc.user_message)
        except Exception as exc:  # a worker must never die silently
            log.warning("thumbnail of %s failed", path, exc_info=True)
            self._finish(key, None, str(exc) or type(exc).__name__)
        else:
            self._finish(key, image, "")

    def _frame(self, path: Path, time_s: float) -> QImage:
        """A video's frame at a moment (not cached on disk: the moment differs per search,
        and seeking to it costs one group of pictures)."""
        pil_image = self._decode_frame(path, time_s, self.side)
        buffer = io.BytesIO()
        pil_image.convert("RGB").save(buffer, "JPEG", quality=88)
        image = QImage.fromData(buffer.getvalue())
        if image.isNull():
            raise ValueError("the video frame could not be converted")
        return image

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

"""Thumbnails cached on disk, least recently used evicted beyond a size cap.

A thumbnail is keyed by the photo's path, modification time and size and the thumbnail side, so
an edited photo gets a fresh one. Files are JPEG bytes named by a hash of the key. Recency is the
file's modification time (touched on every hit), so the order survives restarts. Thread-safe:
the thumbnail workers read and write it concurrently.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger(__name__)


class ThumbnailCache:
    """A folder of JPEG thumbnails with an LRU byte cap."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, int] | None = None  # name -> bytes, oldest first
        self._total = 0

    @property
    def max_bytes(self) -> int:
        """The size cap in bytes."""
        return self._max_bytes

    def set_max_bytes(self, max_bytes: int) -> None:
        """Change the cap; evicts at once if the cache is now over it."""
        with self._lock:
            self._max_bytes = max_bytes
            if self._entries is not None:
                self._evict()

    def total_bytes(self) -> int:
        """Bytes currently stored."""
        with self._lock:
            self._load_index()
            return self._total

    @staticmethod
    def key(path: Path, side: int) -> str | None:
        """The cache file name for ``path`` at ``side`` pixels, or None if the file is gone."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        raw = f"{os.fspath(path)}\0{st.st_mtime_ns}\0{st.st_size}\0{side}".encode()
        return hashlib.blake2b(raw, digest_size=16).hexdigest() + ".jpg"

    def get(self, path: Path, side: int) -> bytes | None:
        """The cached thumbnail bytes, or None; a hit becomes the most recently used."""
        name = self.key(path, side)
        if name is None:
            return None
        file = self.folder / name
        try:
            data = file.read_bytes()
        except OSError:
            return None
        with self._lock:
            self._load_index()
            assert self._entries is not None
            if name in self._entries:
                self._entries.move_to_end(name)
        with contextlib.suppress(OSError):
            os.utime(file)
        return data

    def put(self, path: Path, side: int, data: bytes) -> None:
        """Store a thumbnail, then evict the least recently used beyond the cap."""
        name = self.key(path, side)
        if name is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{name}.{threading.get_ident()}.tmp"
        try:
            tmp.write_bytes(data)
            os.replace(tmp, self.folder / name)
        except OSError:
            log.warning("could not write thumbnail cache file %s", name, exc_info=True)
            tmp.unlink(missing_ok=True)
            return
        with self._lock:
            self._load_index()
            assert self._entries is not None
            self._total -= self._entries.pop(name, 0)
            self._entries[name] = len(data)
            self._total += len(data)
            self._evict()

    def _load_index(self) -> None:
        if self._entries is not None:
            return
        found: list[tuple[float, str, int]] = []
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    if entry.name.endswith(".jpg") and not entry.name.startswith("."):
                        st = entry.stat()
                        found.append((st.st_mtime, entry.name, st.st_size))
        except FileNotFoundError:
            pass
        found.sort()
        self._entries = OrderedDict((name, size) for _, name, size in found)
        self._total = sum(size for _, _, size in found)

    def _evict(self) -> None:
        assert self._entries is not None
        while self._total > self._max_bytes and self._entries:
            name, size = self._entries.popitem(last=False)
            self._total -= size
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()

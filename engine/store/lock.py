"""One writing process per library: a file lock in the library folder."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from engine.errors import LibraryLockedError
from engine.i18n import _


class WriterLock:
    """Held while a process indexes or watches a library; a second one gets a clear message."""

    def __init__(self, home: Path) -> None:
        from filelock import FileLock

        self._path = home / "writer.lock"
        self._lock = FileLock(str(self._path) + ".flock", thread_local=False)

    def acquire(self) -> None:
        """Take the lock at once or raise LibraryLockedError naming the holder."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            pid = ""
            with contextlib.suppress(OSError):  # the holder's pid is a courtesy
                pid = self._path.read_text().strip()
            message = (
                _("Another PhotoSearch process (process {pid}) is updating this library right "
                  "now. Wait for it to finish (or close it), then try again.").format(pid=pid)
                if pid else
                _("Another PhotoSearch process is updating this library right now. Wait for it "
                  "to finish (or close it), then try again."))
            raise LibraryLockedError(message) from None
        self._path.write_text(str(os.getpid()))

    def release(self) -> None:
        """Let another process write."""
        if self._lock.is_locked:
            self._lock.release()

"""Keeps the library current while the app runs: starts and stops the engine's folder watch.

The watch holds the library's writer lock, so it runs between indexing passes: it starts when
a pass ends and stops before the next one begins (both queued on the bridge's engine lane, in
order). Its events arrive on the watch's own thread and are re-emitted as a queued Qt signal.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal

from app.bridge import EngineBridge
from app.i18n import translate
from engine.errors import EngineError

log = logging.getLogger(__name__)

# Event kinds after which results and folder counts may have changed.
# What the status bar says when the watch sees a photo change, by event kind.
_EVENT_WORDS = {
    "indexed": QT_TRANSLATE_NOOP("WatchPresenter", "Indexed"),
    "moved": QT_TRANSLATE_NOOP("WatchPresenter", "Moved"),
    "removed": QT_TRANSLATE_NOOP("WatchPresenter", "Removed"),
    "failed": QT_TRANSLATE_NOOP("WatchPresenter", "Failed"),
    "offline": QT_TRANSLATE_NOOP("WatchPresenter", "Offline"),
    "online": QT_TRANSLATE_NOOP("WatchPresenter", "Online"),
}
CHANGING_KINDS = frozenset({"indexed", "moved", "removed", "offline", "online", "reconciled"})


class WatchPresenter(QObject):
    """Starts/stops ``Library.watch()`` and reports what it does.

    ``changed`` fires (at most every 2 s) after photos were indexed, moved or removed, so the
    window can refresh counts and re-run the current search; ``status`` carries a short line.
    """

    changed = Signal()
    status = Signal(str)
    _event = Signal(object)

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._watch: Any = None
        self._wanted = False
        self._event.connect(self._on_event)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(2000)
        self._coalesce.timeout.connect(self.changed.emit)

    @property
    def watching(self) -> bool:
        """Whether a watch is running."""
        return self._watch is not None and bool(getattr(self._watch, "running", False))

    def start(self) -> None:
        """Start watching the library's folders (no-op if already watching)."""
        library = self._bridge.library
        if library is None or self._watch is not None:
            return
        self._wanted = True

        def begin() -> Any:
            return library.watch(on_event=self._event.emit)

        self._bridge.call(begin, self._started, self._failed)

    def _started(self, watch: Any) -> None:
        if not self._wanted:  # stopped while starting
            self._bridge.call(watch.stop)
            return
        self._watch = watch  # quietly: the status bar keeps the indexing pass's summary

    def _failed(self, exc: BaseException) -> None:
        message = exc.user_message if isinstance(exc, EngineError) else str(exc)
        log.warning("cannot watch the library: %s", message)
        self.status.emit(translate("WatchPresenter", "Not watching folders: %1").replace(
            "%1", message))

    def stop(self) -> None:
        """Stop watching; queued before whatever library call comes next."""
        self._wanted = False
        watch, self._watch = self._watch, None
        if watch is not None:
            self._bridge.call(watch.stop)

    def stop_now(self) -> None:
        """Stop watching at once, on this thread (for shutdown, when the bridge is closing)."""
        self._wanted = False
        watch, self._watch = self._watch, None
        if watch is not None:
            try:
                watch.stop()
            except Exception:
                log.warning("stopping the watch failed", exc_info=True)

    def _on_event(self, event: Any) -> None:
        kind = getattr(event, "kind", "")
        if kind in CHANGING_KINDS and not self._coalesce.isActive():
            self._coalesce.start()
        if kind in ("indexed", "moved", "removed", "failed", "offline", "online"):
            name = event.path.name if getattr(event, "path", None) is not None else ""
            what = translate("WatchPresenter", _EVENT_WORDS[kind])
            self.status.emit(f"{what}: {name}" if name else what)
        elif kind == "error":
            self.status.emit(translate("WatchPresenter", "Watching: %1").replace(
                "%1", str(getattr(event, "detail", ""))))

"""Run Python's cyclic garbage collector on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If that
is a worker thread (the engine lane, an indexing job) and the garbage holds Qt objects, their
C++ side is destroyed off the GUI thread, which crashes Qt (seen here as a segfault in the test
suite). So automatic collection is switched off and a GUI-thread timer collects instead, with
the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_guard: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects garbage from a timer on the thread it lives on (the GUI thread)."""

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose allocation counts crossed their thresholds."""
        c0, c1, c2 = gc.get_count()
        if c2 > self.threshold[2]:
            gc.collect(2)
        elif c1 > self.threshold[1]:
            gc.collect(1)
        elif c0 > self.threshold[0]:
            gc.collect(0)


def install_gc_guard(app: QObject) -> GuiThreadCollector:
    """Install (once) the GUI-thread collector, parented to the application."""
    global _guard
    if _guard is None:
        _guard = GuiThreadCollector(parent=app)
    return _guard

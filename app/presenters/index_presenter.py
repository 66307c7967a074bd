"""Indexing runs: start, progress, pause/resume, cancel, and the summary at the end."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.bridge import EngineBridge, JobHandle
from app.formatting import format_index_progress, format_index_report
from app.i18n import translate
from engine.errors import Cancelled, LibraryLockedError


class RateEstimator:
    """Photos per second over the embedding phase, from the progress seen and the wall clock.

    No estimate for the first ``warmup_s`` seconds: photos arrive in batches, so an early rate
    (one batch over a few milliseconds) would be wildly high.
    """

    def __init__(self, warmup_s: float = 1.0, clock: Any = time.monotonic) -> None:
        self.warmup_s = warmup_s
        self._clock = clock
        self._start: tuple[float, int] | None = None

    def update(self, progress: Any) -> tuple[float | None, float | None]:
        """(rate, eta_s) after this progress, or (None, None) while there is no estimate."""
        if progress.phase not in ("embedding", "analysing"):
            return None, None
        now = self._clock()
        if self._start is None:
            self._start = (now, progress.done)
            return None, None
        started, done_then = self._start
        elapsed = now - started
        if elapsed < self.warmup_s or progress.done <= done_then:
            return None, None
        rate = (progress.done - done_then) / elapsed
        return rate, max(0, progress.total - progress.done) / rate


class IndexPresenter(QObject):
    """Drives ``Library.index`` through the bridge.

    A ``start()`` while a run is going on queues one more run (a folder added mid-run gets
    indexed too). ``finished(report_or_None, summary)`` ends every run, cancelled ones included.
    """

    about_to_start = Signal()  # before a run takes the library's writer lock
    running_changed = Signal(bool)
    progress_changed = Signal(object, str)  # IndexProgress, one-line text
    paused_changed = Signal(bool)
    finished = Signal(object, str)
    error = Signal(object)

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None,
                 clock: Any = time.monotonic) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.clock = clock  # for the rate and ETA (tests drive it)
        self.finished_passes: list[Any] = []  # last progress of each pass done in this run
        self._job: JobHandle | None = None
        self._again = False
        self.last_progress: Any = None
        self.summary = ""
        self._rates = RateEstimator()
        self._estimate: tuple[float | None, float | None] = (None, None)

    @property
    def running(self) -> bool:
        """Whether a run is going on."""
        return self._job is not None

    @property
    def paused(self) -> bool:
        """Whether the current run is paused."""
        return self._job is not None and self._job.paused

    def start(self) -> None:
        """Index new and changed photos of all unpaused folders."""
        if self._job is not None:
            self._again = True
            return
        library = self._bridge.library
        self.about_to_start.emit()
        self.last_progress = None
        self.finished_passes = []
        self._rates = RateEstimator(clock=self.clock)
        self._estimate: tuple[float | None, float | None] = (None, None)
        self._job = self._bridge.start_job(
            lambda report: library.index(on_progress=report),
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_error=self._on_error,
        )
        self.running_changed.emit(True)
        self.paused_changed.emit(False)

    def pause(self) -> None:
        """Hold the run at its next photo."""
        if self._job is not None and not self._job.paused:
            self._job.pause()
            self.paused_changed.emit(True)
            self._refresh_text()

    def resume(self) -> None:
        """Go on after a pause."""
        if self._job is not None and self._job.paused:
            self._job.resume()
            self._rates = RateEstimator(clock=self.clock)  # the pause must not drag it down
            self.paused_changed.emit(False)
            self._refresh_text()

    def toggle_pause(self) -> None:
        """Pause if running, resume if paused."""
        self.resume() if self.paused else self.pause()

    def cancel(self) -> None:
        """Stop the run (photos done so far stay indexed)."""
        self._again = False
        if self._job is not None:
            self._job.cancel()

    def _refresh_text(self) -> None:
        if self.last_progress is not None:
            rate, eta = self._estimate
            text = format_index_progress(self.last_progress, self.paused, rate, eta,
                                         self.finished_passes)
            self.progress_changed.emit(self.last_progress, text)

    def _on_progress(self, progress: Any) -> None:
        last = self.last_progress
        pass_name = getattr(progress, "pass_name", "meaning")
        if last is not None and getattr(last, "pass_name", "meaning") != pass_name:
            # The next pass (a background analysis) began: keep the last one's count on show
            # and measure the new one's rate from scratch.
            self.finished_passes.append(last)
            self._rates = RateEstimator(clock=self.clock)
        self.last_progress = progress
        self._estimate = self._rates.update(progress)
        self._refresh_text()

    def _end(self, report: Any, summary: str) -> None:
        self._job = None
        self.summary = summary
        self.running_changed.emit(False)
        self.finished.emit(report, summary)
        if self._again:
            self._again = False
            self.start()

    def _on_done(self, report: Any) -> None:
        self._end(report, format_index_report(report))

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._end(None, translate(
                "IndexPresenter", "Indexing cancelled. Photos indexed so far stay searchable."))
            return
        if isinstance(exc, LibraryLockedError):  # e.g. the CLI is indexing: say so, no dialog
            self._end(None, exc.user_message)
            return
        self._end(None, translate("IndexPresenter", "Indexing stopped because of an error."))
        self.error.emit(exc)

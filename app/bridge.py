"""The one bridge between the GUI thread and the engine.

Every engine call that may take more than a moment goes through :class:`EngineBridge`: ``call``
runs a function on the engine lane (one worker thread, so the library sees one call at a time)
and delivers its result or exception back on the GUI thread; ``start_job`` starts an engine
:class:`~engine.api.Job` and turns its progress callbacks and its end into queued Qt signals.
Widgets are only ever touched from the GUI thread: callbacks run from queued slots.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from engine.errors import Cancelled

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class Call:
    """A handle on one background call; ``cancel()`` drops its result when it arrives."""

    call_id: int
    on_result: ResultCallback | None
    on_error: ErrorCallback | None
    cancelled: bool = False

    def cancel(self) -> None:
        """Forget the result: neither callback will run."""
        self.cancelled = True


@dataclass
class JobHandle:
    """The app's handle on a running engine job: pause, resume, cancel, latest progress."""

    job_id: int
    on_progress: ResultCallback | None
    on_done: ResultCallback | None
    on_error: ErrorCallback | None
    job: Any = None  # the engine Job, once started
    latest: Any = None  # newest progress value from the job's thread
    progress_queued: bool = False  # a progress signal is on its way to the GUI thread
    finished: bool = False
    is_paused: bool = False
    cancel_requested: bool = False
    pending: list[str] = field(default_factory=list)  # pause/cancel asked before the job began
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: threading.Event = field(default_factory=threading.Event)  # cleared while paused

    def __post_init__(self) -> None:
        self.running.set()

    def pause(self) -> None:
        """Hold the job at its next progress point."""
        self._apply("pause")

    def resume(self) -> None:
        """Let a paused job go on."""
        self._apply("resume")

    def cancel(self) -> None:
        """Ask the job to stop; its end is reported through ``on_error`` as Cancelled (ignored)."""
        self._apply("cancel")

    @property
    def paused(self) -> bool:
        """Whether the job is paused (as asked by pause()/resume())."""
        return self.is_paused

    def checkpoint(self) -> None:
        """Called at each progress point on the job's thread: hold while paused, stop if
        cancelled. Makes pause/cancel work even before the engine job object is known here."""
        if not self.cancel_requested:
            self.running.wait()
        if self.cancel_requested:
            raise Cancelled()

    def _apply(self, action: str) -> None:
        with self.lock:
            if action in ("pause", "resume"):
                self.is_paused = action == "pause"
            if action == "pause":
                self.running.clear()
            else:
                self.cancel_requested = self.cancel_requested or action == "cancel"
                self.running.set()
            if self.job is None:
                self.pending.append(action)
                return
            job = self.job
        getattr(job, action)()


class _Task(QRunnable):
    """Runs ``work`` on a pool thread and hands the outcome to ``deliver``."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work

    def run(self) -> None:
        self._work()


class EngineBridge(QObject):
    """Runs engine calls off the GUI thread and brings their outcomes back as queued signals.

    ``unhandled_error`` carries failures of calls that gave no ``on_error`` (never Cancelled).
    """

    unhandled_error = Signal(object)
    _call_done = Signal(int, bool, object)  # call id, ok, result or exception
    _job_progress = Signal(int)
    _job_done = Signal(int, bool, object)

    def __init__(self, library: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._ids = itertools.count(1)
        self._calls: dict[int, Call] = {}
        self._jobs: dict[int, JobHandle] = {}
        self._engine_lane = QThreadPool(self)
        self._engine_lane.setMaxThreadCount(1)
        self._image_lane = QThreadPool(self)  # decoding previews: pure functions, no library
        self._image_lane.setMaxThreadCount(2)
        self._closed = False
        # Held while a worker thread emits and while shutdown() closes the bridge: a job's
        # waiter thread that wakes as the app quits must never emit on a bridge whose C++
        # object is being destroyed (that segfaulted at exit, about one quit in four).
        self._emit_lock = threading.Lock()
        self._call_done.connect(self._deliver_call, Qt.ConnectionType.QueuedConnection)
        self._job_progress.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._job_done.connect(self._deliver_job_done, Qt.ConnectionType.QueuedConnection)

    # -- calls -------------------------------------------------------------------------------

    def call(
        self,
        fn: Callable[[], Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        lane: str = "engine",
    ) -> Call:
        """Run ``fn()`` off the GUI thread; ``on_result``/``on_error`` run on the GUI thread.

        ``lane="engine"`` (library calls) runs one call at a time, in order; ``lane="images"``
        is for decoding images with ``load_preview``/``load_thumbnail`` alongside.
        """
        call = Call(next(self._ids), on_result, on_error)
        self._calls[call.call_id] = call
        pool = self._image_lane if lane == "images" else self._engine_lane
        pool.start(_Task(lambda: self._run_call(call.call_id, fn)))
        return call

    def _run_call(self, call_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except BaseException as exc:  # delivered to the GUI thread
            self._emit(self._call_done, call_id, False, exc)
        else:
            self._emit(self._call_done, call_id, True, result)

    def _emit(self, signal: Any, *args: Any) -> None:
        with self._emit_lock:
            if self._closed:
                return
            try:
                signal.emit(*args)
            except RuntimeError:  # the bridge was deleted while the work ran
                log.debug("bridge gone; dropped a result")

    @Slot(int, bool, object)
    def _deliver_call(self, call_id: int, ok: bool, value: Any) -> None:
        call = self._calls.pop(call_id, None)
        if call is None or call.cancelled:
            return
        if ok:
            if call.on_result is not None:
                call.on_result(value)
        else:
            self._fail(value, call.on_error)

    def _fail(self, exc: BaseException, on_error: ErrorCallback | None) -> None:
        if on_error is not None:
            on_error(exc)
        elif not isinstance(exc, Cancelled):
            self.unhandled_error.emit(exc)

    # -- jobs --------------------------------------------------------------------------------

    def start_job(
        self,
        start: Callable[[Callable[[Any], None]], Any],
        on_progress: ResultCallback | None = None,
        on_done: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> JobHandle:
        """Start an engine job: ``start(report)`` must return a started ``Job`` whose progress
        callback is ``report``. Progress arrives coalesced (always the newest value) on the GUI
        thread; then ``on_done(result)`` or ``on_error(exception)``.
        """
        handle = JobHandle(next(self._ids), on_progress, on_done, on_error)
        self._jobs[handle.job_id] = handle

        def report(progress: Any) -> None:
            with handle.lock:
                handle.latest = progress
                queued = handle.progress_queued
                handle.progress_queued = True
            if not queued:
                self._emit(self._job_progress, handle.job_id)
            handle.checkpoint()

        def begin() -> None:
            try:
                job = start(report)
            except BaseException as exc:
                self._emit(self._job_done, handle.job_id, False, exc)
                return
            with handle.lock:
                handle.job = job
                pending, handle.pending = handle.pending, []
            for action in pending:
                getattr(job, action)()
            threading.Thread(
                target=self._wait_job, args=(handle,), name=f"wait-{handle.job_id}", daemon=True
            ).start()

        self._engine_lane.start(_Task(begin))
        return handle

    def _wait_job(self, handle: JobHandle) -> None:
        try:
            result = handle.job.result()
        except BaseException as exc:
            self._emit(self._job_done, handle.job_id, False, exc)
        else:
            self._emit(self._job_done, handle.job_id, True, result)

    @Slot(int)
    def _deliver_progress(self, job_id: int) -> None:
        handle = self._jobs.get(job_id)
        if handle is None:
            return
        with handle.lock:
            handle.progress_queued = False
            progress = handle.latest
        if handle.on_progress is not None and progress is not None and not handle.finished:
            handle.on_progress(progress)

    @Slot(int, bool, object)
    def _deliver_job_done(self, job_id: int, ok: bool, value: Any) -> None:
        handle = self._jobs.pop(job_id, None)
        if handle is None:
            return
        handle.finished = True
        if ok:
            if handle.on_done is not None:
                handle.on_done(value)
        else:
            self._fail(value, handle.on_error)

    def running_jobs(self) -> list[JobHandle]:
        """Jobs started and not yet finished."""
        return list(self._jobs.values())

    # -- shutdown ----------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel running jobs, drop queued calls and wait briefly for the engine lane."""
        for handle in self.running_jobs():
            handle.cancel()
        self._engine_lane.clear()
        self._image_lane.clear()
        self._engine_lane.waitForDone(timeout_ms)
        self._image_lane.waitForDone(timeout_ms)
        for handle in self.running_jobs():
            if handle.job is not None:
                with contextlib.suppress(BaseException):  # cancelled or failed: we are closing
                    handle.job.result(timeout=timeout_ms / 1000)
        with self._emit_lock:
            self._closed = True
        self._calls.clear()
        self._jobs.clear()

"""Background jobs: a long engine call runs on its own thread and reports progress.

``Job`` is what the facade returns for long work (indexing, model loading). Callers may poll
``progress``, wait with ``result()``, or pass callbacks. ``cancel()`` asks the work to stop at its
next progress point, where it raises :class:`engine.errors.Cancelled`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from engine.errors import Cancelled

T = TypeVar("T")
P = TypeVar("P")
log = logging.getLogger(__name__)


class CancelToken:
    """Shared flag between a job and its work; ``check()`` raises once cancelled."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def cancel(self) -> None:
        """Ask the work to stop (also wakes a paused job so it can stop)."""
        self._event.set()
        self._running.set()

    def pause(self) -> None:
        """Hold the work at its next progress point until resume() or cancel()."""
        self._running.clear()

    def resume(self) -> None:
        """Let paused work go on."""
        self._running.set()

    @property
    def paused(self) -> bool:
        """Whether pause() is in effect."""
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Wait while paused; raise :class:`Cancelled` if cancel() was called."""
        self._running.wait()
        if self._event.is_set():
            raise Cancelled()


class Job(Generic[T, P]):
    """A unit of work on a daemon thread, with progress, cancellation and a result."""

    def __init__(
        self,
        name: str,
        work: Callable[[CancelToken, Callable[[P], None]], T],
        on_progress: Callable[[P], None] | None = None,
        on_done: Callable[[Job[T, P]], None] | None = None,
    ) -> None:
        self.name = name
        self.token = CancelToken()
        self._work = work
        self._on_progress = on_progress
        self._on_done = on_done
        self._done = threading.Event()
        self._result: T | None = None
        self._error: BaseException | None = None
        self.progress: P | None = None
        self._thread = threading.Thread(target=self._run, name=f"job-{name}", daemon=True)

    def start(self) -> Job[T, P]:
        """Start the work; returns self for chaining."""
        self._thread.start()
        return self

    def _report(self, progress: P) -> None:
        self.progress = progress
        if self._on_progress is not None:
            self._on_progress(progress)
        self.token.check()

    def _run(self) -> None:
        try:
            self._result = self._work(self.token, self._report)
        except BaseException as exc:  # handed to result(); logged unless it is a cancel
            self._error = exc
            if not isinstance(exc, Cancelled):
                log.debug("job %s failed", self.name, exc_info=True)
        finally:
            self._done.set()
            if self._on_done is not None:
                try:
                    self._on_done(self)
                except Exception:
                    log.exception("done-callback of job %s failed", self.name)

    def cancel(self) -> None:
        """Ask the job to stop at its next progress point."""
        self.token.cancel()

    def pause(self) -> None:
        """Hold the job at its next progress point."""
        self.token.pause()

    def resume(self) -> None:
        """Resume a paused job."""
        self.token.resume()

    @property
    def paused(self) -> bool:
        """Whether the job is paused."""
        return self.token.paused

    def done(self) -> bool:
        """Whether the work has finished (successfully, with an error, or cancelled)."""
        return self._done.is_set()

    @property
    def cancelled(self) -> bool:
        """Whether the job ended because it was cancelled."""
        return isinstance(self._error, Cancelled)

    @property
    def error(self) -> BaseException | None:
        """The exception the work raised, once done (None on success)."""
        return self._error

    def result(self, timeout: float | None = None) -> T:
        """Wait for the work and return its result, or raise its exception."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"job {self.name} still running after {timeout} s")
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

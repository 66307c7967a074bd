"""A library's writing work, one piece at a time: indexing runs and the watch.

Within a process, one lock (``write_mutex``) lets an indexing pass and a watch batch take
turns; across processes, the library's writer lock (:class:`engine.store.lock.WriterLock`)
keeps a second PhotoSearch from writing at the same time, with a clear message.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace

from engine.errors import LibraryLockedError
from engine.i18n import _
from engine.ingest.background import BackgroundPasses
from engine.ingest.indexer import Indexer
from engine.ingest.watcher import Watch, WatchEvent
from engine.jobs import CancelToken, Job
from engine.records import AnalysisReport, IndexProgress, IndexReport
from engine.store.catalog import Catalog
from engine.store.lock import WriterLock

Prepare = Callable[[CancelToken, Callable[[IndexProgress], None]], AnalysisReport | None]


class LibraryRuns:
    """Starts indexing jobs and the watch for one library."""

    def __init__(self, catalog: Catalog, lock: WriterLock, new_indexer: Callable[[], Indexer],
                 new_background: Callable[[], BackgroundPasses],
                 save_index: Callable[[], None], prepare: Prepare | None = None) -> None:
        """``prepare``: cache work that follows an indexing run's background passes (the
        reranking features); it writes nothing to the catalog, so it runs outside the write
        mutex and a watch's batches go on meanwhile."""
        self.catalog = catalog
        self._prepare = prepare
        self.lock = lock
        self._new_indexer = new_indexer
        self._new_background = new_background
        self._save_index = save_index
        self.write_mutex = threading.Lock()  # one indexing pass or watch batch at a time
        self._job: Job[IndexReport, IndexProgress] | None = None
        self._watch: Watch | None = None

    def index(self, on_progress: Callable[[IndexProgress], None] | None, retry_failed: bool,
              background: bool, new_indexer: Callable[[], Indexer] | None = None
              ) -> Job[IndexReport, IndexProgress]:
        """The meaning pass, then (with ``background``) each background analysis's pass;
        ``new_indexer`` replaces the library's indexer for this run (a cluster's)."""
        running = self._job
        if running is not None and not running.done():
            raise LibraryLockedError(
                _("This library is being indexed already. Wait for that run to finish (or "
                  "cancel it), then try again.")
            )
        self.lock.acquire()

        def work(token: CancelToken, report: Callable[[IndexProgress], None]) -> IndexReport:
            try:
                indexer = (new_indexer or self._new_indexer)()
                with self.write_mutex:  # a running watch waits for this pass
                    try:
                        result = indexer.run(token, report, retry_failed=retry_failed)
                    finally:
                        # under the mutex: no watch batch is between its commit and its
                        # vectors while the index is saved and found to match the catalog
                        self._save_index()
                if background:
                    passes = self._new_background()
                    with self.write_mutex:
                        result = replace(result, analyses=passes.run(
                            token, report, retry_failed=retry_failed))
                    prepared = self._prepare(token, report) if self._prepare else None
                    if prepared is not None:
                        result = replace(result, analyses=[*result.analyses, prepared])
                report(IndexProgress("done", result.embedded + result.reused, result.embedded
                                     + result.reused, result.failed, result.reused, 0.0, 0.0))
                return result
            finally:
                self.lock.release()

        job: Job[IndexReport, IndexProgress] = Job("index", work, on_progress)
        self._job = job
        return job.start()

    def watch(self, on_event: Callable[[WatchEvent], None] | None) -> Watch:
        """Start the watch (see :meth:`engine.api.Library.watch`)."""
        running = self._watch
        if running is not None and running.running:
            raise LibraryLockedError(_("This library is being watched already."))
        self.lock.acquire()
        try:
            watch = Watch(self.catalog, self._new_indexer, self._save_index, self.write_mutex,
                          self.lock.release, on_event, make_background=self._new_background)
            self._watch = watch.start()
        except BaseException:
            self.lock.release()
            raise
        return watch

    def stop(self) -> None:
        """Stop the watch and cancel an indexing run, waiting for them to end."""
        if self._watch is not None:
            self._watch.stop()
        job = self._job
        if job is not None and not job.done():
            job.cancel()
            with contextlib.suppress(BaseException):  # cancelled or failed: we are closing
                job.result(timeout=60)

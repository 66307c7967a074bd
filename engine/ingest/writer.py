"""The single writer: one transaction per batch of photos, then the caches outside SQLite.

Every catalog change of an indexing or analysis pass goes through one :class:`Writer` thread,
so SQLite sees one writer and a batch commits whole or not at all: a crash (even ``kill -9``)
loses at most the batch in flight. Each analysis stores its own results through
:meth:`~engine.analyses.base.Analysis.store` inside that transaction, with a state row saying
which version ran (or why it failed); after the commit its hooks bring caches such as the
vector index up to date.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from pathlib import Path

from engine.analyses.base import Analysis, AnalysisFailed, Written
from engine.ingest.work import PhotoWork
from engine.records import FailedPhoto
from engine.store.catalog import Catalog

log = logging.getLogger(__name__)


class Writer:
    """The writer thread of one pass."""

    def __init__(self, catalog: Catalog, analyses: Sequence[Analysis]) -> None:
        self.catalog = catalog
        self.analyses = list(analyses)
        self.added = 0
        self.updated = 0
        self.failures: list[FailedPhoto] = []
        self.moved_ids: set[int] = set()
        self.analysis_failures: dict[str, list[FailedPhoto]] = {a.name: [] for a in analyses}
        self._queue: queue.Queue[list[PhotoWork] | threading.Event | None] = queue.Queue(8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="catalog-writer", daemon=True)
        self._thread.start()

    def submit(self, works: list[PhotoWork]) -> None:
        """Queue photos to write (blocks while 8 batches wait: the writer sets the pace)."""
        if self._error is not None:
            raise self._error
        self._queue.put(works)

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, threading.Event):
                item.set()
                continue
            if self._error is not None:
                continue
            try:
                self._write(item)
            except BaseException as exc:  # surfaced to the run on its next submit/close
                log.exception("catalog writer failed")
                self._error = exc

    def _write(self, works: list[PhotoWork]) -> None:
        removed: list[int] = []
        written: list[tuple[int, PhotoWork]] = []
        with self.catalog.transaction() as conn:
            for w in works:
                if w.vanished:
                    if w.existing is not None:
                        self.catalog.delete_photos([w.existing.id], conn)
                        removed.append(w.existing.id)
                    continue
                if w.record is not None:
                    photo_id = self._write_row(conn, w)
                    if w.error is not None:
                        removed.append(photo_id)
                        continue
                else:
                    assert w.photo_id is not None
                    photo_id = w.photo_id
                assert w.content_hash is not None
                for analysis in self.analyses:
                    if analysis.name not in w.results:
                        continue
                    result = w.results[analysis.name]
                    if isinstance(result, AnalysisFailed):
                        analysis.record_state(conn, w.content_hash, result.reason)
                        self.analysis_failures[analysis.name].append(
                            FailedPhoto(Path(w.path), result.reason))
                        continue
                    analysis.store(conn, photo_id, w.content_hash, result)
                    if analysis.keyed_by == "content":
                        analysis.record_state(conn, w.content_hash, None)
                written.append((photo_id, w))
        for analysis in self.analyses:
            if removed:
                analysis.removed(removed)
            done = [Written(pid, w.content_hash or "", w.results.get(analysis.name))
                    for pid, w in written
                    if (w.record is not None or analysis.name in w.results)
                    and not isinstance(w.results.get(analysis.name), AnalysisFailed)]
            if done:
                analysis.written(done)

    def _write_row(self, conn: object, w: PhotoWork) -> int:
        """The photo's own row (path, size, change stamp, content hash or error); a moved file
        keeps its id."""
        record = w.record
        assert record is not None
        if w.error is not None:
            self.failures.append(FailedPhoto(Path(w.path), w.error))
        if w.move_from is not None and w.error is None:
            self.catalog.move_photo(w.move_from, record.path, record.folder_id, record.size,
                                    record.mtime_ns, conn)  # type: ignore[arg-type]
            self.moved_ids.add(w.move_from)
        self.catalog.upsert_photos([record], conn)  # type: ignore[arg-type]
        photo_id = self.catalog.photo_id_for_path(record.path)
        assert photo_id is not None
        if w.existing is None and w.move_from is None:
            self.added += 1
        elif w.existing is not None:
            self.updated += 1
        return photo_id

    def delete(self, ids: list[int]) -> None:
        """Forget photos whose files are gone (after moves were matched)."""
        self.flush()
        if not ids:
            return
        with self.catalog.transaction() as conn:
            self.catalog.delete_photos(ids, conn)
        for analysis in self.analyses:
            analysis.removed(ids)

    def flush(self) -> None:
        """Wait until everything submitted so far is written."""
        barrier = threading.Event()
        self._queue.put(barrier)
        barrier.wait()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Write what is queued and stop the thread."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

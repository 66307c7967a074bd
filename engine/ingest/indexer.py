"""The indexing pass: scan folders, diff against the catalog, run the meaning-stage analyses.

    scan (os.scandir)  ->  diff (size + change stamp)  ->  decode pool: hash, reuse or decode
    once for every pending analysis  ->  pass thread: batched models  ->  single writer

* Unchanged files (same size and change stamp) are never opened.
* A new or changed file is hashed first; analyses that already ran on that content (a rename,
  a move, a duplicate, a touched file) are not run again and nothing is decoded for them. A
  moved file keeps its photo id, so it keeps its place in the vector index too.
* Which analyses run is not this module's business: it runs the meaning stage of the
  library's :class:`~engine.analyses.registry.AnalysisSet` (the CLIP vector, metadata and
  captions); background analyses run afterwards (:mod:`engine.ingest.background`).
* Per-file problems are recorded with their reason; the run goes on.
* Each batch commits in one transaction; a crash loses at most the uncommitted batch.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engine.analyses.base import Analysis
from engine.errors import Cancelled, PhotoReadError
from engine.ingest.pipeline import (
    Clock,
    PassStats,
    PhotoFailed,
    compute_batch,
    prepare_all,
    read_photo,
    run_pipeline,
)
from engine.ingest.scan import DEFAULT_EXCLUDES, ScannedFile, scan_folder
from engine.ingest.work import PhotoWork
from engine.ingest.writer import Writer
from engine.jobs import CancelToken
from engine.media import imaging
from engine.media.formats import media_kind
from engine.records import FailedPhoto, IndexProgress, IndexReport
from engine.store.catalog import Catalog, PhotoRecord, PhotoRow

if TYPE_CHECKING:
    from engine.ingest.changes import ChangeReport, PathChanges

log = logging.getLogger(__name__)

PASS_NAME = "meaning"
REPORT_EVERY_S = 0.25


class Indexer:
    """Runs indexing passes over the library's folders with the given meaning-stage analyses
    (the library builds them, bound to one model and its vector index)."""

    def __init__(self, catalog: Catalog, analyses: Sequence[Analysis], *,
                 excludes: tuple[str, ...] = DEFAULT_EXCLUDES, batch_size: int = 32,
                 decode_workers: int | None = None, clock: Clock = time.perf_counter) -> None:
        self.catalog = catalog
        self.analyses = [a for a in analyses if a.stage == "meaning"]
        self.excludes = excludes
        self.batch_size = batch_size
        self.decode_workers = decode_workers or max(2, os.cpu_count() or 2)
        self.clock = clock

    # -- the run ------------------------------------------------------------------------------

    def run(self, token: CancelToken, report: Callable[[IndexProgress], None],
            retry_failed: bool = False) -> IndexReport:
        """Bring the catalog up to date with every unpaused folder; returns what it did."""
        start = self.clock()
        report(IndexProgress("scanning", 0, 0, 0, 0, 0.0, None, pass_name=PASS_NAME))
        self._load()
        todo: list[PhotoWork] = []
        removed_rows: list[PhotoRow] = []
        scanned = unchanged = alternates = 0
        problems: list[FailedPhoto] = []
        for path_str, folder_id in self.catalog.folder_ids().items():
            paused, _online = self.catalog.folder_state(folder_id)
            if paused:
                continue
            root = Path(path_str)
            if not root.is_dir():
                # An unplugged drive or unmounted share: keep its photos, hide them.
                self.set_folder_online(root, folder_id, False)
                continue
            self.set_folder_online(root, folder_id, True)
            scan = scan_folder(root, self.excludes)
            problems.extend(scan.problems)
            alternates += len(scan.alternates)
            known = self.catalog.photos_in_folder(folder_id)
            scanned += len(scan.files)
            for f in scan.files:
                row = known.pop(f.path, None)
                if (row is not None and row.size == f.size and row.mtime_ns == f.mtime_ns
                        and (row.error is None or not retry_failed)):
                    unchanged += 1
                    continue
                todo.append(_work(f, folder_id, row))
            removed_rows.extend(known.values())
            token.check()

        # Unchanged photos may still lack a meaning result of *this* version (the model was
        # switched). Changed files are queued already and vanished ones are handled as removals
        # or moves; queueing their stale catalog rows a second time would write old sizes and
        # hashes back over the new ones, or delete the row a moved file was just given.
        queued = {w.path for w in todo}
        removed_ids = {r.id for r in removed_rows}
        todo.extend(w for w in self._missing_results()
                    if w.path not in queued and w.existing is not None
                    and w.existing.id not in removed_ids)

        writer, stats, gone = self._write_changes(todo, removed_rows, token, report, start)
        with self.catalog.transaction() as conn:
            for analysis in self.analyses:
                analysis.forget_orphans(conn)
        if alternates:
            log.info("%d RAW files and Live Photo motions are indexed once, through their twins",
                     alternates)
        failures = problems + writer.failures
        return IndexReport(
            scanned=scanned, added=writer.added, updated=writer.updated, unchanged=unchanged,
            removed=len(gone), reused=stats.reused, embedded=stats.computed,
            failed=len(failures), seconds=self.clock() - start, failures=failures,
            raw_alternates=alternates,
        )

    def run_paths(self, changes: PathChanges, token: CancelToken,
                  report: Callable[[IndexProgress], None] | None = None) -> ChangeReport:
        """Bring the catalog up to date with just these paths and moves (the watcher's entry).

        Moves keep photo ids and results; a folder path is rescanned; a path that is gone
        forgets its photos, unless its library folder is gone (then the folder goes offline).
        """
        from engine.ingest.changes import plan_changes

        start = self.clock()
        self._load()
        plan = plan_changes(self, changes)
        todo = [_work(f, folder_id, row) for f, folder_id, row in plan.todo]
        _writer, _stats, gone = self._write_changes(todo, plan.removed, token,
                                                    report or (lambda p: None), start,
                                                    changes.forgotten)
        return plan.report(todo, set(gone), self.clock() - start, changes.forgotten)

    def set_folder_online(self, root: Path, folder_id: int, online: bool) -> bool:
        """Mark a folder on- or offline; its photos leave or rejoin the results without being
        analysed again (an unplugged drive keeps its photos). Returns whether it changed."""
        _paused, was_online = self.catalog.folder_state(folder_id)
        if was_online == online:
            return False
        self.catalog.set_folder_flags(root, online=online)
        ids = [row.id for row in self.catalog.photos_in_folder(folder_id).values()]
        for analysis in self.analyses:
            if online:
                analysis.load()
                analysis.restored(ids)
            else:
                analysis.removed(ids)
        log.info("folder %s is %s; %d photos %s", root, "back online" if online else "offline",
                 len(ids), "restored" if online else "kept, hidden from results")
        return True

    def photos_removed(self, ids: list[int]) -> None:
        """Photos left the catalog outside a pass (a move overwrote them): caches follow."""
        for analysis in self.analyses:
            analysis.removed(ids)

    # -- internals ----------------------------------------------------------------------------

    def _load(self) -> None:
        for analysis in self.analyses:
            analysis.load()

    def _write_changes(self, todo: list[PhotoWork], removed_rows: list[PhotoRow],
                       token: CancelToken, report: Callable[[IndexProgress], None],
                       start: float, forgotten: list[PhotoRow] | None = None
                       ) -> tuple[Writer, PassStats, list[int]]:
        """Prepare, analyse and write ``todo``; forget the removed rows no new file took over.

        A new file with the content of a removed row, or of a ``forgotten`` one (deleted by an
        earlier pass moments ago), takes over that photo's id.
        """
        writer = Writer(self.catalog, self.analyses)
        vanished_by_hash = {r.content_hash: r for r in [*(forgotten or []), *removed_rows]
                            if r.content_hash}
        stats = PassStats(total=len(todo), clock=self.clock)
        try:
            self._process(todo, vanished_by_hash, writer, stats, report)
            writer.flush()  # the writer thread records the moves: wait for all of them
            gone = [r.id for r in removed_rows if r.id not in writer.moved_ids]
            writer.delete(gone)
            report(IndexProgress("saving", stats.done, stats.total, stats.failed, stats.reused,
                                 stats.rate(), 0.0, pass_name=PASS_NAME))
        finally:
            writer.close()
        return writer, stats, gone

    def _missing_results(self) -> list[PhotoWork]:
        """Readable photos of online, unpaused folders whose content lacks a result of the
        current version of a content-keyed meaning analysis, or that a photo-keyed one's
        current version has not read (:meth:`Analysis.photos_covered_sql`)."""
        clauses, params = [], []
        for analysis in self.analyses:
            if analysis.keyed_by == "content":
                sql, args = analysis.lacks_sql("p")
                clauses.append(sql)
                params.extend(args)
                continue
            # Keyed by photo: re-read photos its current version has not read (if it says).
            photos = analysis.photos_covered_sql()
            if photos is not None:
                clauses.append(f"p.id NOT IN ({photos[0]})")
                params.extend(photos[1])
        if not clauses:
            return []
        rows = self.catalog._query(
            "SELECT p.id, p.path, p.size, p.mtime_ns, p.content_hash, p.folder_id "
            "FROM photos p JOIN folders f ON f.id = p.folder_id "
            "WHERE p.error IS NULL AND f.online = 1 AND f.paused = 0 AND ("
            + " OR ".join(clauses) + ")", params)
        return [_work(ScannedFile(r[1], r[2], r[3]), r[5],
                      PhotoRow(r[0], r[1], r[2], r[3], r[4], None)) for r in rows]

    def _process(self, todo: list[PhotoWork], vanished_by_hash: dict[str, PhotoRow],
                 writer: Writer, stats: PassStats,
                 report: Callable[[IndexProgress], None]) -> None:
        claimed: set[int] = set()
        claim_lock = threading.Lock()

        def claim_move(content_hash: str) -> int | None:
            row = vanished_by_hash.get(content_hash)
            if row is None:
                return None
            with claim_lock:
                if row.id in claimed:
                    return None
                claimed.add(row.id)
                return row.id

        last_report = [0.0]

        def tick(work: PhotoWork | None) -> None:
            now = self.clock()
            if work is None or now - last_report[0] > REPORT_EVERY_S:
                last_report[0] = now
                report(IndexProgress("embedding", stats.done, stats.total, stats.failed,
                                     stats.reused, stats.rate(), stats.eta(),
                                     work.path if work is not None else None,
                                     pass_name=PASS_NAME))

        run_pipeline(todo, lambda w: self._prepare(w, claim_move), self.analyses, writer,
                     stats, batch_size=self.batch_size, workers=self.decode_workers,
                     isolate_failures=False, tick=tick, compute=self._compute_batch)

    def _compute_batch(self, batch: list[PhotoWork]) -> None:
        compute_batch(batch, self.analyses, isolate_failures=False)

    def _prepare(self, work: PhotoWork, claim_move: Callable[[str], int | None]) -> PhotoWork:
        """Hash the file; reuse what is known of its content, detect a move, read it once for
        the analyses that must run."""
        f = work.scanned
        assert f is not None
        path = Path(f.path)
        try:
            existing = work.existing
            digest = (existing.content_hash if existing is not None
                      and existing.size == f.size and existing.mtime_ns == f.mtime_ns
                      and existing.content_hash else imaging.content_hash(path))
            work.content_hash = digest
            if existing is None:
                work.move_from = claim_move(digest)
            work.pending = analyses_to_run(self.analyses, path, digest)
            photo = read_photo(path, digest, work.pending)
            prepare_all(work, photo, isolate_failures=False)
            work.record = PhotoRecord(path=f.path, folder_id=work.folder_id or 0, size=f.size,
                                      mtime_ns=f.mtime_ns, content_hash=digest)
        except PhotoReadError as exc:
            if not path.exists():
                work.vanished = True
            work.error = exc.user_message
        except PhotoFailed as exc:
            work.error = exc.reason
        except Cancelled:
            raise
        except Exception as exc:  # a bug or an exotic file: record it, keep going
            log.warning("unexpected error reading %s", path, exc_info=True)
            work.error = f"could not be read: {exc.__class__.__name__}: {exc}"
        if work.error is not None:
            work.prepared.clear()
            work.results.clear()
            work.record = PhotoRecord(path=f.path, folder_id=work.folder_id or 0, size=f.size,
                                      mtime_ns=f.mtime_ns, content_hash=None, error=work.error)
        return work


def _work(f: ScannedFile, folder_id: int, row: PhotoRow | None) -> PhotoWork:
    return PhotoWork(path=f.path, scanned=f, folder_id=folder_id, existing=row)


def analyses_to_run(analyses: Sequence[Analysis], path: Path, digest: str) -> list[Analysis]:
    """What a file read by a pass still needs: every analysis keyed by photo, and those keyed
    by content whose current version has not seen ``digest``; an analysis of another kind of
    file (:attr:`Analysis.media_kind`, by the path's extension) never runs on it."""
    kind = media_kind(path)
    return [a for a in analyses if a.media_kind in (None, kind) and (
        a.keyed_by == "photo" or digest not in a.has_results([digest]))]

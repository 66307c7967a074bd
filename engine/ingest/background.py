"""Background analysis passes: run each background analysis over the photos that lack its
current version, after the indexing pass has made them searchable by meaning.

One pass per analysis, one after another, each with its own progress (``IndexProgress`` with
phase "analysing" and the analysis's name and title), pause and cancel through the job's
token. Work is found in the catalog, not remembered: an analysis whose version changed, one
switched on later, or a pass cut short by ``kill -9`` simply finds its photos pending again
next time (each batch commits with its state rows, so nothing done is done twice).

Results are keyed by content hash, so each distinct content is analysed once however many
files hold it. A file that changed on disk since it was indexed is skipped (the next indexing
pass hashes it again); one that cannot be read records the reason for this analysis alone.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from engine.analyses.base import Analysis, AnalysisFailed
from engine.errors import Cancelled, EngineError, PhotoReadError
from engine.ingest.pipeline import Clock, PassStats, prepare_all, read_photo, run_pipeline
from engine.ingest.work import PhotoWork
from engine.ingest.writer import Writer
from engine.jobs import CancelToken
from engine.records import AnalysisReport, IndexProgress
from engine.store.catalog import Catalog

log = logging.getLogger(__name__)

REPORT_EVERY_S = 0.25


class BackgroundPasses:
    """Runs the background stage of an analysis set."""

    def __init__(self, catalog: Catalog, analyses: Sequence[Analysis], *, batch_size: int = 8,
                 decode_workers: int | None = None, clock: Clock = time.perf_counter) -> None:
        self.catalog = catalog
        self.analyses = [a for a in analyses if a.stage == "background"]
        self.batch_size = batch_size
        self.decode_workers = decode_workers or max(2, os.cpu_count() or 2)
        self.clock = clock

    def run(self, token: CancelToken, report: Callable[[IndexProgress], None], *,
            retry_failed: bool = False) -> list[AnalysisReport]:
        """Run every pass to completion (or until cancelled: Cancelled propagates)."""
        reports = []
        for analysis in self.analyses:
            reports.append(self.run_one(analysis, token, report, retry_failed=retry_failed))
        return reports

    def pending(self, analysis: Analysis, retry_failed: bool = False) -> list[PhotoWork]:
        """One work item per distinct content that lacks ``analysis``'s current version (in a
        readable photo of an online, unpaused folder)."""
        covered, params = analysis.covered_sql()
        condition = f"p.content_hash NOT IN ({covered})"
        if retry_failed:
            failed, failed_params = analysis.failed_sql()
            condition = (f"({condition} OR p.content_hash IN "
                         f"(SELECT content_hash FROM ({failed})))")
            params = [*params, *failed_params]
        # only files of the analysis's kind (a term of its own: the videos' partial index)
        rows = self.catalog._query(
            "SELECT p.content_hash, MIN(p.id), MIN(p.path) FROM photos p "
            "JOIN folders f ON f.id = p.folder_id WHERE p.error IS NULL AND f.online = 1 "
            f"AND f.paused = 0 AND p.content_hash IS NOT NULL AND {analysis.kind_sql('p')} "
            f"AND {condition} GROUP BY p.content_hash ORDER BY MIN(p.id)", params)
        return [PhotoWork(path=r[2], content_hash=r[0], photo_id=int(r[1]),
                          pending=[analysis]) for r in rows]

    def run_one(self, analysis: Analysis, token: CancelToken,
                report: Callable[[IndexProgress], None], *,
                retry_failed: bool = False) -> AnalysisReport:
        """Run one analysis over its pending photos."""
        start = self.clock()
        with self.catalog.transaction() as conn:
            analysis.forget_orphans(conn)
        todo = self.pending(analysis, retry_failed)
        stats = PassStats(total=len(todo), clock=self.clock)

        def progress(current: str | None) -> IndexProgress:
            return IndexProgress("analysing", stats.done, stats.total, stats.failed, 0,
                                 stats.rate(), stats.eta(), current, pass_name=analysis.name,
                                 title=analysis.title)

        report(progress(None))
        if not todo:
            return AnalysisReport(analysis.name, analysis.title, 0, 0, self.clock() - start)
        try:
            analysis.load()
        except Cancelled:
            raise
        except Exception as exc:
            # Its model (or the library that runs it) is missing or broken: say so and go on
            # with the other passes; the photos stay pending for when it can run.
            reason = (exc.user_message if isinstance(exc, EngineError) else
                      f"{analysis.title} cannot run here ({exc.__class__.__name__}: {exc}).")
            log.warning("%s cannot run: %s", analysis.name, reason, exc_info=not isinstance(
                exc, EngineError))
            return AnalysisReport(analysis.name, analysis.title, 0, 0, self.clock() - start,
                                  error=reason)
        sizes = self._row_stamps([w.photo_id for w in todo if w.photo_id is not None])
        last_report = [0.0]

        def tick(work: PhotoWork | None) -> None:
            now = self.clock()
            if work is None or now - last_report[0] > REPORT_EVERY_S:
                last_report[0] = now
                report(progress(work.path if work is not None else None))

        def prepare(work: PhotoWork) -> PhotoWork:
            return self._prepare(work, sizes.get(work.photo_id or 0))

        writer = Writer(self.catalog, [analysis])
        outcomes: list[object] = []
        try:
            round_todo = todo
            while round_todo:
                run_pipeline(round_todo, prepare, [analysis], writer, stats,
                             batch_size=self.batch_size, workers=self.decode_workers,
                             isolate_failures=True, tick=tick)
                writer.flush()
                # Photos worked through in steps (long videos) go round again from where their
                # stored step stopped; each counts once, when its last step is done.
                again = [w for w in round_todo
                         if analysis.unfinished(w.results.get(analysis.name))]
                going_on = {id(w) for w in again}
                outcomes.extend(w.results[analysis.name] for w in round_todo
                                if analysis.name in w.results and id(w) not in going_on)
                round_todo = [PhotoWork(path=w.path, content_hash=w.content_hash,
                                        photo_id=w.photo_id, pending=[analysis]) for w in again]
                stats.done -= len(round_todo)  # counted when their last step is done
                stats.computed -= len(round_todo)
        finally:
            writer.close()
        failed = sum(isinstance(r, AnalysisFailed) for r in outcomes)
        return AnalysisReport(analysis.name, analysis.title, len(outcomes) - failed, failed,
                              self.clock() - start)

    def _row_stamps(self, ids: list[int]) -> dict[int, tuple[int, int]]:
        """photo id -> (size, change stamp) as the catalog knows them."""
        out: dict[int, tuple[int, int]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.catalog._query(
                f"SELECT id, size, mtime_ns FROM photos WHERE id IN "
                f"({','.join('?' * len(chunk))})", chunk)
            out.update({int(r[0]): (int(r[1]), int(r[2])) for r in rows})
        return out

    def _prepare(self, work: PhotoWork, known: tuple[int, int] | None) -> PhotoWork:
        path = Path(work.path)
        assert work.content_hash is not None
        try:
            st = path.stat()
        except OSError:
            work.vanished = True  # the next indexing pass forgets it
            return work
        # The change stamp is the file's mtime moved on by its sidecars: a file whose own
        # mtime is past it, or whose size differs, changed since it was hashed.
        if known is None or st.st_size != known[0] or st.st_mtime_ns > known[1]:
            work.vanished = True  # not this content any more: the next indexing pass sees it
            return work
        try:
            photo = read_photo(path, work.content_hash, work.pending, work.photo_id)
        except PhotoReadError as exc:
            for analysis in work.pending:
                work.results[analysis.name] = AnalysisFailed(exc.user_message)
            return work
        prepare_all(work, photo, isolate_failures=True)
        return work

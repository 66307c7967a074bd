"""The machinery a pass shares, whichever analyses it runs: decode once, prepare on a pool,
compute in batches on the pass's thread, write through the single writer.

    work items -> decode pool (look-ahead): read the file once, at the largest size any pending
                  analysis needs; each analysis's prepare()
               -> pass thread: heavy analyses' compute() over batches
               -> writer thread: one transaction per batch (:mod:`engine.ingest.writer`)

Progress is counted per analysis (:class:`PassStats`) with an injectable clock, so a test can
drive rates and ETAs without waiting, and never asserts on the wall clock.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from engine.analyses.base import Analysis, AnalysisFailed, PhotoInput
from engine.errors import Cancelled, EngineError
from engine.ingest.work import PhotoWork
from engine.ingest.writer import Writer
from engine.media import imaging

log = logging.getLogger(__name__)

Clock = Callable[[], float]


def image_side(analyses: Sequence[Analysis]) -> int:
    """The shorter side a decode must reach for all of ``analyses`` (0: no pixels needed)."""
    return max((a.needs().image_side for a in analyses), default=0)


def read_photo(path: Path, content_hash: str, analyses: Sequence[Analysis],
               photo_id: int | None = None) -> PhotoInput:
    """Read the file once for ``analyses``: decoded pixels (and metadata) when any of them
    needs pixels, else just the metadata. Raises PhotoReadError."""
    side = image_side(analyses)
    if side:
        decoded = imaging.decode_photo(path, side)
        return PhotoInput(path, content_hash, decoded.image, decoded.metadata, photo_id)
    return PhotoInput(path, content_hash, None, imaging.read_metadata(path), photo_id)


def prepare_all(work: PhotoWork, photo: PhotoInput, *, isolate_failures: bool) -> None:
    """Run each pending analysis's ``prepare``: light results land in ``work.results``, heavy
    analyses' inputs in ``work.prepared``.

    With ``isolate_failures`` (background passes) an analysis that fails on this photo records
    its reason and the others go on; without it (the indexing pass) the failure is the file's.
    """
    for analysis in work.pending:
        try:
            prepared = analysis.prepare(photo)
        except AnalysisFailed as exc:
            if not isolate_failures:
                raise PhotoFailed(exc.reason) from exc
            work.results[analysis.name] = exc
            continue
        except (Cancelled, PhotoFailed):
            raise
        except EngineError as exc:
            if not isolate_failures:
                raise
            work.results[analysis.name] = AnalysisFailed(exc.user_message)
            continue
        except Exception as exc:  # a bug or an exotic photo: record it, keep going
            if not isolate_failures:
                raise
            log.warning("%s failed on %s", analysis.name, photo.path, exc_info=True)
            work.results[analysis.name] = AnalysisFailed(
                f"{analysis.title} failed: {exc.__class__.__name__}: {exc}")
            continue
        if analysis.heavy:
            work.prepared[analysis.name] = prepared
        else:
            work.results[analysis.name] = prepared
        photo.results[analysis.name] = work.results.get(analysis.name)


class PhotoFailed(Exception):  # noqa: N818 - carries a per-file outcome
    """A file-level failure met while preparing (the indexing pass records it on the photo)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def compute_batch(batch: Sequence[PhotoWork], analyses: Sequence[Analysis], *,
                  isolate_failures: bool) -> None:
    """Run the heavy analyses over the photos of ``batch`` that await them."""
    for analysis in analyses:
        if not analysis.heavy:
            continue
        waiting = [w for w in batch if analysis.name in w.prepared]
        step = max(1, analysis.batch_size)
        for start in range(0, len(waiting), step):
            chunk = waiting[start:start + step]
            inputs = [w.prepared.pop(analysis.name) for w in chunk]
            try:
                results = analysis.compute(inputs)
            except Exception as exc:
                if not isolate_failures:
                    raise
                log.warning("%s failed on a batch of %d", analysis.name, len(chunk),
                            exc_info=True)
                reason = f"{analysis.title} failed: {exc.__class__.__name__}: {exc}"
                results = [AnalysisFailed(reason)] * len(chunk)
            for w, result in zip(chunk, results, strict=True):
                w.results[analysis.name] = result
                w.computed = True


@dataclass
class PassStats:
    """Counts and rate of one pass; ``clock`` is injectable for tests."""

    total: int
    clock: Clock = time.perf_counter
    done: int = 0
    failed: int = 0
    reused: int = 0
    computed: int = 0
    started: float | None = None

    def begin(self) -> None:
        """The rate counts from the first file taken up, not the first one finished: the
        first batch's decode and model time belongs to it."""
        if self.started is None:
            self.started = self.clock()

    def account(self, work: PhotoWork) -> None:
        """A photo left the pass."""
        self.begin()
        self.done += 1
        if work.error is not None or any(isinstance(r, AnalysisFailed)
                                         for r in work.results.values()):
            self.failed += 1
        elif work.computed:
            self.computed += 1
        elif not work.vanished:
            self.reused += 1

    def rate(self) -> float:
        """Photos per second so far (0 in the first second, when the figure is noise)."""
        if self.started is None or self.done == 0:
            return 0.0
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed >= 1.0 else 0.0

    def eta(self) -> float | None:
        """Seconds left at the current rate (None until there is a rate)."""
        rate = self.rate()
        return (self.total - self.done) / rate if rate > 0 else None


def run_pipeline(todo: list[PhotoWork], prepare: Callable[[PhotoWork], PhotoWork],
                 analyses: Sequence[Analysis], writer: Writer, stats: PassStats, *,
                 batch_size: int, workers: int, isolate_failures: bool,
                 tick: Callable[[PhotoWork | None], None],
                 compute: Callable[[list[PhotoWork]], None] | None = None) -> None:
    """Prepare ``todo`` on ``workers`` threads (a bounded look-ahead), compute heavy analyses
    in batches of ``batch_size`` on this thread, and hand everything to ``writer`` in order of
    completion. ``tick`` is called after each photo (progress and the cancel check live
    there) and once at the end with None; ``compute`` replaces :func:`compute_batch`."""
    if not todo:
        return
    stats.begin()
    lookahead = batch_size * 3
    pending: deque[Future[PhotoWork]] = deque()
    items = iter(todo)
    batch: list[PhotoWork] = []

    def flush_batch() -> None:
        if compute is not None:
            compute(batch)
        else:
            compute_batch(batch, analyses, isolate_failures=isolate_failures)
        for w in batch:
            stats.account(w)
        writer.submit(list(batch))
        batch.clear()

    with ThreadPoolExecutor(workers, thread_name_prefix="decode") as pool:
        for work in _take(items, lookahead):
            pending.append(pool.submit(prepare, work))
        while pending:
            work = pending.popleft().result()
            for nxt in _take(items, 1):
                pending.append(pool.submit(prepare, nxt))
            if work.needs_compute:
                batch.append(work)
            else:
                stats.account(work)
                writer.submit([work])
            if len(batch) >= batch_size:
                flush_batch()
            tick(work)
        if batch:
            flush_batch()
    tick(None)


def _take(items: Iterator[PhotoWork], n: int) -> list[PhotoWork]:
    out = []
    for _ in range(n):
        try:
            out.append(next(items))
        except StopIteration:
            break
    return out

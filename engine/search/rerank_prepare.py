"""Preparing the second stage before anyone asks: the matcher's image features for the photos
most likely to be reranked, computed in the background and kept in its feature cache.

A cold rerank is almost all image tower: BLIP-base's ViT-B/16 at 384 px costs about 1.3 s a
photo on a 2-core CPU, so reranking 20 photos nobody searched before takes half a minute there,
against a second or two once their features are cached (bench/rerank_latency.py). Which
photos a search will reach cannot be known, but people search their recent photos most; so
while reranking is on, the most recent photos (by date taken) get their features prepared,
``rerank_prepare`` of them (a setting), at most half of the cache's disk budget so that the
features of what searches actually reach are not pushed out.

It is cache work, not catalog work: nothing is written to the catalog, features are keyed by
the matcher's feature id and the photo's content hash (a moved or copied photo keeps them, a
new matcher starts afresh), and each file is written atomically, so ``kill -9`` loses at most
the chunk at hand and the next run finds what is left to do by looking at the cache. The
matcher is never downloaded for it (the first rerank downloads it, with progress), and it
waits while a rerank is running, so that the person's own search gets the cores.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import Cancelled, EngineError
from engine.jobs import CancelToken
from engine.records import AnalysisReport, IndexProgress
from engine.search.second_stage import Candidate, Reranker, photo_loader
from engine.store.catalog import Catalog

log = logging.getLogger(__name__)

NAME = "rerank_features"
TITLE = "reranking features"  # the app translates pass titles (app/formatting.py)
REPORT_EVERY_S = 0.25
_IDLE_WAIT_S = 0.1


@dataclass(frozen=True)
class PreparationItem:
    """One distinct content to prepare: its hash and a file that holds it."""

    content_hash: str
    path: Path


class RerankPreparation:
    """Prepares the matcher's features for the most recent photos (see the module docstring).

    ``wanted`` gives how many photos to prepare now: 0 when reranking is off or the setting
    says none.
    """

    def __init__(self, catalog: Catalog, reranker: Reranker, wanted: Callable[[], int]) -> None:
        self.catalog = catalog
        self.reranker = reranker
        self.wanted = wanted

    def recent(self, limit: int) -> list[PreparationItem]:
        """The ``limit`` most recent distinct photos (by date taken; photos without a date
        last) of online, unpaused folders that could be read when indexed. Videos are left
        out: a rerank reads photos."""
        if limit <= 0:
            return []
        out: list[PreparationItem] = []
        seen: set[str] = set()
        # Ordered by the photos_taken index alone, read in pages: a million photos are never
        # sorted, and copies of one content are counted once.
        offset, page = 0, max(64, 2 * limit)
        while len(out) < limit:
            rows = self.catalog._query(
                "SELECT p.content_hash, p.path FROM photos p JOIN folders f ON f.id = p.folder_id "
                "WHERE p.error IS NULL AND f.online = 1 AND f.paused = 0 "
                "AND p.content_hash IS NOT NULL AND p.media_kind = 'photo' "
                "ORDER BY p.taken_at DESC LIMIT ? OFFSET ?", [page, offset])
            for content_hash, path in rows:
                if content_hash not in seen:
                    seen.add(content_hash)
                    out.append(PreparationItem(content_hash, Path(path)))
                    if len(out) == limit:
                        break
            if len(rows) < page:
                break
            offset += page
        return out

    def coverage(self) -> tuple[int, int] | None:
        """(prepared, wanted): how many of the photos the preparation wants have their features
        cached; None while it wants none. Loads no model (an int8 image tower, whose features
        are kept apart, is only known once the matcher is loaded)."""
        wanted = int(self.wanted() or 0)
        if wanted <= 0:
            return None
        stage = self.reranker.stage()
        recent = self.recent(wanted)
        feature_id = stage.matcher.feature_id
        return sum(stage.cache.has(feature_id, i.content_hash) for i in recent), len(recent)

    def run(self, token: CancelToken, report: Callable[[IndexProgress], None]
            ) -> AnalysisReport | None:
        """Prepare what is missing; None when there is nothing to do here (reranking off,
        the lean edition, or the matcher's weights not on this computer yet).

        Reports progress as a background pass (phase "analysing", :data:`TITLE`); ``token``
        pauses and cancels it between chunks (Cancelled propagates).
        """
        wanted = int(self.wanted() or 0)
        if wanted <= 0:
            return None
        from engine.models.matcher import matcher_unavailable_reason

        if matcher_unavailable_reason() is not None:  # the lean edition cannot rerank
            return None
        start = time.perf_counter()
        stage = self.reranker.stage()
        if not stage.matcher.loaded:
            # Loading can take minutes the first time (the ONNX export of the image tower):
            # say which pass is running meanwhile.
            report(IndexProgress("analysing", 0, wanted, 0, 0, 0.0, None, None, pass_name=NAME,
                                 title=TITLE))
        try:
            matcher = stage.matcher.load(download=False)
        except Cancelled:
            raise
        except EngineError as exc:
            log.info("reranking features not prepared: %s", exc.user_message)
            return None
        cache = stage.cache
        feature_id = matcher.feature_id
        recent = self.recent(wanted)
        todo = [item for item in recent if not cache.has(feature_id, item.content_hash)]
        done = failed = 0
        total = len(todo)
        last = [0.0]

        def progress(current: Path | None, force: bool = False) -> None:
            now = time.perf_counter()
            if force or now - last[0] >= REPORT_EVERY_S:
                last[0] = now
                elapsed = now - start
                rate = done / elapsed if elapsed > 0 and done else 0.0
                eta = (total - done - failed) / rate if rate else None
                report(IndexProgress("analysing", done, total, failed, 0, rate, eta,
                                     str(current) if current else None, pass_name=NAME,
                                     title=TITLE))

        progress(None, force=True)
        if not todo:
            return AnalysisReport(NAME, TITLE, 0, 0, time.perf_counter() - start)
        size = matcher.image_size
        step = max(1, matcher.encode_chunk)
        capped = False
        while done + failed < total:
            self._wait_for_reranks(token)
            # One photo first: its features' size says how many fit in the budget.
            chunk = todo[done + failed:done + failed + (step if capped else 1)]
            candidates = [Candidate(item.content_hash, photo_loader(item.path, size))
                          for item in chunk]
            features = stage.features(candidates, token)
            for item, feats in zip(chunk, features, strict=True):
                if feats is None:
                    failed += 1
                else:
                    done += 1
                progress(item.path)
            progress(chunk[-1].path, force=True)  # each chunk is seconds of work on a CPU
            nbytes = next((f.nbytes for f in features if f is not None), 0)
            if nbytes and not capped:
                # At most half the cache's disk, the most recent photos first (the other
                # half keeps what searches reach).
                capped = True
                fits = set(i.content_hash for i in recent[:cache.disk_bytes // 2 // nbytes])
                if len(fits) < len(recent):
                    log.info("reranking features prepared for the %d most recent photos, not "
                             "%d: half the feature cache's %d MB", len(fits), len(recent),
                             cache.disk_bytes >> 20)
                    left = [i for i in todo[done + failed:] if i.content_hash in fits]
                    todo = todo[:done + failed] + left
                    total = len(todo)
        progress(None, force=True)
        return AnalysisReport(NAME, TITLE, done, failed, time.perf_counter() - start)

    def _wait_for_reranks(self, token: CancelToken) -> None:
        """Hold while a person's rerank is running: it needs the cores more."""
        while self.reranker.busy:
            token.check()
            time.sleep(_IDLE_WAIT_S)
        token.check()


class PreparationRunner:
    """Runs a :class:`RerankPreparation` on its own thread when asked (after a watch's batch,
    say), one run at a time; asked while running, it runs once more when that run ends."""

    def __init__(self, preparation: RerankPreparation,
                 report: Callable[[IndexProgress], None] | None = None) -> None:
        self.preparation = preparation
        self._report = report or (lambda _p: None)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._token = CancelToken()
        self.last: AnalysisReport | None = None  # what the last finished run did

    def request(self) -> None:
        """Start a run, or ask the running one to go round once more."""
        with self._lock:
            if self._token.cancelled:
                return
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._thread = threading.Thread(target=self._loop, name="rerank-prepare",
                                            daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                self.last = self.preparation.run(self._token, self._report)
            except Cancelled:
                return
            except Exception:  # noqa: BLE001 - a failed preparation must not end the app
                log.exception("preparing reranking features failed")
            with self._lock:
                if not self._again or self._token.cancelled:
                    self._thread = None
                    return
                self._again = False

    @property
    def running(self) -> bool:
        """Whether a run is going on."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Cancel the run at hand (after its current chunk) and wait for it."""
        with self._lock:
            self._token.cancel()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

"""Scan folders, diff against the catalog, decode in a pool, embed in batches, write once.

The pipeline of one run::

    scan (os.scandir)  ->  diff (size + mtime)  ->  prepare pool: hash, reuse or decode  ->
    model thread: batched embedding  ->  single writer: one transaction per batch + vectors

* Unchanged files (same size and mtime) are never opened.
* A new or changed file is hashed first; if its content already has a vector for this model
  (a rename, a move, a duplicate, a touched file) the vector is reused and nothing is decoded.
  A moved file keeps its photo id, so it keeps its place in the vector index too.
* Per-file problems are recorded with their reason; the run goes on.
* Each batch commits in one transaction; a crash loses at most the uncommitted batch.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine import imaging
from engine.caption_sources import (
    PhotoCaption,
    change_stamp_ns,
    is_sidecar_name,
    read_photo_captions,
)
from engine.captions import store_photo_captions
from engine.catalog import Catalog, PhotoRecord, PhotoRow
from engine.encoder import ClipEncoder
from engine.errors import Cancelled, PhotoReadError
from engine.jobs import CancelToken
from engine.records import FailedPhoto, IndexProgress, IndexReport

if TYPE_CHECKING:
    from engine.changes import ChangeReport, PathChanges

log = logging.getLogger(__name__)

# Folders never worth indexing: caches, thumbnails, VCS and NAS metadata.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".*", "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "__pycache__",
    ".thumbnails", "Thumbs.db", "node_modules", ".git",
)


@dataclass(frozen=True)
class ScannedFile:
    """A photo file seen on disk."""

    path: str
    size: int
    mtime_ns: int  # its change stamp: the mtime, moved on by caption sidecars (change_stamp_ns)


@dataclass
class ScanResult:
    """What a folder holds now, and what could not be read while walking it."""

    files: list[ScannedFile] = field(default_factory=list)
    problems: list[FailedPhoto] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (RAW, its JPEG twin)


# A RAW+JPEG pair of one shot is indexed once, through the rendered file; JPEG is preferred.
_RENDERED_PREFERENCE = (".jpg", ".jpeg", ".jpe", ".heic", ".heif", ".avif", ".tif", ".tiff",
                        ".png", ".webp")


def raw_pairs(paths: Iterable[str]) -> dict[str, str]:
    """RAW files that have a rendered twin (same folder, same name stem), mapped to that twin.

    ``IMG_1234.CR2`` next to ``IMG_1234.JPG`` is one shot: the JPEG is indexed and the RAW is
    recorded as its alternate. Stems compare case-insensitively.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for p in paths:
        head, tail = os.path.split(p)
        stem, _ = os.path.splitext(tail)
        groups.setdefault((head, stem.casefold()), []).append(p)
    pairs: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        raws = [m for m in members if os.path.splitext(m)[1].lower() in imaging.RAW_EXTENSIONS]
        rendered = [m for m in members if m not in raws]
        if not raws or not rendered:
            continue

        def rank(m: str) -> tuple[int, str]:
            ext = os.path.splitext(m)[1].lower()
            order = _RENDERED_PREFERENCE.index(ext) if ext in _RENDERED_PREFERENCE else 99
            return order, m

        twin = min(rendered, key=rank)
        pairs.update((raw, twin) for raw in raws)
    return pairs


def is_excluded(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether a file or folder name matches any exclude glob."""
    return any(fnmatch.fnmatch(name, pat) for pat in patterns)


def scan_folder(root: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> ScanResult:
    """Walk ``root`` for photo files; symlink loops, unreadable folders and odd names are
    reported, never fatal."""
    result = ScanResult()
    seen_dirs: dict[tuple[int, int], Path] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:  # a symlink loop, or a folder linked from two places
                result.problems.append(FailedPhoto(
                    folder, f"link to {seen_dirs[key]}, which is scanned already: skipped"))
                continue
            seen_dirs[key] = folder
            entries = list(os.scandir(folder))
        except PermissionError:
            result.problems.append(FailedPhoto(folder, "permission denied: folder skipped"))
            continue
        except OSError as exc:
            result.problems.append(FailedPhoto(folder, f"folder could not be read: {exc}"))
            continue
        photos: list[ScannedFile] = []
        sidecars: dict[str, int] = {}  # name -> mtime_ns of files that may hold captions
        for entry in entries:
            name = entry.name
            if is_excluded(name, excludes):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    stack.append(Path(entry.path))
                    continue
                if not entry.is_file(follow_symlinks=True):
                    continue
                if not imaging.is_photo_path(Path(name)):
                    if is_sidecar_name(name):
                        sidecars[name] = entry.stat(follow_symlinks=True).st_mtime_ns
                    continue
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                result.problems.append(FailedPhoto(Path(entry.path), f"could not be read: {exc}"))
                continue
            photos.append(ScannedFile(entry.path, st.st_size, st.st_mtime_ns))
        for f in photos:
            stamp = change_stamp_ns(Path(f.path), f.mtime_ns, sidecars) if sidecars else f.mtime_ns
            result.files.append(ScannedFile(f.path, f.size, stamp))
    pairs = raw_pairs(f.path for f in result.files)
    if pairs:
        result.files = [f for f in result.files if f.path not in pairs]
        result.alternates = sorted(pairs.items())
    result.files.sort(key=lambda f: f.path)
    return result


@dataclass
class _Work:
    """One file on its way through the pipeline."""

    scanned: ScannedFile
    folder_id: int
    existing: PhotoRow | None
    content_hash: str | None = None
    record: PhotoRecord | None = None
    pixels: Any = None  # preprocessed tensor, when it must be embedded
    move_from: int | None = None  # photo id of a vanished row with the same content
    error: str | None = None
    vanished: bool = False
    embedded: bool = False
    captions: list[PhotoCaption] | None = None  # embedded and sidecar captions, once read


class VectorSink(ABC):
    """Where the writer sends vector-index changes (implemented by the library)."""

    @abstractmethod
    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors for photo ids."""

    @abstractmethod
    def remove(self, ids: list[int]) -> None:
        """Remove photo ids from the index."""


class Indexer:
    """Runs indexing passes over the library's folders."""

    def __init__(self, catalog: Catalog, encoder: ClipEncoder, sink: VectorSink, *,
                 excludes: tuple[str, ...] = DEFAULT_EXCLUDES, batch_size: int = 32,
                 decode_workers: int | None = None) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.sink = sink
        self.excludes = excludes
        self.batch_size = batch_size
        self.decode_workers = decode_workers or max(2, os.cpu_count() or 2)

    # -- the run ------------------------------------------------------------------------------

    def run(self, token: CancelToken, report: Callable[[IndexProgress], None],
            retry_failed: bool = False) -> IndexReport:
        """Bring the catalog up to date with every unpaused folder; returns what it did."""
        start = time.perf_counter()
        report(IndexProgress("scanning", 0, 0, 0, 0, 0.0, None))
        self.encoder.load()
        model_id = self.encoder.spec.model_id
        todo: list[_Work] = []
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
                todo.append(_Work(f, folder_id, row))
            removed_rows.extend(known.values())
            token.check()

        # Unchanged photos may still lack a vector of *this* model (the model was switched).
        # Changed files are queued already and vanished ones are handled as removals or moves;
        # queueing their stale catalog rows a second time would write old sizes and hashes
        # back over the new ones, or delete the row a moved file was just given.
        queued = {w.scanned.path for w in todo}
        removed_ids = {r.id for r in removed_rows}
        todo.extend(w for w in self._missing_vectors(model_id)
                    if w.scanned.path not in queued and w.existing is not None
                    and w.existing.id not in removed_ids)

        writer, stats, gone = self._write_changes(todo, removed_rows, token, report, start)
        self.catalog.drop_orphan_embeddings()
        if alternates:
            log.info("%d RAW files are indexed once, through their JPEG twins", alternates)
        failures = problems + writer.failures
        return IndexReport(
            scanned=scanned, added=writer.added, updated=writer.updated, unchanged=unchanged,
            removed=len(gone), reused=stats.reused, embedded=stats.embedded,
            failed=len(failures), seconds=time.perf_counter() - start, failures=failures,
            raw_alternates=alternates,
        )

    def run_paths(self, changes: PathChanges, token: CancelToken,
                  report: Callable[[IndexProgress], None] | None = None) -> ChangeReport:
        """Bring the catalog up to date with just these paths and moves (the watcher's entry).

        Moves keep photo ids and vectors; a folder path is rescanned; a path that is gone
        forgets its photos, unless its library folder is gone (then the folder goes offline).
        """
        from engine.changes import plan_changes

        start = time.perf_counter()
        self.encoder.load()
        plan = plan_changes(self, changes)
        todo = [_Work(f, folder_id, row) for f, folder_id, row in plan.todo]
        _writer, _stats, gone = self._write_changes(todo, plan.removed, token,
                                                    report or (lambda p: None), start,
                                                    changes.forgotten)
        return plan.report(todo, set(gone), time.perf_counter() - start, changes.forgotten)

    def set_folder_online(self, root: Path, folder_id: int, online: bool) -> bool:
        """Mark a folder on- or offline; its photos leave or rejoin the vector index without
        being re-embedded (an unplugged drive keeps its photos). Returns whether it changed."""
        _paused, was_online = self.catalog.folder_state(folder_id)
        if was_online == online:
            return False
        self.catalog.set_folder_flags(root, online=online)
        ids = [row.id for row in self.catalog.photos_in_folder(folder_id).values()]
        if online:
            self.encoder.load()
            found, vectors = self.catalog.searchable_vectors(self.encoder.spec.model_id,
                                                             self.encoder.dim, ids)
            if len(found):
                self.sink.upsert(found, vectors)
        else:
            self.sink.remove(ids)
        log.info("folder %s is %s; %d photos %s", root, "back online" if online else "offline",
                 len(ids), "restored" if online else "kept, hidden from results")
        return True

    def _write_changes(self, todo: list[_Work], removed_rows: list[PhotoRow], token: CancelToken,
                       report: Callable[[IndexProgress], None], start: float,
                       forgotten: list[PhotoRow] | None = None
                       ) -> tuple[_Writer, _Stats, list[int]]:
        """Prepare, embed and write ``todo``; forget the removed rows no new file took over.

        A new file with the content of a removed row, or of a ``forgotten`` one (deleted by an
        earlier pass moments ago), takes over that photo's id.
        """
        writer = _Writer(self.catalog, self.sink, self.encoder.spec.model_id)
        vanished_by_hash = {r.content_hash: r for r in [*(forgotten or []), *removed_rows]
                            if r.content_hash}
        stats = _Stats(total=len(todo))
        try:
            self._process(todo, vanished_by_hash, writer, stats, token, report, start)
            writer.flush()  # the writer thread records the moves: wait for all of them
            gone = [r.id for r in removed_rows if r.id not in writer.moved_ids]
            writer.delete(gone)
            report(IndexProgress("saving", stats.done, stats.total, stats.failed, stats.reused,
                                 stats.rate(), 0.0))
        finally:
            writer.close()
        return writer, stats, gone

    def _missing_vectors(self, model_id: str) -> list[_Work]:
        rows = self.catalog._query(
            "SELECT p.id, p.path, p.size, p.mtime_ns, p.content_hash, p.folder_id "
            "FROM photos p JOIN folders f ON f.id = p.folder_id "
            "LEFT JOIN embeddings e ON e.content_hash = p.content_hash AND e.model_id = ? "
            "WHERE p.error IS NULL AND e.content_hash IS NULL AND f.online = 1 AND f.paused = 0",
            (model_id,),
        )
        return [_Work(ScannedFile(r[1], r[2], r[3]), r[5], PhotoRow(r[0], r[1], r[2], r[3],
                                                                    r[4], None)) for r in rows]

    def _process(self, todo: list[_Work], vanished_by_hash: dict[str, PhotoRow],
                 writer: _Writer, stats: _Stats, token: CancelToken,
                 report: Callable[[IndexProgress], None], start: float) -> None:
        if not todo:
            return
        # The rate counts from the first file taken up, not from the first one finished: the
        # first batch's decode and embedding time belongs to it.
        stats.embed_start = time.perf_counter()
        model_id = self.encoder.spec.model_id
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

        def prepare(work: _Work) -> _Work:
            return self._prepare(work, model_id, claim_move)

        lookahead = self.batch_size * 3
        pending: deque[Future[_Work]] = deque()
        items = iter(todo)
        batch: list[_Work] = []
        last_report = 0.0
        with ThreadPoolExecutor(self.decode_workers, thread_name_prefix="decode") as pool:
            for work in _take(items, lookahead):
                pending.append(pool.submit(prepare, work))
            while pending:
                work = pending.popleft().result()
                for nxt in _take(items, 1):
                    pending.append(pool.submit(prepare, nxt))
                if work.pixels is not None:
                    batch.append(work)
                else:
                    stats.account(work)
                    writer.submit([work], None)
                if len(batch) >= self.batch_size:
                    self._embed(batch, writer, stats)
                    batch = []
                now = time.perf_counter()
                if now - last_report > 0.25:
                    last_report = now
                    report(stats.progress(work.scanned.path, start))
            if batch:
                self._embed(batch, writer, stats)
        report(stats.progress(None, start))

    def _embed(self, batch: list[_Work], writer: _Writer, stats: _Stats) -> None:
        import torch

        vectors = self.encoder.encode_pixel_batch(torch.stack([w.pixels for w in batch]))
        for w in batch:
            w.pixels = None
            w.embedded = True
            stats.account(w)
        writer.submit(batch, vectors)

    def _prepare(self, work: _Work, model_id: str,
                 claim_move: Callable[[str], int | None]) -> _Work:
        """Hash the file; reuse a vector, detect a move, or decode it for embedding."""
        f = work.scanned
        path = Path(f.path)
        try:
            digest = (work.existing.content_hash if work.existing is not None
                      and work.existing.size == f.size and work.existing.mtime_ns == f.mtime_ns
                      and work.existing.content_hash else imaging.content_hash(path))
            work.content_hash = digest
            if work.existing is None:
                work.move_from = claim_move(digest)
            has_vector = bool(self.catalog.embedded_hashes([digest], model_id))
            if has_vector:
                meta = imaging.read_metadata(path)
            else:
                decoded = imaging.decode_photo(path, self.encoder.image_size)
                meta = decoded.metadata
                work.pixels = self.encoder.preprocess(decoded.image)
            work.record = PhotoRecord(
                path=f.path, folder_id=work.folder_id, size=f.size, mtime_ns=f.mtime_ns,
                content_hash=digest, width=meta.width, height=meta.height,
                taken_at=meta.taken_at, camera_make=meta.camera_make,
                camera_model=meta.camera_model, gps_lat=meta.gps_lat, gps_lon=meta.gps_lon)
            work.captions = read_photo_captions(path)
        except PhotoReadError as exc:
            if not path.exists():
                work.vanished = True
            work.error = exc.user_message
        except Cancelled:
            raise
        except Exception as exc:  # a bug or an exotic file: record it, keep going
            log.warning("unexpected error reading %s", path, exc_info=True)
            work.error = f"could not be read: {exc.__class__.__name__}: {exc}"
        if work.error is not None:
            work.record = PhotoRecord(path=f.path, folder_id=work.folder_id, size=f.size,
                                      mtime_ns=f.mtime_ns, content_hash=None, error=work.error)
        return work


def _take(items: Iterator[_Work], n: int) -> list[_Work]:
    out = []
    for _ in range(n):
        try:
            out.append(next(items))
        except StopIteration:
            break
    return out


@dataclass
class _Stats:
    total: int
    done: int = 0
    failed: int = 0
    reused: int = 0
    embedded: int = 0
    embed_start: float | None = None

    def account(self, work: _Work) -> None:
        if self.embed_start is None:
            self.embed_start = time.perf_counter()
        self.done += 1
        if work.error is not None:
            self.failed += 1
        elif work.embedded:
            self.embedded += 1
        elif not work.vanished:
            self.reused += 1

    def rate(self) -> float:
        if self.embed_start is None or self.done == 0:
            return 0.0
        elapsed = time.perf_counter() - self.embed_start
        # Under a second the figure is noise (one batch lands at once); say nothing yet.
        return self.done / elapsed if elapsed >= 1.0 else 0.0

    def progress(self, current: str | None, start: float) -> IndexProgress:
        rate = self.rate()
        left = self.total - self.done
        eta = left / rate if rate > 0 else None
        return IndexProgress("embedding", self.done, self.total, self.failed, self.reused,
                             rate, eta, current)


class _Writer:
    """The single writer: one transaction per batch, then the vector index."""

    def __init__(self, catalog: Catalog, sink: VectorSink, model_id: str) -> None:
        self.catalog = catalog
        self.sink = sink
        self.model_id = model_id
        self.added = 0
        self.updated = 0
        self.failures: list[FailedPhoto] = []
        self.moved_ids: set[int] = set()
        self._queue: queue.Queue[tuple[list[_Work], np.ndarray | None] | threading.Event | None]
        self._queue = queue.Queue(8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="catalog-writer", daemon=True)
        self._thread.start()

    def submit(self, works: list[_Work], vectors: np.ndarray | None) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((works, vectors))

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
                self._write(*item)
            except BaseException as exc:  # surfaced to the run on its next submit/close
                log.exception("catalog writer failed")
                self._error = exc

    def _write(self, works: list[_Work], vectors: np.ndarray | None) -> None:
        upserts: list[tuple[int, np.ndarray | None, str]] = []
        removed: list[int] = []
        with self.catalog.transaction() as conn:
            for i, w in enumerate(works):
                if w.vanished:
                    if w.existing is not None:
                        self.catalog.delete_photos([w.existing.id], conn)
                        removed.append(w.existing.id)
                    continue
                assert w.record is not None
                if w.error is not None:
                    self.failures.append(FailedPhoto(Path(w.scanned.path), w.error))
                if w.move_from is not None and w.error is None:
                    self.catalog.move_photo(w.move_from, w.record.path, w.record.folder_id,
                                            w.record.size, w.record.mtime_ns, conn)
                    self.moved_ids.add(w.move_from)
                self.catalog.upsert_photos([w.record], conn)
                photo_id = self.catalog.photo_id_for_path(w.record.path)
                assert photo_id is not None
                if w.existing is None and w.move_from is None:
                    self.added += 1
                elif w.existing is not None:
                    self.updated += 1
                if w.error is not None:
                    removed.append(photo_id)
                    continue
                if w.captions is not None:
                    store_photo_captions(conn, photo_id, w.captions)
                vec = vectors[i] if vectors is not None else None
                if vec is not None and w.content_hash:
                    self.catalog.put_embeddings([(w.content_hash, vec)], self.model_id, conn)
                upserts.append((photo_id, vec, w.content_hash or ""))
        if removed:
            self.sink.remove(removed)
        if upserts:
            missing = [pid for pid, vec, _ in upserts if vec is None]
            known = {pid: vec for pid, vec, _ in upserts if vec is not None}
            if missing:
                ids = np.asarray(missing, np.int64)
                vecs = self.catalog.vectors_for_ids(ids, self.model_id, 0)
                known.update(zip(missing, vecs, strict=True))
            ids = np.asarray(list(known), np.int64)
            self.sink.upsert(ids, np.stack([known[int(i)] for i in ids]))

    def delete(self, ids: list[int]) -> None:
        """Forget photos whose files are gone (after moves were matched)."""
        self.flush()
        if not ids:
            return
        with self.catalog.transaction() as conn:
            self.catalog.delete_photos(ids, conn)
        self.sink.remove(ids)

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

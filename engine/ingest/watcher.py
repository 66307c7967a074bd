"""Keep the library current while its folders change: watchdog -> debounce -> the indexer.

Why one module past 500 lines: the event coalescing, the settle rules and the folder polling
share one thread's state (pending paths, moves in order, recently forgotten photos); the
planning of what a batch means lives apart in :mod:`engine.ingest.changes`.

One :class:`Watch` per library (``Library.watch()``) holds the library's writer lock for as long
as it runs. Its thread

1. schedules a watchdog observer on every unpaused library folder that is on disk, so nothing
   that happens from now on is missed;
2. reconciles in the background: a full indexing pass (size + mtime, then content hash where
   they differ) catches what changed while nothing watched; searches go on meanwhile;
3. then turns events into indexer work. Events are coalesced per path. A file is read only once
   it is complete: after a close-after-write (inotify's IN_CLOSE_WRITE) and a short quiet time,
   or after a longer settle time without events, and in both cases only when two looks at its
   size and mtime agree. Moves and renames are applied in order, keeping photo ids and vectors;
   deletions leave results at once;
4. polls the folders' presence every second: a folder that vanishes (an unplugged drive) goes
   offline (photos kept, hidden from results); one that comes back is rescanned and its photos
   return without re-embedding; folders added, removed, paused or resumed are picked up.

The vector index is saved now and then and when the watch stops; a crash loses nothing that
was committed (the catalog is the truth, the index is reconciled with it on open).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import Cancelled
from engine.ingest.changes import ChangeReport, PathChanges
from engine.jobs import CancelToken
from engine.media import imaging
from engine.media.caption_sources import is_sidecar_name
from engine.records import IndexProgress

if TYPE_CHECKING:
    from engine.ingest.background import BackgroundPasses
    from engine.ingest.indexer import Indexer
    from engine.store.catalog import Catalog, PhotoRow

log = logging.getLogger(__name__)

QUIET_S = 0.2
"""Quiet time after a file was closed for writing or renamed into place."""
SETTLE_S = 1.0
"""Quiet time after other events: a write still going on, a copy without close events, a
deletion (which also joins an earlier batch holding created files, see ``_take_ready``)."""
STABLE_GAP_S = 0.1
"""Two looks at a file's size and mtime this far apart must agree before it is read."""
POLL_S = 1.0
"""How often the folders' presence (unplugged drives, added folders) is checked."""
FORGOTTEN_S = 10.0
"""How long a forgotten photo can still be taken over by a new file with its content."""
SAVE_EVERY_S = 60.0
"""How often a changed vector index is written while watching (it is a cache: see above)."""


@dataclass(frozen=True)
class WatchEvent:
    """Something the watch did, for a status line or a log.

    ``kind`` is one of ``watching`` (a folder is being watched), ``reconciling``,
    ``reconciled`` (``detail`` summarises the catch-up pass), ``indexed`` (a new or changed
    photo is searchable), ``moved`` (``detail`` is the new path), ``removed``, ``failed``
    (``detail`` is the reason), ``alternate`` (a RAW indexed through its JPEG twin, the
    ``detail``), ``offline``, ``online``, ``error`` (a problem the watch survived) and
    ``stopped``.
    """

    kind: str
    path: Path | None = None
    detail: str = ""


@dataclass
class _Pending:
    last: float  # time of the last event
    closed: bool = False  # closed after writing (or renamed into place) since it last changed
    look: tuple[int, int] | None = None  # (size, mtime_ns) at the last look since that event
    looked: float = 0.0
    created: bool = False  # appeared (created, or moved in from outside the watch)
    deleted: bool = False  # the last event was a deletion (or a move out of the watch)
    ready_since: float | None = None  # first found ready (batches with creations may wait)


@dataclass
class _Counts:
    indexed: int = 0
    embedded: int = 0
    moved: int = 0
    removed: int = 0
    failed: int = 0
    batches: int = 0
    errors: int = 0
    last_errors: list[str] = field(default_factory=list)


class _OverflowListener(logging.Handler):
    """watchdog logs, and otherwise drops, the events lost when the kernel's inotify queue
    overflows; every running watch then rescans its folders."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.watches: weakref.WeakSet[Watch] = weakref.WeakSet()

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            for watch in list(self.watches):
                watch._overflowed = True


_overflow = _OverflowListener()
logging.getLogger("watchdog.observers.inotify_c").addHandler(_overflow)
logging.getLogger("watchdog.observers.inotify").addHandler(_overflow)


class _Handler:
    """Receives watchdog events on the observer's thread and queues the relevant ones."""

    def __init__(self, events: queue.SimpleQueue[tuple[float, str, str, str, bool]]) -> None:
        self.events = events

    def dispatch(self, event: Any) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        is_dir = bool(event.is_directory)
        if is_dir and kind in ("modified", "attrib", "closed"):
            return  # a folder's own timestamps change with every file in it
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if kind == "moved" else ""
        if not is_dir and not any(imaging.is_photo_path(Path(p)) or is_sidecar_name(p)
                                  for p in (src, dest) if p):
            return  # neither a photo nor a file that holds captions for one
        self.events.put((time.monotonic(), kind, src, dest, is_dir))


class Watch:
    """A running watch over a library's folders; stop it with :meth:`stop`.

    Built by ``Library.watch()``; the arguments are the library's internals: its catalog, a
    factory of indexers (loads the model on first use), the function that saves the vector
    index, the lock that serialises writers within the process and a callback run once the
    watch has stopped (releases the writer lock).
    """

    def __init__(self, catalog: Catalog, make_indexer: Callable[[], Indexer],
                 save_index: Callable[[], None], write_mutex: threading.Lock,
                 on_stopped: Callable[[], None],
                 on_event: Callable[[WatchEvent], None] | None = None, *,
                 quiet_s: float = QUIET_S, settle_s: float = SETTLE_S,
                 poll_s: float = POLL_S, save_every_s: float = SAVE_EVERY_S,
                 make_background: Callable[[], BackgroundPasses] | None = None) -> None:
        self.catalog = catalog
        self._make_indexer = make_indexer
        self._make_background = make_background
        self._save_index = save_index
        self._write_mutex = write_mutex
        self._on_stopped = on_stopped
        self._on_event = on_event
        self.quiet_s, self.settle_s, self.poll_s = quiet_s, settle_s, poll_s
        self.save_every_s = save_every_s
        self._events: queue.SimpleQueue[tuple[float, str, str, str, bool]] = (
            queue.SimpleQueue())
        self._handler = _Handler(self._events)
        self._pending: dict[str, _Pending] = {}
        self._moves: list[tuple[str, str]] = []
        self._last_move = 0.0
        self._force: set[str] = set()  # paths to look at in the next batch, no waiting
        self._forgotten: dict[int, tuple[PhotoRow, float]] = {}  # recently deleted photos
        self._observer: Any = None
        self._polling: Any = None  # fallback observer where inotify runs out of watches
        self._watches: dict[str, tuple[Any, tuple[int, int]]] = {}  # root -> (watch, inode)
        self._token = CancelToken()
        self._stop = threading.Event()
        self._reconciled = threading.Event()
        self._stopped = threading.Event()
        self._busy = False
        self._idle_since: float | None = None
        self._idle_cond = threading.Condition()
        self._dirty_since: float | None = None
        self._error: BaseException | None = None
        self._overflowed = False
        self.counts = _Counts()
        self.progress: IndexProgress | None = None
        self._thread = threading.Thread(target=self._run, name="photo-watch", daemon=True)

    # -- public -------------------------------------------------------------------------------

    def start(self) -> Watch:
        """Start watching (returns at once; the catch-up pass runs in the background)."""
        from watchdog.observers import Observer

        self._observer = Observer()
        _overflow.watches.add(self)
        self._sync_folders(initial=True)
        self._observer.start()
        self._thread.start()
        return self

    def stop(self, timeout: float | None = 60.0) -> None:
        """Stop watching: finish the batch at hand, save the index, release the library."""
        self._stop.set()
        self._token.cancel()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the watch is still going."""
        return not self._stopped.is_set()

    @property
    def reconciled(self) -> bool:
        """Whether the catch-up pass at start has finished."""
        return self._reconciled.is_set()

    @property
    def error(self) -> BaseException | None:
        """What stopped the watch, if it stopped on an error."""
        return self._error

    def wait_reconciled(self, timeout: float | None = None) -> bool:
        """Wait for the catch-up pass; returns whether it finished in time."""
        return self._reconciled.wait(timeout)

    def wait_idle(self, timeout: float = 60.0, quiet: float = 0.5) -> bool:
        """Wait until everything seen so far is indexed and nothing new came for ``quiet``
        seconds (events take a moment to arrive); returns False on timeout or stop."""
        called = time.monotonic()
        deadline = called + timeout
        with self._idle_cond:
            while True:
                now = time.monotonic()
                if self._stopped.is_set():
                    return False
                since = None if self._idle_since is None else max(self._idle_since, called)
                if since is not None and now - since >= quiet:
                    return True
                if now >= deadline:
                    return False
                wait = quiet if since is None else quiet - (now - since)
                self._idle_cond.wait(max(0.01, min(wait, deadline - now)))

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._reconcile()
            next_poll = time.monotonic() + self.poll_s
            while not self._stop.is_set():
                self._drain(timeout=0.05)
                now = time.monotonic()
                if now >= next_poll:
                    self._sync_folders(initial=False)
                    next_poll = now + self.poll_s
                if self._overflowed:  # events were lost: look at everything again
                    self._overflowed = False
                    self._force.update(self._watches)
                    self._emit("error", None, "too many file events at once; rescanning")
                changes = self._take_ready(now)
                if changes:
                    self._apply(changes)
                self._update_idle()
                if (self._dirty_since is not None
                        and time.monotonic() - self._dirty_since > self.save_every_s):
                    self._checkpoint()
        except Cancelled:
            pass
        except BaseException as exc:  # reported to the caller; the library stays consistent
            log.exception("the watch stopped on an error")
            self._error = exc
            self._emit("error", None, f"{type(exc).__name__}: {exc}")
        finally:
            self._shutdown()

    def _reconcile(self) -> None:
        self._emit("reconciling", None, "")
        with self._write_mutex:
            indexer = self._make_indexer()
            report = indexer.run(self._token, self._progress)
        if report.embedded or report.removed or report.added or report.updated:
            self._dirty_since = time.monotonic()
        self._reconciled.set()
        self._analyse()
        self._emit("reconciled", None,
                   f"{report.scanned} photos: {report.embedded} embedded, {report.reused} "
                   f"reused, {report.unchanged} unchanged, {report.removed} removed, "
                   f"{report.failed} failed in {report.seconds:.1f} s")
        for failure in report.failures:
            self._emit("failed", failure.path, failure.reason)

    def _progress(self, progress: IndexProgress) -> None:
        self.progress = progress
        self._token.check()

    def _shutdown(self) -> None:
        for observer in (self._observer, self._polling):
            if observer is not None:
                try:
                    observer.stop()
                    observer.join(10)
                except Exception:  # noqa: BLE001 - stopping must go on
                    log.warning("could not stop the file observer", exc_info=True)
        try:
            self._checkpoint(final=True)
        except Exception:  # noqa: BLE001
            log.warning("could not save the vector index at the end of the watch", exc_info=True)
        finally:
            self._stopped.set()
            with self._idle_cond:
                self._idle_cond.notify_all()
            try:
                self._on_stopped()
            finally:
                self._emit("stopped", None, "")

    def _checkpoint(self, final: bool = False) -> None:
        """Save the vector index; at the end, also drop vectors no photo uses any more (not
        before: a deleted photo's vector lets a copy or move of it, seen later, skip the
        model)."""
        if self._dirty_since is None:
            return
        with self._write_mutex:
            if final:
                self.catalog.drop_orphan_embeddings()
            self._save_index()
        self._dirty_since = None

    # -- events -------------------------------------------------------------------------------

    def _drain(self, timeout: float) -> None:
        try:
            item = self._events.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            self._note(*item)
            try:
                item = self._events.get_nowait()
            except queue.Empty:
                return

    def _note(self, when: float, kind: str, src: str, dest: str, is_dir: bool) -> None:
        if kind == "moved":
            self._moves.append((src, dest))
            self._last_move = when
            self._pending.pop(src, None)
            if is_dir:
                prefix = src + os.sep
                for path in [p for p in self._pending if p.startswith(prefix)]:
                    entry = self._pending.pop(path)
                    self._pending[dest + path[len(src):]] = entry
            entry = self._pending.setdefault(dest, _Pending(when))
            entry.last, entry.closed, entry.look = when, True, None
            return
        entry = self._pending.setdefault(src, _Pending(when))
        entry.last = max(entry.last, when)
        entry.look = None  # look again: two agreeing looks after this event
        if kind == "closed":
            entry.closed = True
        elif kind in ("created", "modified", "deleted"):
            entry.closed = False
            entry.created = entry.created or kind == "created"
        entry.deleted = kind == "deleted"

    def _take_ready(self, now: float) -> PathChanges:
        ready: set[str] = set(self._force)
        self._force.clear()
        for path, entry in self._pending.items():
            wait = self.quiet_s if entry.closed else self.settle_s
            if now - entry.last < wait or now - entry.looked < STABLE_GAP_S:
                continue
            try:
                st = os.stat(path)
            except OSError:
                # Gone. Wait the settle time: a move's rename event may still be on its way
                # (watchdog pairs them for up to half a second), and a move across library
                # folders arrives as a deletion plus a creation, which should share a batch.
                if now - entry.last >= self.settle_s:
                    ready.add(path)
                continue
            if os.path.isdir(path):
                ready.add(path)
                continue
            look = (st.st_size, st.st_mtime_ns)
            if entry.look == look:
                ready.add(path)
            else:
                entry.look, entry.looked = look, now
        created = [self._pending[p] for p in ready if p in self._pending
                   and self._pending[p].created]
        if created:
            # A move between library folders (or into a folder not watched yet) arrives as a
            # deletion plus a creation, and the indexer keeps the photo's id only when both
            # are in one batch. So a batch with created files waits (up to the settle time)
            # for other files still arriving, and takes every deletion seen so far (not paths
            # merely missing: those may have moved on, their rename event still on its way).
            for entry in created:
                entry.ready_since = entry.ready_since or now
            arriving = any(e.created and p not in ready for p, e in self._pending.items())
            if arriving and now - min(e.ready_since or now for e in created) < self.settle_s:
                self._force |= ready - set(self._pending)
                return PathChanges()
            ready.update([p for p, e in self._pending.items()
                          if e.deleted and p not in ready and not os.path.lexists(p)])
        moves: list[tuple[str, str]] = []
        if self._moves and (ready or now - self._last_move >= self.quiet_s):
            moves, self._moves = self._moves, []
        for path in ready:
            self._pending.pop(path, None)
        return PathChanges(moves=moves, paths=ready)

    def _update_idle(self) -> None:
        idle = (self._reconciled.is_set() and not self._pending and not self._moves
                and not self._force and self._events.empty())
        with self._idle_cond:
            if idle and self._idle_since is None:
                self._idle_since = time.monotonic()
                self._idle_cond.notify_all()
            elif not idle:
                self._idle_since = None

    def _apply(self, changes: PathChanges) -> None:
        now = time.monotonic()
        for photo_id in [i for i, (_, t) in self._forgotten.items() if now - t > FORGOTTEN_S]:
            del self._forgotten[photo_id]
        changes.forgotten = [row for row, _ in self._forgotten.values()]
        try:
            with self._write_mutex:
                report = self._make_indexer().run_paths(changes, self._token)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad batch must not end the watch
            log.exception("could not apply %d changes", len(changes.paths) + len(changes.moves))
            self.counts.errors += 1
            self.counts.last_errors = (self.counts.last_errors + [repr(exc)])[-5:]
            self._emit("error", None, f"{type(exc).__name__}: {exc}")
            return
        self._record(report)
        if report.indexed or report.moved:
            self._analyse()

    def _analyse(self) -> None:
        """Run the background analyses over photos that lack them (new ones, mostly); a
        failure is reported and the watch goes on."""
        if self._make_background is None:
            return
        try:
            with self._write_mutex:
                passes = self._make_background()
                if passes.analyses:
                    passes.run(self._token, self._progress)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing analysis must not end the watch
            log.exception("background analyses failed")
            self._emit("error", None, f"{type(exc).__name__}: {exc}")

    def _record(self, report: ChangeReport) -> None:
        c = self.counts
        c.batches += 1
        c.indexed += len(report.indexed)
        c.embedded += report.embedded
        c.moved += len(report.moved)
        c.removed += len(report.removed)
        c.failed += len(report.failed)
        if not report.empty:
            self._dirty_since = self._dirty_since or time.monotonic()
        now = time.monotonic()
        for path in report.recheck:
            self._pending.setdefault(path, _Pending(now))
        for photo_id in report.revived:
            self._forgotten.pop(photo_id, None)
        self._forgotten.update((row.id, (row, now)) for row in report.forgotten)
        for folder in report.offline:
            self._emit("offline", folder, "photos kept, hidden from results until it returns")
        for folder in report.online:
            self._emit("online", folder, "photos restored")
        for old, new in report.moved:
            self._emit("moved", Path(old), new)
        for path in report.removed:
            self._emit("removed", Path(path), "")
        for path in report.indexed:
            self._emit("indexed", Path(path), "")
        for raw, twin in report.alternates:
            self._emit("alternate", Path(raw), twin)
        for failure in report.failed:
            self._emit("failed", failure.path, failure.reason)

    def _emit(self, kind: str, path: Path | None, detail: str) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(WatchEvent(kind, path, detail))
        except Exception:  # noqa: BLE001 - a listener's bug must not end the watch
            log.exception("watch event listener failed")

    # -- folders ------------------------------------------------------------------------------

    def _sync_folders(self, *, initial: bool) -> None:
        """Watch exactly the unpaused folders that are on disk; notice vanished/returned ones."""
        folders = self.catalog.folder_ids()
        for root in [r for r in self._watches if r not in folders]:
            self._unschedule(root)  # removed from the library
        for root, folder_id in folders.items():
            paused, online = self.catalog.folder_state(folder_id)
            try:
                st = os.stat(root)
                inode = (st.st_dev, st.st_ino) if os.path.isdir(root) else None
            except OSError:
                inode = None
            current = self._watches.get(root)
            if paused or inode is None:
                if current is not None:
                    self._unschedule(root)
                if not paused and inode is None and online and not initial:
                    self._force.add(root)  # unplugged: the indexer marks it offline
                continue
            if current is not None and current[1] == inode:
                continue
            if current is not None:
                self._unschedule(root)  # replaced by another folder of the same name
            if self._schedule(root, inode) and not initial:
                self._force.add(root)  # added, resumed or back: rescan it

    def _schedule(self, root: str, inode: tuple[int, int]) -> bool:
        try:
            watch = self._observer.schedule(self._handler, root, recursive=True)
        except OSError as exc:
            # Most often the inotify watch limit; fall back to polling this folder.
            log.warning("cannot watch %s with native events (%s); polling it instead", root, exc)
            self._emit("error", Path(root), f"native file events unavailable ({exc}); polling")
            try:
                if self._polling is None:
                    from watchdog.observers.polling import PollingObserver

                    self._polling = PollingObserver(timeout=2.0)
                    self._polling.start()
                watch = self._polling.schedule(self._handler, root, recursive=True)
            except OSError as exc2:
                self._emit("error", Path(root), f"cannot watch this folder: {exc2}")
                return False
        self._watches[root] = (watch, inode)
        self._emit("watching", Path(root), "")
        return True

    def _unschedule(self, root: str) -> None:
        watch, _ = self._watches.pop(root)
        for observer in (self._observer, self._polling):
            if observer is None:
                continue
            with contextlib.suppress(KeyError, OSError, ValueError):
                observer.unschedule(watch)

"""The approximate-nearest-neighbour index over one model's photo vectors (hnswlib HNSW).

Why one module of 700 lines: the cache's file format checks, its persistence and its graph
upkeep all guard one invariant (the file either matches its sidecar or is ignored); split, each
part would have to re-learn the others' assumptions.

The catalog (SQLite) is the source of truth for embeddings; the index file is a rebuildable cache
of them. Labels in the index are photo ids; vectors are L2-normalised float32 and scores are
cosine similarities (higher is better).

Persistence: :meth:`VectorIndex.save` writes the hnswlib file and a small JSON sidecar
(``<path>.json``), each atomically (temp file in the same folder, fsync, ``os.replace``, fsync of
the folder). The sidecar records the dimension, counts, graph parameters, the labels that are
marked deleted (hnswlib cannot list them cheaply) and the size and CRC-32 of the index file. An
index file that does not match its sidecar (a crash between the two renames, or damage) is
treated as unusable; one with no sidecar is loaded and its deleted labels are probed.
:meth:`VectorIndex.open` never raises for a bad cache file: a missing, truncated, corrupt or
wrong-dimension file gives an empty index (and a warning), which :meth:`VectorIndex.reconcile`
then refills from the catalog.

Thread-safety: searches may run at the same time as one writer (``add``, ``remove``,
``rebuild``, ``reconcile``, ``save``). Every call into hnswlib holds one lock; long writes work in
chunks and rebuilds build the new graph outside the lock, so searches keep being answered while
the index grows. Writers are serialised among themselves by a second lock.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import hnswlib
import numpy as np
import numpy.typing as npt

from engine.store.ann_common import (
    REBUILD_CHURN_FRACTION,
    RECONCILE_REBUILD_FRACTION,
    IdArray,
    ReconcileReport,
    ScoreArray,
    exact_search,
    reconcile_labels,
    replay,
)
from engine.store.ann_common import as_ids as _as_ids
from engine.store.ann_common import atomic_write_bytes as _atomic_write_bytes
from engine.store.ann_common import checked as _checked
from engine.store.ann_common import empty_result as _empty_result
from engine.store.ann_common import file_crc32 as _file_crc32
from engine.store.ann_common import fsync_and_checksum as _fsync_and_checksum
from engine.store.ann_common import fsync_dir as _fsync_dir
from engine.store.ann_common import last_occurrence as _last_occurrence
from engine.store.ann_common import remove_stale_temps as _remove_stale_temps
from engine.store.ann_common import temp_path as _temp_path

__all__ = [
    "DEFAULT_PARAMS", "REBUILD_CHURN_FRACTION", "RECONCILE_REBUILD_FRACTION", "IndexParams",
    "ReconcileReport", "VectorIndex", "exact_search",
]

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
"""Version of the sidecar format; a sidecar from a newer version makes the cache unusable."""

_INITIAL_CAPACITY = 1024
# Vectors written per lock hold, so that searches interleave with a long add. A new vector in a
# fresh slot costs about 0.5 ms (512-d, M=32, 2 cores); replacing a vector in place or reusing a
# deleted slot makes hnswlib repair the neighbours' links (updatePoint), 8 to 50 times as much.
_INSERT_CHUNK = 256
_UPDATE_CHUNK = 16

# hnswlib's file header (hnswalg.h, saveIndex): offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData (size_t), maxlevel (int), enterpoint (uint32),
# maxM, maxM0, M (size_t), mult (double), ef_construction (size_t).
_HEADER = struct.Struct("<QQQQQQiIQQQdQ")
_LABEL_BYTES = 8
_LINK_BYTES = 4
_NO_ENTRY_POINT = 0xFFFFFFFF

@dataclass(frozen=True)
class IndexParams:
    """HNSW graph parameters.

    ``M`` (links per node) and ``ef_construction`` fix the graph when it is built; ``ef_search``
    is the default breadth of a search (raised to ``2 * k`` for large ``k``). The defaults were
    chosen with ``bench/ann_recall.py``: at 100k clustered 512-d vectors they give recall@10 of
    0.997 at a median 0.9 ms per query on two cores, where M=16 or ef_search=128 stay below 0.99
    (0.975 to 0.990 after 10% churn, hence :data:`REBUILD_CHURN_FRACTION`).
    """

    M: int = 32  # upper-case: the name every HNSW paper and library uses
    ef_construction: int = 200
    ef_search: int = 256

    def __post_init__(self) -> None:
        if self.M < 2 or self.ef_construction < 1 or self.ef_search < 1:
            raise ValueError(f"invalid HNSW parameters: {self}")


DEFAULT_PARAMS = IndexParams()


# Recall falls as a graph grows: measured at a million clustered 512-d vectors after 10% churn
# (bench/scale.py, M=32), recall@10 was 0.925 / 0.961 / 0.980 at ef 256 / 512 / 1024 for a
# median 1.1 / 1.9 / 2.8 ms per query, and at 100k ef 256 already gives 0.985. So the default
# breadth doubles past 200k photos and doubles again past 500k (at most ~3 ms at 1M).
_BREADTH_STEPS = ((200_000, 1), (500_000, 2))


def _breadth_factor(live: int) -> int:
    """How many times ``ef_search`` a search of an index of ``live`` vectors uses."""
    for limit, factor in _BREADTH_STEPS:
        if live <= limit:
            return factor
    return 4


class _UnusableCache(Exception):
    """The index file cannot be used; the index starts empty instead."""


class VectorIndex:
    """HNSW (hnswlib, space='cosine') over one model's vectors; labels are photo ids.

    Create one with :meth:`open`; the constructor gives an empty index bound to ``path``.
    """

    def __init__(self, path: Path, dim: int, params: IndexParams = DEFAULT_PARAMS) -> None:
        """Make an empty index that :meth:`save` will write to ``path``."""
        if dim < 1:
            raise ValueError(f"dim must be positive, got {dim}")
        self._path = Path(path)
        self._dim = dim
        self.params = params
        self._threads = os.cpu_count() or 1
        self._lock = threading.Lock()  # guards every call into hnswlib and the label sets
        self._write_lock = threading.RLock()  # serialises writers among themselves
        self._live: set[int] = set()
        self._deleted: set[int] = set()  # (from older files: may hold reused slots' labels)
        self._replaced = 0  # deleted slots given to new labels (by older versions)
        # writes made while a background rebuild runs, replayed on the new graph: (ids,
        # vectors) for an add, (ids, None) for a removal; None when no rebuild runs
        self._pending: list[tuple[IdArray, npt.NDArray[np.float32] | None]] | None = None
        self._index = self._new_hnsw(_INITIAL_CAPACITY)

    # ----------------------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path, dim: int, params: IndexParams = DEFAULT_PARAMS) -> VectorIndex:
        """Load the index at ``path``, or give an empty one if it is missing or unusable.

        A truncated or corrupt file, or one made for another dimension, is logged as a warning
        and ignored (the caller rebuilds it from the catalog); this never raises for a bad file.
        """
        index = cls(path, dim, params)
        path = index._path
        if not path.exists():
            logger.info("No vector index at %s; starting empty", path)
            return index
        try:
            index._load()
        except (_UnusableCache, OSError, RuntimeError, ValueError, MemoryError) as exc:
            logger.warning("Ignoring unusable vector index %s (%s); starting empty", path, exc)
            index._index = index._new_hnsw(_INITIAL_CAPACITY)
            index._live, index._deleted, index._replaced = set(), set(), 0
        return index

    def _load(self) -> None:
        path = self._path
        file_size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(_HEADER.size)
        count, max_elements, graph_m = self._check_header(header, file_size)
        meta = self._read_sidecar()
        deleted = None if meta is None else self._sidecar_deleted(meta, file_size, count)
        capacity = max(count, min(max_elements, 2 * count + _INITIAL_CAPACITY), _INITIAL_CAPACITY)
        hnsw = hnswlib.Index(space="cosine", dim=self._dim)
        hnsw.load_index(str(path), max_elements=capacity, allow_replace_deleted=True)
        labels = {int(label) for label in hnsw.get_ids_list()}
        if len(labels) != count:
            raise _UnusableCache(f"{len(labels)} labels for {count} elements")
        if deleted is None:
            logger.warning("No usable sidecar for vector index %s; probing its labels", path)
            deleted = _probe_deleted(hnsw, labels)
        elif not deleted <= labels:
            raise _UnusableCache("sidecar lists deleted labels the index does not hold")
        hnsw.set_num_threads(self._threads)
        self._index = hnsw
        self._live = labels - deleted
        self._deleted = deleted
        self._replaced = _non_negative_int(meta.get("replaced")) if meta else 0
        if count and graph_m != self.params.M:
            logger.info("Vector index %s was built with M=%d, not %d", path, graph_m, self.params.M)
        logger.info(
            "Loaded vector index %s: %d live, %d deleted", path, len(self._live), len(deleted)
        )

    def _check_header(self, header: bytes, file_size: int) -> tuple[int, int, int]:
        """Validate hnswlib's header before hnswlib allocates anything from it."""
        if len(header) < _HEADER.size:
            raise _UnusableCache("file too short")
        (
            offset_level0,
            max_elements,
            count,
            size_per_element,
            label_offset,
            offset_data,
            max_level,
            entry_point,
            max_m,
            max_m0,
            graph_m,
            _mult,
            _ef_construction,
        ) = _HEADER.unpack(header)
        data_bytes = label_offset - offset_data
        if data_bytes != 4 * self._dim:
            raise _UnusableCache(f"vectors of dimension {data_bytes / 4:g}, expected {self._dim}")
        valid = (
            offset_level0 == 0
            and 2 <= graph_m <= 4096
            and max_m == graph_m
            and max_m0 == 2 * graph_m
            and offset_data == max_m0 * _LINK_BYTES + 4
            and size_per_element == label_offset + _LABEL_BYTES
            and count <= max_elements
            and _HEADER.size + count * (size_per_element + 4) <= file_size
            and (
                (count == 0 and entry_point == _NO_ENTRY_POINT)
                or (count > 0 and 0 <= max_level < 256 and entry_point < count)
            )
        )
        if not valid:
            raise _UnusableCache("not an hnswlib index or truncated")
        return count, max_elements, graph_m

    def _read_sidecar(self) -> dict[str, Any] | None:
        """The sidecar's content; None when it is missing or unreadable (labels are probed)."""
        try:
            meta = json.loads(self.sidecar_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.warning("Unreadable vector index sidecar %s: %s", self.sidecar_path, exc)
            return None
        if not isinstance(meta, dict) or not isinstance(meta.get("format"), int):
            logger.warning("Malformed vector index sidecar %s", self.sidecar_path)
            return None
        if meta["format"] > FORMAT_VERSION:
            raise _UnusableCache(f"sidecar format {meta['format']} is newer than {FORMAT_VERSION}")
        if meta.get("dim") != self._dim:
            raise _UnusableCache(f"sidecar says dimension {meta.get('dim')}, expected {self._dim}")
        return meta

    def _sidecar_deleted(self, meta: dict[str, Any], file_size: int, count: int) -> set[int]:
        """The deleted labels the sidecar lists, once it is shown to describe this very file.

        A sidecar that does not match (a crash between the two renames of :meth:`save`, or a
        file written since) makes the cache unusable: a rebuild is always safe, while loading a
        damaged graph is not.
        """
        if meta.get("index_bytes") != file_size or meta.get("element_count") != count:
            raise _UnusableCache("index file does not match its sidecar (size)")
        stat = self._path.stat()
        if (meta.get("index_mtime_ns"), meta.get("index_inode")) != (stat.st_mtime_ns,
                                                                      stat.st_ino) and meta.get(
                "index_crc32") != _file_crc32(self._path):
            # The very file save() wrote (same inode, untouched since) is trusted without
            # reading it twice: the checksum of a 2 GB index costs seconds on open. Any other
            # file (rewritten, copied, restored) must match the checksum.
            raise _UnusableCache("index file does not match its sidecar (checksum or size)")
        deleted = meta.get("deleted")
        if not isinstance(deleted, list) or not all(isinstance(x, int) for x in deleted):
            raise _UnusableCache("sidecar has no valid list of deleted labels")
        return set(deleted)

    def _new_hnsw(self, capacity: int) -> Any:
        hnsw = hnswlib.Index(space="cosine", dim=self._dim)
        hnsw.init_index(
            max_elements=capacity,
            M=self.params.M,
            ef_construction=self.params.ef_construction,
            allow_replace_deleted=True,
        )
        hnsw.set_ef(self.params.ef_search)
        hnsw.set_num_threads(self._threads)
        return hnsw

    # ----------------------------------------------------------------------------- properties

    @property
    def path(self) -> Path:
        """Where :meth:`save` writes the index."""
        return self._path

    @property
    def sidecar_path(self) -> Path:
        """The JSON sidecar next to the index file."""
        return self._path.with_name(self._path.name + ".json")

    @property
    def dim(self) -> int:
        """Dimension of the vectors."""
        return self._dim

    @property
    def element_count(self) -> int:
        """Slots in use in the graph: live labels plus deleted ones not yet reused."""
        with self._lock:
            return int(self._index.element_count)

    @property
    def churn_fraction(self) -> float:
        """Deleted slots plus slots reused since the graph was built, over all slots."""
        with self._lock:
            slots = int(self._index.element_count)
            churn = slots - len(self._live) + self._replaced
        return min(1.0, churn / slots) if slots else 0.0

    @property
    def deleted_fraction(self) -> float:
        """Fraction of the graph's slots that hold deleted labels."""
        with self._lock:
            slots = int(self._index.element_count)
            return (slots - len(self._live)) / slots if slots else 0.0

    def __len__(self) -> int:
        """Number of live (searchable) labels."""
        return len(self._live)

    def live_ids(self) -> IdArray:
        """Sorted photo ids of the live (not deleted) labels."""
        with self._lock:
            ids = np.fromiter(self._live, dtype=np.int64, count=len(self._live))
        ids.sort()
        return ids

    def vectors(self, ids: np.ndarray) -> npt.NDArray[np.float32]:
        """The stored (L2-normalised) vectors of live ``ids``, in that order (for checks);
        raises KeyError for an id that is not live."""
        labels = _as_ids(ids)
        with self._lock:
            missing = [x for x in labels.tolist() if x not in self._live]
            if missing:
                raise KeyError(f"not in the index: {missing[:5]}")
            if not len(labels):
                return np.zeros((0, self._dim), np.float32)
            return np.asarray(self._index.get_items(labels), np.float32)

    def needs_rebuild(self) -> bool:
        """Whether the graph should be rebuilt from the catalog.

        True when :attr:`churn_fraction` passes :data:`REBUILD_CHURN_FRACTION` or when the
        graph was built with another ``M`` than :attr:`params` asks for.
        """
        with self._lock:
            other_m = bool(self._live) and int(self._index.M) != self.params.M
        return other_m or self.churn_fraction > REBUILD_CHURN_FRACTION

    # ----------------------------------------------------------------------------- writing

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Insert or replace the vectors of ``ids`` (an upsert).

        An id already present, live or deleted, gets its vector replaced and is live again. New
        ids take fresh slots (capacity doubles as needed): reusing a deleted slot makes hnswlib
        repair its neighbours' links, 8 to 50 times the cost of a fresh insert, and costs
        recall, while a deleted slot left in place still routes searches (the graph is rebuilt
        in the background once deleted slots pass :data:`REBUILD_CHURN_FRACTION`). If an id
        appears twice, its last vector wins.
        """
        labels = _as_ids(ids)
        vecs = self._as_vectors(vectors, len(labels))
        if not len(labels):
            return
        labels, vecs = _last_occurrence(labels, vecs)
        with self._write_lock:
            with self._lock:
                known = np.fromiter(
                    (int(x) in self._live or int(x) in self._deleted for x in labels),
                    dtype=bool,
                    count=len(labels),
                )
            old_labels, old_vecs = labels[known], vecs[known]
            for start in range(0, len(old_labels), _UPDATE_CHUNK):
                part = slice(start, start + _UPDATE_CHUNK)
                with self._lock:
                    self._update_locked(old_labels[part], old_vecs[part])
            new_labels, new_vecs = labels[~known], vecs[~known]
            for start in range(0, len(new_labels), _INSERT_CHUNK):
                part = slice(start, start + _INSERT_CHUNK)
                with self._lock:
                    self._insert_locked(new_labels[part], new_vecs[part])
            if self._pending is not None:
                self._pending.append((labels, vecs))

    def _update_locked(self, labels: IdArray, vecs: npt.NDArray[np.float32]) -> None:
        for label in labels.tolist():
            if label in self._deleted:
                self._index.unmark_deleted(label)
                self._deleted.discard(label)
        self._index.add_items(vecs, labels, num_threads=self._threads)
        self._live.update(labels.tolist())

    def _insert_locked(self, labels: IdArray, vecs: npt.NDArray[np.float32]) -> None:
        """Add labels absent from the graph, in fresh slots."""
        self._ensure_capacity(int(self._index.element_count) + len(labels))
        self._index.add_items(vecs, labels, num_threads=self._threads)
        self._live.update(labels.tolist())

    def _ensure_capacity(self, needed: int) -> None:
        capacity = int(self._index.max_elements)
        if needed > capacity:
            new_capacity = max(needed, 2 * capacity)
            logger.debug("Growing vector index from %d to %d slots", capacity, new_capacity)
            self._index.resize_index(new_capacity)

    def remove(self, ids: Iterable[int]) -> None:
        """Hide ``ids`` from searches (hnswlib ``mark_deleted``); unknown ids are ignored."""
        labels = [int(x) for x in ids]
        with self._write_lock, self._lock:
            for label in labels:
                if label in self._live:
                    self._index.mark_deleted(label)
                    self._live.discard(label)
                    self._deleted.add(label)
            if self._pending is not None:
                self._pending.append((np.asarray(labels, np.int64), None))

    def rebuild(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the graph with a fresh one holding exactly these vectors.

        The new graph is built outside the search lock, so searches go on meanwhile.
        """
        labels = _as_ids(ids)
        vecs = self._as_vectors(vectors, len(labels))
        labels, vecs = _last_occurrence(labels, vecs)
        with self._write_lock:
            hnsw = self._new_hnsw(max(len(labels), _INITIAL_CAPACITY))
            if len(labels):
                hnsw.add_items(vecs, labels, num_threads=self._threads)
            with self._lock:
                self._index = hnsw
                self._live = set(labels.tolist())
                self._deleted = set()
                self._replaced = 0
        logger.info("Rebuilt vector index %s with %d vectors", self._path, len(labels))

    def rebuild_concurrently(self, load: Callable[[], tuple[np.ndarray, np.ndarray]]) -> int:
        """Rebuild the graph from what ``load()`` returns, ids and their vectors read in one
        go, while writers and searches go on (for a background thread); returns the number of
        vectors in the new graph.

        Unlike :meth:`rebuild`, writers are not held up for the minutes a large graph takes:
        adds and removals made meanwhile go to the old graph as usual and are recorded, then
        replayed on the new one before it replaces the old. ``load`` is called once recording
        has begun, so a photo deleted or added while it reads is replayed, never lost.
        """
        with self._write_lock:
            if self._pending is not None:
                raise RuntimeError("a rebuild is already running")
            self._pending = []
        try:
            loaded_ids, loaded_vecs = load()
            labels, first = np.unique(_as_ids(loaded_ids), return_index=True)
            vecs = _checked(np.asarray(loaded_vecs)[first], len(labels), self._dim)
            hnsw = self._new_hnsw(max(len(labels), _INITIAL_CAPACITY))
            for start in range(0, len(labels), 10 * _INSERT_CHUNK):  # stays cancellable-ish
                part = slice(start, start + 10 * _INSERT_CHUNK)
                hnsw.add_items(vecs[part], labels[part], num_threads=self._threads)
            with self._write_lock:
                pending, self._pending = self._pending, None
                with self._lock:
                    self._index = hnsw
                    self._live = set(labels.tolist())
                    self._deleted = set()
                    self._replaced = 0
                replay(self, pending)
        finally:
            with self._write_lock:
                self._pending = None
        logger.info("Rebuilt vector index %s with %d vectors (%d writes replayed)", self._path,
                    len(labels), len(pending))
        return len(labels)

    def reconcile(
        self, ids: np.ndarray, load_vectors: Callable[[np.ndarray], np.ndarray],
        allow_rebuild: bool = True,
    ) -> ReconcileReport:
        """Make the live labels equal ``ids``, the catalog's truth.

        Missing ids are added with vectors from ``load_vectors(missing_ids)`` (an ``(n, dim)``
        float32 array in the same order) and extra ones removed. When more than
        :data:`RECONCILE_REBUILD_FRACTION` of the labels would change, or the graph needs a
        rebuild anyway (see :meth:`needs_rebuild`), it is rebuilt from ``load_vectors(ids)``.
        With ``allow_rebuild`` False (opening a large library) it always updates in place; the
        caller then rebuilds in the background (:meth:`rebuild_concurrently`) if
        :meth:`needs_rebuild`. The caller saves afterwards.
        """
        wanted = np.unique(_as_ids(ids))
        with self._write_lock:
            with self._lock:
                live = set(self._live)
                slots = int(self._index.element_count)
                churn = slots - len(live) + self._replaced
            report = reconcile_labels(self, wanted, live, slots, churn, load_vectors,
                                      allow_rebuild, self._dim)
        if report.added or report.removed or report.rebuilt:
            logger.info("Reconciled vector index %s: %s", self._path, report)
        return report

    # ----------------------------------------------------------------------------- saving

    def save(self) -> None:
        """Write the index and its sidecar atomically.

        Each file is written to a temp file in the same folder, flushed and fsynced, then
        renamed onto its path and the folder fsynced, so a crash leaves the old file intact.
        Searches wait while the file is written. Raises ``OSError`` if it cannot be written.
        """
        folder = self._path.parent
        folder.mkdir(parents=True, exist_ok=True)
        with self._write_lock:
            _remove_stale_temps(self._path)  # its prefix also covers the sidecar's temps
            tmp = _temp_path(self._path)
            try:
                with self._lock:
                    self._index.save_index(str(tmp))
                    live, slots = len(self._live), int(self._index.element_count)
                    replaced = self._replaced
                    graph_m, graph_efc = int(self._index.M), int(self._index.ef_construction)
                    deleted = sorted(self._deleted & {int(x) for x in self._index.get_ids_list()})
                size, crc = _fsync_and_checksum(tmp)
                self._check_written(tmp, size)
                os.replace(tmp, self._path)
                stat = self._path.stat()
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            _fsync_dir(folder)
            meta = {
                "format": FORMAT_VERSION,
                "dim": self._dim,
                "count": live,
                "element_count": slots,
                "params": asdict(
                    IndexParams(graph_m, graph_efc, self.params.ef_search) if slots else self.params
                ),
                "index_bytes": size,
                "index_crc32": crc,
                "index_mtime_ns": stat.st_mtime_ns,
                "index_inode": stat.st_ino,
                "replaced": replaced,
                "deleted": deleted,
            }
            _atomic_write_bytes(self.sidecar_path, json.dumps(meta).encode("utf-8"))
        logger.debug("Saved vector index %s (%d live, %d bytes)", self._path, live, size)

    def _check_written(self, tmp: Path, size: int) -> None:
        """Raise OSError if the file hnswlib wrote is shorter than its header says: hnswlib
        does not check its writes, and on a full disk it leaves a short file without an error,
        which must not replace the good one."""
        with tmp.open("rb") as f:
            header = f.read(_HEADER.size)
        try:
            self._check_header(header, size)
        except _UnusableCache as exc:
            raise OSError(errno.ENOSPC, f"the vector index was written short ({size:,} bytes: "
                          f"{exc}); is the disk full?", str(self._path)) from exc

    # ----------------------------------------------------------------------------- searching

    def search(
        self, query: np.ndarray, k: int, ef: int | None = None,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[IdArray, ScoreArray]:
        """The ``k`` photos nearest to ``query`` (shape ``(dim,)``).

        Returns ``(ids, scores)``: int64 photo ids and float32 cosine similarities, best first;
        fewer than ``k`` when fewer are live, empty arrays for an empty index. ``ef`` (search
        breadth) defaults to ``max(params.ef_search, 2 * k)``, ``ef_search`` widened for large
        indexes (:func:`_breadth_factor`). ``allowed`` (a boolean mask
        indexed by photo id) filters inside the graph search: only photos whose entry is True
        are returned (meant for filters that keep more than a few thousand photos; fewer are
        faster scanned exactly).
        """
        q = np.ascontiguousarray(query, dtype=np.float32)
        if q.shape != (self._dim,):
            raise ValueError(f"query must have shape ({self._dim},), got {q.shape}")
        if not np.isfinite(q).all():
            raise ValueError("query holds NaN or infinite values")
        with self._lock:
            live = len(self._live)
            if k <= 0 or live == 0:
                return _empty_result()
            k = min(k, live)
            # a filtered search visits more nodes for its k anyway: widening it costs more
            # than it gains (a year of a million photos: 45 ms at ef 256, 121 ms at 1024)
            default = self.params.ef_search * (_breadth_factor(live) if allowed is None else 1)
            breadth = max(ef if ef is not None else max(default, 2 * k), k)
            if allowed is not None:
                return self._filtered_locked(q, k, breadth, allowed)
            try:
                self._index.set_ef(breadth)
                labels, distances = self._index.knn_query(q, k=k, num_threads=1)
            except RuntimeError:
                # Too few reachable live nodes for k (possible with many deletions): widen the
                # search, and fall back to an exact scan if even that cannot fill k results.
                try:
                    self._index.set_ef(max(breadth, int(self._index.element_count)))
                    labels, distances = self._index.knn_query(q, k=k, num_threads=1)
                except RuntimeError:
                    logger.warning("HNSW search could not find %d results; scanning exactly", k)
                    return self._exact_locked(q, k)
        ids = labels[0].astype(np.int64)
        scores = (1.0 - distances[0]).astype(np.float32)
        return ids, scores

    def _filtered_locked(self, q: npt.NDArray[np.float32], k: int, breadth: int,
                         allowed: npt.NDArray[np.bool_]) -> tuple[IdArray, ScoreArray]:
        flags = allowed.tolist()  # hnswlib calls the filter once per visited node: list lookups
        size = len(flags)

        def keep(label: int) -> bool:
            return label < size and flags[label]

        self._index.set_ef(breadth)
        try:
            labels, distances = self._index.knn_query(q, k=k, num_threads=1, filter=keep)
        except RuntimeError:  # fewer than k reachable: scan the allowed live photos exactly
            ids = np.array([x for x in self._live if x < size and flags[x]], np.int64)
            if not len(ids):
                return _empty_result()
            vectors = np.asarray(self._index.get_items(ids, return_type="numpy"), np.float32)
            return exact_search(vectors, ids, q, k)
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def _exact_locked(self, query: npt.NDArray[np.float32], k: int) -> tuple[IdArray, ScoreArray]:
        ids = np.fromiter(self._live, dtype=np.int64, count=len(self._live))
        vectors = np.asarray(self._index.get_items(ids), dtype=np.float32)
        return exact_search(vectors, ids, query, k)

    def _as_vectors(self, vectors: np.ndarray, n: int) -> npt.NDArray[np.float32]:
        vecs = _checked(vectors, n, self._dim)
        if not np.isfinite(vecs).all():
            raise ValueError("vectors hold NaN or infinite values")
        return vecs


def _non_negative_int(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _probe_deleted(hnsw: Any, labels: set[int]) -> set[int]:
    """Find the deleted labels one by one (hnswlib reports a deleted label as not found)."""
    deleted = set()
    for label in labels:
        try:
            hnsw.get_items([label])
        except RuntimeError:
            deleted.add(label)
    return deleted

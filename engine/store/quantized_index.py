"""The vector index of large libraries: faiss inverted lists over 4-bit codes, re-ranked by
8-bit codes, rescored exactly from a float32 file on disk (the second index kind beside
:mod:`engine.store.vector_index`).

Why: at a million 512-d photos hnswlib keeps 2.3 GB of float32 vectors and links resident and
its recall@10 stops near 0.985; HNSW graphs over 8-bit vectors stop below 0.99 too, whatever
the breadth (docs/benchmarks.md, "ANN options at a million vectors"). Here the vectors (inner
product over L2-normalised vectors, so cosine) are split into about ``4 sqrt(n)`` inverted
lists around k-means centroids (:func:`ivf_lists`), and each search narrows three times:

1. the lists nearest the query (a share of them set by ``ef``: :func:`nprobe`) are scanned
   over 4-bit product-quantisation codes, one per two dimensions (faiss
   ``IndexIVFPQFastScan``, whose scan runs in SIMD registers), for ``params.refine``
   candidates;
2. those are re-ranked by 8-bit scalar codes held in memory (faiss ``IndexRefine`` over an
   ``IndexScalarQuantizer``) down to a shortlist;
3. the shortlist is rescored exactly from the float32 vectors, kept in a file beside the index,
   read row by row (only the rows rescored are read; the system's page cache keeps the hot
   ones, outside the process's resident memory).

Scores are exact cosine similarities, as :class:`~engine.store.vector_index.VectorIndex`
gives. At a million vectors on one core this gave recall@10 0.996 at 2.3 ms where the 8-bit
list scan alone (the previous version) needed 5.9 ms for 0.999 and 4.3 ms for 0.991. The 4-bit
codes alone rank too coarsely to rescore few from float32 (0.929 / 0.968 from 200 / 400
candidates) and 1,600 rows read from float32 cost more than the scan, hence the middle stage
(docs/benchmarks.md). Memory: 1.25 bytes a dimension (a half for the 4-bit codes, one
for the 8-bit ones), 0.64 GB at a million 512-d photos.

The lists are trained once, on the first vectors added (or at a rebuild); a library that has
grown to four times the vectors it was trained with asks for a rebuild
(:meth:`QuantizedIndex.needs_rebuild`), which retrains with more lists.

Rows and ids: index rows map to photo ids through an id array; removing a photo masks its row,
replacing a photo's vector masks the old row and appends a fresh one (faiss could remove from
the lists, but masking keeps the row numbers the float file is read by). Searches skip masked
rows with a faiss ``IDSelectorBitmap`` (and filtered searches with the filter folded into the
same bitmap), so both run inside the list scan. Masked rows count as churn: past
:data:`~engine.store.ann_common.REBUILD_CHURN_FRACTION` the index is rebuilt (compacted), as
hnswlib's is.

Files, for an index at ``<path>``: ``<path>`` holds the faiss index followed by the row ids
(int64) and row flags (uint8, 1 = live); ``<path>.<generation>.f32`` holds one float32 row per
graph row; ``<path>.json`` (the sidecar) names the float file and records the sizes, CRC-32s,
row count and training of the set. The index file and the sidecar are written atomically (temp
file, fsync, ``os.replace``, fsync of the folder). The float file is append-only: rows are
never rewritten, new rows are appended as they are added and fsynced on save, so the prefix a
saved sidecar describes never changes; a rebuild writes a new generation, and the old one is
deleted once a sidecar names the new. A set that does not match its sidecar (a crash between
the renames, a damaged or truncated file, another dimension, the HNSW index of sidecar format
1) is ignored with a warning and :meth:`QuantizedIndex.open` gives an empty index, which
``reconcile`` refills from the catalog.

Why one module of 990 lines: as in vector_index, the file set's checks, its persistence, the
row masking and the float file all guard one invariant (the set either matches its sidecar or
is ignored), and split, each part would have to re-learn the others' assumptions.

Thread-safety as :class:`~engine.store.vector_index.VectorIndex`: one lock guards every call
into faiss and the row arrays, a second serialises writers, and rebuilds build the new index
outside the first so searches go on.
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.store.ann_common import (
    REBUILD_CHURN_FRACTION,
    IdArray,
    ReconcileReport,
    ScoreArray,
    as_ids,
    atomic_write_bytes,
    checked,
    empty_result,
    exact_search,
    file_crc32,
    fsync_and_checksum,
    fsync_dir,
    last_occurrence,
    reconcile_labels,
    remove_stale_temps,
    replay,
    temp_path,
)


@functools.cache
def _faiss() -> Any:
    """faiss, imported on first use (0.1 s and 15 MB that a small library never pays), or None
    where faiss-cpu is not installed (the engine then keeps to hnswlib: photo_vectors). Typed
    Any: its stubs lack the SWIG helpers used here."""
    try:
        import faiss
    except ImportError:
        return None
    return faiss

logger = logging.getLogger(__name__)

KIND = "sq8"
"""The name of this index kind (PHOTOSEARCH_VECTOR_INDEX, the sidecar, bench/scale.py)."""

FORMAT_VERSION = 3
"""Version of the sidecar format. Version 2 held inverted lists over 8-bit vectors without the
4-bit stage: such a set is still loaded and searched, and asks for a rebuild
(:meth:`QuantizedIndex.needs_rebuild`), which a large library runs in the background, so an
upgrade never makes the open refill a million vectors. Any other version (1 held an HNSW graph
over 8-bit vectors) makes the cache unusable: the index is refilled from the catalog."""
_LISTS_ONLY_FORMAT = 2

# A first add to an empty index trains the lists and the quantizer on that batch; a batch
# smaller than _MIN_TRAIN also trains on the corners of the unit cube (see _train), and the
# index asks for a rebuild (which retrains) once it holds four times the vectors it was trained
# on (GROWTH_RETRAIN). Training draws at most _TRAIN_PER_LIST vectors per list: at a million
# photos k-means over all of them would take minutes more for no measured gain.
_MIN_TRAIN = 1000
_MIN_PER_LIST = 39
_TRAIN_PER_LIST = 64
GROWTH_RETRAIN = 4
_INSERT_CHUNK = 256  # rows added per lock hold, so searches interleave with a long add
_ROW_BYTES_DTYPE = np.dtype("<f4")


def available() -> bool:
    """Whether faiss (faiss-cpu) can be imported, so that this kind can be used."""
    return _faiss() is not None


def ivf_lists(n: int) -> int:
    """Inverted lists for an IVF index trained on ``n`` vectors: about ``4 sqrt(n)``, a power of
    two, 16 to 4096 (bench/ann_options.py measured these), and fewer where ``n`` is too small
    to give each list :data:`_MIN_PER_LIST` training vectors (k-means needs them; faiss warns
    below 39), down to one list."""
    lists = int(min(4096, max(16, 2 ** round(np.log2(4 * np.sqrt(max(n, 1)))))))
    while lists > 1 and _MIN_PER_LIST * lists > n:
        lists //= 2
    return lists


@dataclass(frozen=True)
class QuantizedParams:
    """Search parameters of the quantized index.

    Breadth is given as ``ef`` (as for the hnswlib kind, so callers and bench/scale.py sweep
    one parameter): a search probes ``ef / 10,000`` of the inverted lists (:func:`nprobe`).
    ``ef_search`` is the default, ``ef_filtered`` that of filtered searches, ``refine`` the
    number of candidates the 4-bit scan hands to the 8-bit re-ranking (at least twice the
    shortlist), and ``shortlist`` the number of those rescored exactly (at least ``5 * k``).
    Chosen on a million of bench/scale.py's clustered vectors (docs/benchmarks.md, "ANN options
    at a million vectors"): probing 4.8 % of 4096 lists, 800 / 1,600 / 3,200 candidates gave
    recall@10 0.990 / 0.996 / 0.998 at 2.1 / 2.3 / 2.7 ms on one core; 3.9 % with 1,600 gave
    0.994. Hence 480 (4.8 %) and 1,600 for the goal of 0.99, with a margin for churn.
    """

    ef_search: int = 480
    # filtered searches scan their allowed rows exactly when the lists probed hold too few
    # of them (search), so a narrower default costs them little: as in the HNSW version
    ef_filtered: int = 256
    refine: int = 1600
    shortlist: int = 50

    def __post_init__(self) -> None:
        if min(self.ef_search, self.ef_filtered, self.refine, self.shortlist) < 1:
            raise ValueError(f"invalid quantized index parameters: {self}")


DEFAULT_QUANTIZED = QuantizedParams()

EF_SCALE = 10_000
"""``ef`` per inverted list probed, times the number of lists: nprobe = nlist * ef / EF_SCALE."""

SCAN_PER_EF = 16
"""A search scans at least ``SCAN_PER_EF * ef`` vectors (all of them in a small index)."""


def nprobe(nlist: int, ef: int, rows: int) -> int:
    """The lists a search of breadth ``ef`` probes in an index of ``nlist`` lists and ``rows``
    rows: ``nlist * ef / EF_SCALE``, but at least enough lists to scan ``SCAN_PER_EF * ef``
    vectors. The share alone suits large indexes of many lists (at a million, 4.8 % of 4096
    lists scan 48,000 vectors for a shortlist of 50); fewer, coarser lists need a larger share
    for the same recall (at 100k, 4.8 % of 1024 lists gave recall@10 0.989), and in a small
    index the share scans a few hundred vectors (on 4,000 clustered 32-d vectors, 3 of 64 lists
    gave 0.59). The floor gives way to the share from about 160,000 rows at the default
    breadth."""
    share = round(nlist * ef / EF_SCALE)
    floor = -(-nlist * SCAN_PER_EF * ef // max(rows, 1))  # ceiling division
    return int(min(nlist, max(1, share, floor)))


class _UnusableCache(Exception):
    """The index files cannot be used; the index starts empty instead."""


class QuantizedIndex:
    """faiss inverted lists over 4-bit codes, re-ranked by 8-bit codes and rescored exactly,
    over one model's vectors; labels are photo ids.

    Offers the interface of :class:`~engine.store.ann_common.AnnIndex`. Create one with
    :meth:`open`; the constructor gives an empty index bound to ``path``. Needs faiss.
    """

    def __init__(self, path: Path, dim: int, params: QuantizedParams = DEFAULT_QUANTIZED) -> None:
        """Make an empty index that :meth:`save` will write to ``path``."""
        self._fx = _faiss()
        if self._fx is None:
            raise RuntimeError("the quantized vector index needs faiss-cpu")
        if dim < 1:
            raise ValueError(f"dim must be positive, got {dim}")
        self._path = Path(path)
        self._dim = dim
        self.params = params
        self._lock = threading.Lock()  # guards faiss, the row arrays and the float file
        self._write_lock = threading.RLock()  # serialises writers among themselves
        self._reset()
        # writes made while a background rebuild runs, replayed on the new graph (as in
        # VectorIndex); None when no rebuild runs
        self._pending: list[tuple[IdArray, npt.NDArray[np.float32] | None]] | None = None
        self._building: str | None = None  # the float file a running rebuild writes

    def _reset(self) -> None:
        """Become empty (no graph, no rows), bound to a fresh float file generation."""
        self._faiss = _new_graph(self._fx, self._dim, 1)  # untrained: the first add trains
        self._trained_on = 0
        self._n = 0  # rows in the graph (live and masked)
        self._row_ids = np.empty(0, np.int64)  # photo id of each row (capacity >= _n)
        self._alive = np.empty(0, bool)  # whether each row is live
        self._row_of: dict[int, int] = {}  # live photo id -> row
        self._bitmap: npt.NDArray[np.uint8] | None = None  # packed _alive, while unchanged
        self._floats = _FloatFile(self._path.parent / self._float_name(self._next_generation()),
                                  self._dim)

    def _float_name(self, generation: int) -> str:
        return f"{self._path.name}.{generation}.f32"

    def _generations(self) -> dict[int, Path]:
        """The float files of this index now in its folder, by generation."""
        pattern = re.compile(re.escape(self._path.name) + r"\.(\d+)\.f32")
        found = {}
        if self._path.parent.is_dir():
            for item in self._path.parent.iterdir():
                match = pattern.fullmatch(item.name)
                if match:
                    found[int(match.group(1))] = item
        return found

    def _next_generation(self) -> int:
        taken = set(self._generations())
        current = getattr(self, "_floats", None)
        if current is not None:
            taken.add(_generation_of(current.path))
        return max(taken, default=0) + 1

    # ----------------------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path, dim: int,
             params: QuantizedParams = DEFAULT_QUANTIZED) -> QuantizedIndex:
        """Load the index at ``path``, or give an empty one if it is missing or unusable.

        A missing, truncated, corrupt or mismatched file set, or one made for another
        dimension, is logged as a warning and ignored (the caller refills it from the catalog);
        this never raises for a bad file. After a good load, float files of other generations
        (left by a crash during a rebuild) are deleted.
        """
        index = cls(path, dim, params)
        if not index._path.exists():
            logger.info("No quantized vector index at %s; starting empty", index._path)
            return index
        try:
            index._load()
        except (_UnusableCache, OSError, RuntimeError, ValueError, MemoryError) as exc:
            # the files stay until a save replaces them (like the hnswlib kind's file)
            logger.warning("Ignoring unusable vector index %s (%s); starting empty",
                           index._path, exc)
            index._reset()
        else:
            index._remove_other_generations()
        return index

    def _load(self) -> None:
        path = self._path
        meta = self._read_sidecar()
        stat = path.stat()
        if meta.get("index_bytes") != stat.st_size:
            raise _UnusableCache("index file does not match its sidecar (size)")
        if ((meta.get("index_mtime_ns"), meta.get("index_inode")) != (stat.st_mtime_ns,
                                                                        stat.st_ino)
                and meta.get("index_crc32") != file_crc32(path)):
            # as in VectorIndex: the very file save() wrote is trusted without a checksum
            raise _UnusableCache("index file does not match its sidecar (checksum)")
        rows = _non_negative_int(meta.get("rows"))
        faiss_bytes = _non_negative_int(meta.get("faiss_bytes"))
        if faiss_bytes + rows * 9 != stat.st_size:
            raise _UnusableCache("sidecar sizes do not add up")
        floats = self._path.parent / str(meta.get("floats"))
        if _generation_of(floats) < 1 or floats.name != self._float_name(
                _generation_of(floats)):
            raise _UnusableCache("sidecar names no float file of this index")
        float_file = _FloatFile(floats, self._dim)
        float_file.attach(rows, meta)
        with path.open("rb") as f:
            graph = self._fx.read_index(self._fx.PyCallbackIOReader(f.read))
            if f.tell() != faiss_bytes:
                raise _UnusableCache("faiss index of unexpected length")
            row_ids = np.fromfile(f, dtype="<i8", count=rows).astype(np.int64)
            alive = np.fromfile(f, dtype=np.uint8, count=rows).astype(bool)
        # (read_index gives the concrete class; self._fx.downcast_index would make a second
        # wrapper that does not own the index, freed with the first)
        if _format_of(self._fx, graph) != meta["format"] or graph.d != self._dim:
            raise _UnusableCache("not a quantized index of its format and this dimension")
        if graph.ntotal != rows or len(row_ids) != rows or len(alive) != rows:
            raise _UnusableCache(f"{graph.ntotal} graph rows for {rows} ids")
        live_ids = row_ids[alive]
        if (row_ids < 0).any() or len(np.unique(live_ids)) != len(live_ids):
            raise _UnusableCache("invalid row ids")
        self._faiss = graph
        self._n = rows
        self._row_ids, self._alive = row_ids, alive
        self._row_of = dict(zip(live_ids.tolist(), np.flatnonzero(alive).tolist(), strict=True))
        self._bitmap = None
        self._trained_on = _non_negative_int(meta.get("trained_on"))
        self._floats = float_file
        logger.info("Loaded quantized vector index %s: %d live, %d masked, %d lists", path,
                    len(self._row_of), rows - len(self._row_of), _nlist(self._fx, graph))

    def _read_sidecar(self) -> dict[str, Any]:
        """The sidecar's content; without one the set cannot be trusted (it names the float
        file and holds the checksums), so the index is refilled from the catalog."""
        try:
            meta = json.loads(self.sidecar_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _UnusableCache(f"no usable sidecar ({exc})") from exc
        if not isinstance(meta, dict) or not isinstance(meta.get("format"), int):
            raise _UnusableCache("malformed sidecar")
        if meta["format"] not in (FORMAT_VERSION, _LISTS_ONLY_FORMAT):
            raise _UnusableCache(f"sidecar format {meta['format']}, not {FORMAT_VERSION}")
        if meta.get("kind") != KIND:
            raise _UnusableCache(f"sidecar of another index kind ({meta.get('kind')})")
        if meta.get("dim") != self._dim:
            raise _UnusableCache(f"sidecar says dimension {meta.get('dim')}, expected {self._dim}")
        return meta

    def _remove_other_generations(self) -> None:
        """Delete float files that are neither in use nor being written by a rebuild (left by
        a crash, or by a rebuild whose index is now saved)."""
        keep = {self._floats.path.name, self._building}
        for item in self._generations().values():
            if item.name not in keep:
                try:
                    item.unlink()
                    logger.info("Removed old vector file %s", item)
                except OSError as exc:  # still mapped (Windows): the next save tries again
                    logger.debug("Could not remove old vector file %s: %s", item, exc)

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
    def floats_path(self) -> Path:
        """The float32 file the shortlist is rescored from."""
        return self._floats.path

    @property
    def dim(self) -> int:
        """Dimension of the vectors."""
        return self._dim

    @property
    def element_count(self) -> int:
        """Rows in the graph: live ones plus masked ones not yet compacted away."""
        return self._n

    @property
    def churn_fraction(self) -> float:
        """Masked rows over all rows (removed photos and replaced vectors)."""
        with self._lock:
            return (self._n - len(self._row_of)) / self._n if self._n else 0.0

    @property
    def deleted_fraction(self) -> float:
        """Masked rows over all rows (the same as :attr:`churn_fraction` for this kind)."""
        return self.churn_fraction

    def __len__(self) -> int:
        """Number of live (searchable) photos."""
        return len(self._row_of)

    def live_ids(self) -> IdArray:
        """Sorted photo ids of the live rows."""
        with self._lock:
            ids = np.fromiter(self._row_of, dtype=np.int64, count=len(self._row_of))
        ids.sort()
        return ids

    def vectors(self, ids: np.ndarray) -> npt.NDArray[np.float32]:
        """The stored (L2-normalised) float32 vectors of live ``ids``, in that order (for
        checks); raises KeyError for an id that is not live."""
        labels = as_ids(ids)
        with self._lock:
            missing = [x for x in labels.tolist() if x not in self._row_of]
            if missing:
                raise KeyError(f"not in the index: {missing[:5]}")
            rows = np.array([self._row_of[x] for x in labels.tolist()], np.int64)
            floats = self._floats
        return floats.rows(rows)

    @property
    def nlist(self) -> int:
        """Inverted lists of the index (1 until the first add trains it)."""
        with self._lock:
            return _nlist(self._fx, self._faiss)

    @property
    def trained_on(self) -> int:
        """How many vectors the index had when its lists were trained (0: untrained)."""
        return self._trained_on

    def needs_rebuild(self) -> bool:
        """Whether the index should be rebuilt from the catalog: masked rows past
        :data:`REBUILD_CHURN_FRACTION`, or :data:`GROWTH_RETRAIN` times as many live vectors
        as it was trained with (a small first batch, or a library grown since: the rebuild
        retrains, with more lists, which keeps each list short and searches as fast), or a set
        of the previous version (:data:`FORMAT_VERSION`), which the rebuild brings up to date."""
        with self._lock:
            live = len(self._row_of)
            grown = self._trained_on > 0 and live >= GROWTH_RETRAIN * self._trained_on
            old = not isinstance(self._faiss, self._fx.IndexRefine)
        return grown or old or self.churn_fraction > REBUILD_CHURN_FRACTION

    # ----------------------------------------------------------------------------- writing

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Insert or replace the vectors of ``ids`` (an upsert).

        Every new or changed vector takes a fresh row; an id that had one (live) has its old
        row masked, so searches return its new vector only; an id given the vector it already
        has is left alone. If an id appears twice, its last vector wins.
        """
        labels = as_ids(ids)
        vecs = self._as_vectors(vectors, len(labels))
        if not len(labels):
            return
        labels, vecs = last_occurrence(labels, vecs)
        with self._write_lock:
            if self._pending is not None:  # replayed whole: the new graph may differ
                self._pending.append((labels, vecs))
            labels, vecs = self._changed_only(labels, vecs)
            if not len(labels):
                return
            if not self._faiss.is_trained:
                graph, trained_on = _trained(self._fx, self._dim, vecs)
                with self._lock:
                    self._faiss, self._trained_on = graph, trained_on
            for start in range(0, len(labels), _INSERT_CHUNK):
                part = slice(start, start + _INSERT_CHUNK)
                self._append(labels[part], vecs[part])

    def _changed_only(self, labels: IdArray, vecs: npt.NDArray[np.float32]
                      ) -> tuple[IdArray, npt.NDArray[np.float32]]:
        """Drop the ids whose live row already holds this very vector: re-adding one (the
        refresh of photos touched since the last save, a replayed write) would only mask a
        row and append its copy."""
        with self._lock:
            rows = np.fromiter((self._row_of.get(x, -1) for x in labels.tolist()), np.int64,
                               count=len(labels))
            floats = self._floats
        known = rows >= 0
        if not known.any():
            return labels, vecs
        same = np.zeros(len(labels), bool)
        same[known] = (floats.rows(rows[known]) == vecs[known]).all(axis=1)
        return labels[~same], vecs[~same]

    def _append(self, labels: IdArray, vecs: npt.NDArray[np.float32]) -> None:
        """Add rows at the end: floats first (beyond the rows searches map), then the graph."""
        first = self._n
        self._floats.append(first, vecs)
        with self._lock:
            self._faiss.add(vecs)
            self._grow(first + len(labels))
            self._row_ids[first:first + len(labels)] = labels
            self._alive[first:first + len(labels)] = True
            for offset, label in enumerate(labels.tolist()):
                old = self._row_of.get(label)
                if old is not None:
                    self._alive[old] = False
                self._row_of[label] = first + offset
            self._n = first + len(labels)
            self._floats.expose(self._n)
            self._bitmap = None

    def _grow(self, needed: int) -> None:
        if needed > len(self._row_ids):
            capacity = max(needed, 2 * len(self._row_ids), 1024)
            self._row_ids = np.resize(self._row_ids, capacity)
            alive = np.zeros(capacity, bool)
            alive[: self._n] = self._alive[: self._n]
            self._alive = alive

    def remove(self, ids: Iterable[int]) -> None:
        """Hide ``ids`` from searches (their rows are masked); unknown ids are ignored."""
        labels = [int(x) for x in ids]
        with self._write_lock, self._lock:
            for label in labels:
                row = self._row_of.pop(label, None)
                if row is not None:
                    self._alive[row] = False
                    self._bitmap = None
            if self._pending is not None:
                self._pending.append((np.asarray(labels, np.int64), None))

    def rebuild(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the graph with a fresh one holding exactly these vectors (retraining the
        quantizer on them). The new graph is built outside the search lock."""
        labels = as_ids(ids)
        vecs = self._as_vectors(vectors, len(labels))
        labels, vecs = last_occurrence(labels, vecs)
        with self._write_lock:
            self._swap(*self._build(labels, vecs))
        logger.info("Rebuilt vector index %s with %d vectors", self._path, len(labels))

    def rebuild_concurrently(self, load: Callable[[], tuple[np.ndarray, np.ndarray]]) -> int:
        """Rebuild the graph from what ``load()`` returns (ids and their vectors, read in one
        go once writes are being recorded) while writers and searches go on (for a background
        thread); returns the number of vectors in the new graph. Writes made meanwhile go to
        the old graph and are replayed on the new one before it replaces the old."""
        with self._write_lock:
            if self._pending is not None:
                raise RuntimeError("a rebuild is already running")
            self._pending = []
        pending: list[tuple[IdArray, npt.NDArray[np.float32] | None]] = []
        try:
            loaded_ids, loaded_vecs = load()
            labels, first = np.unique(as_ids(loaded_ids), return_index=True)
            vecs = self._as_vectors(np.asarray(loaded_vecs)[first], len(labels))
            built = self._build(labels, vecs)
            with self._write_lock:
                pending, self._pending = self._pending, None
                self._swap(*built)
                replay(self, pending)
        finally:
            with self._write_lock:
                self._pending = None
                self._building = None
        logger.info("Rebuilt vector index %s with %d vectors (%d writes replayed)", self._path,
                    len(labels), len(pending))
        return len(labels)

    def _build(self, labels: IdArray, vecs: npt.NDArray[np.float32]
               ) -> tuple[Any, IdArray, _FloatFile, int]:
        """A new graph, trained on ``vecs``, and a new float file generation holding them."""
        with self._write_lock:
            floats = _FloatFile(self._path.parent / self._float_name(self._next_generation()),
                                self._dim)
            self._building = floats.path.name
        graph, trained_on = (_trained(self._fx, self._dim, vecs) if len(vecs)
                             else (_new_graph(self._fx, self._dim, 1), 0))
        for start in range(0, len(labels), 10 * _INSERT_CHUNK):
            part = slice(start, start + 10 * _INSERT_CHUNK)
            floats.append(start, vecs[part])
            graph.add(vecs[part])
        floats.expose(len(labels))
        return graph, labels, floats, trained_on

    def _swap(self, graph: Any, labels: IdArray, floats: _FloatFile, trained_on: int) -> None:
        with self._lock:
            self._faiss = graph
            self._n = len(labels)
            self._row_ids = labels.copy()
            self._alive = np.ones(len(labels), bool)
            self._row_of = dict(zip(labels.tolist(), range(len(labels)), strict=True))
            self._bitmap = None
            self._trained_on = trained_on
            self._floats = floats
        self._building = None

    def reconcile(
        self, ids: np.ndarray, load_vectors: Callable[[np.ndarray], np.ndarray],
        allow_rebuild: bool = True,
    ) -> ReconcileReport:
        """Make the live ids equal ``ids``, the catalog's truth (as
        :meth:`VectorIndex.reconcile <engine.store.vector_index.VectorIndex.reconcile>`):
        missing ids are added with ``load_vectors(missing)``, extra ones removed, and with
        ``allow_rebuild`` a heavy change or a due rebuild rebuilds from ``load_vectors(ids)``.
        The caller saves afterwards."""
        wanted = np.unique(as_ids(ids))
        with self._write_lock:
            with self._lock:
                live = set(self._row_of)
                rows = self._n
            report = reconcile_labels(self, wanted, live, rows, rows - len(live), load_vectors,
                                      allow_rebuild, self._dim)
        if report.added or report.removed or report.rebuilt:
            logger.info("Reconciled vector index %s: %s", self._path, report)
        return report

    # ----------------------------------------------------------------------------- saving

    def save(self) -> None:
        """Write the index, its float file and its sidecar so that a crash at any point leaves
        a set that either matches its sidecar or is ignored.

        The float file's new rows are fsynced; the index file (faiss graph, row ids, row
        flags) is written to a temp file, fsynced and renamed; then the sidecar likewise.
        Float files of older generations are deleted afterwards. Raises ``OSError`` if a file
        cannot be written (faiss's writes go through Python, so a full disk raises too).
        """
        folder = self._path.parent
        folder.mkdir(parents=True, exist_ok=True)
        with self._write_lock:
            remove_stale_temps(self._path)  # its prefix also covers the sidecar's temps
            tmp = temp_path(self._path)
            try:
                with self._lock:
                    rows, live = self._n, len(self._row_of)
                    floats, trained_on = self._floats, self._trained_on
                    with tmp.open("wb") as f:
                        self._fx.write_index(self._faiss, self._fx.PyCallbackIOWriter(f.write))
                        faiss_bytes = f.tell()
                        f.write(self._row_ids[:rows].astype("<i8").tobytes())
                        f.write(self._alive[:rows].astype(np.uint8).tobytes())
                    nlist = _nlist(self._fx, self._faiss)
                    fmt = _format_of(self._fx, self._faiss)
                float_meta = floats.sync(rows)
                size, crc = fsync_and_checksum(tmp)
                if size != faiss_bytes + 9 * rows:
                    raise OSError(errno.ENOSPC, f"the vector index was written short "
                                  f"({size:,} bytes); is the disk full?", str(self._path))
                os.replace(tmp, self._path)
                stat = self._path.stat()
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            fsync_dir(folder)
            meta = {
                "format": fmt,
                "kind": KIND,
                "dim": self._dim,
                "count": live,
                "rows": rows,
                "params": asdict(self.params),
                "nlist": nlist,
                "trained_on": trained_on,
                "faiss_bytes": faiss_bytes,
                "index_bytes": size,
                "index_crc32": crc,
                "index_mtime_ns": stat.st_mtime_ns,
                "index_inode": stat.st_ino,
                **float_meta,
            }
            atomic_write_bytes(self.sidecar_path, json.dumps(meta).encode("utf-8"))
            self._remove_other_generations()
        logger.debug("Saved quantized vector index %s (%d live, %d rows)", self._path, live, rows)

    # ----------------------------------------------------------------------------- searching

    def search(
        self, query: np.ndarray, k: int, ef: int | None = None,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[IdArray, ScoreArray]:
        """The ``k`` photos nearest to ``query`` (shape ``(dim,)``), by exact cosine score.

        Returns ``(ids, scores)``: int64 photo ids and float32 cosine similarities, best first;
        fewer than ``k`` when fewer are live, empty arrays for an empty index. The inverted
        lists (breadth ``ef``, by default ``params.ef_search``, or ``params.ef_filtered`` for
        a filtered search; :func:`nprobe` turns it into lists) give a shortlist of
        ``max(params.shortlist, 5 * k)`` rows, rescored from the float file. ``allowed`` (a
        boolean mask indexed by photo id) filters inside the list scan.
        """
        q = np.ascontiguousarray(query, dtype=np.float32)
        if q.shape != (self._dim,):
            raise ValueError(f"query must have shape ({self._dim},), got {q.shape}")
        if not np.isfinite(q).all():
            raise ValueError("query holds NaN or infinite values")
        norm = float(np.linalg.norm(q))
        if norm > 0:
            q = q / norm
        with self._lock:
            live = len(self._row_of)
            if k <= 0 or live == 0:
                return empty_result()
            k = min(k, live)
            shortlist = min(max(self.params.shortlist, 5 * k), self._n)
            default = self.params.ef_search if allowed is None else self.params.ef_filtered
            probes = nprobe(_nlist(self._fx, self._faiss), ef if ef is not None else default,
                            self._n)
            keep = self._keep_locked(allowed)
            wanted = k if keep is None or allowed is None else min(
                k, int(np.count_nonzero(keep)))
            if wanted == 0:
                return empty_result()
            params = self._fx.SearchParametersIVF()
            params.nprobe = probes
            # the 4-bit scan hands k_factor times the shortlist to the 8-bit re-ranking
            k_factor = max(2, -(-self.params.refine // shortlist))
            bitmap = None
            if keep is not None:
                # unfiltered: the packed live rows are kept until the next write (at a million
                # rows packing costs about as much as the search)
                bitmap = self._bitmap if allowed is None else None
                if bitmap is None:
                    bitmap = np.packbits(keep, bitorder="little")
                    if allowed is None:
                        self._bitmap = bitmap
                params.sel = self._fx.IDSelectorBitmap(self._n, self._fx.swig_ptr(bitmap))
            refine = (self._fx.IndexRefineSearchParameters(k_factor=k_factor,
                                                          base_index_params=params)
                      if isinstance(self._faiss, self._fx.IndexRefine)
                      else params)  # a set of the previous version, until its rebuild
            _, found = self._faiss.search(q[None, :], shortlist, params=refine)
            # the selector points into the bitmap and refine to params: all lived until here
            del refine, params, bitmap
            rows = np.sort(found[0][found[0] >= 0])
            if len(rows) < wanted:
                # Too few allowed rows in the lists probed (a narrow filter): scan them exactly.
                rows = np.flatnonzero(keep) if keep is not None else np.arange(self._n)
            ids = self._row_ids[rows]  # a copy: rows appended later do not move these
            floats = self._floats
        # rescoring reads rows no writer rewrites, through the map taken above: no lock needed
        return exact_search(floats.rows(rows), ids, q, k)

    def _keep_locked(self, allowed: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.bool_] | None:
        """Which rows a search may return (None: all of them, no row masked)."""
        n = self._n
        if allowed is None:
            if len(self._row_of) == n:
                return None
            return self._alive[:n]
        if len(allowed) == 0:
            return np.zeros(n, bool)
        ids = self._row_ids[:n]
        inside = ids < len(allowed)
        return self._alive[:n] & inside & np.asarray(allowed, bool)[np.where(inside, ids, 0)]

    def _as_vectors(self, vectors: np.ndarray, n: int) -> npt.NDArray[np.float32]:
        """Checked and L2-normalised (hnswlib's cosine space normalises too; inner product
        over unit vectors is the cosine)."""
        vecs = checked(vectors, n, self._dim)
        if not np.isfinite(vecs).all():
            raise ValueError("vectors hold NaN or infinite values")
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        if np.allclose(norms, 1.0, rtol=0, atol=1e-4):  # the catalog's are: no 2 GB copy at 1M
            return vecs
        return np.ascontiguousarray(vecs / np.maximum(norms, 1e-30), dtype=np.float32)


def _new_graph(fx: Any, dim: int, nlist: int) -> Any:
    """An empty, untrained index of ``nlist`` lists (inner product: cosine here): 4-bit
    product codes, one per :func:`_pq_width` dimensions, in inverted lists (fast scan, not by
    residual: measured as good here and a search needs no per-list tables), re-ranked by
    8-bit scalar codes of the whole vectors."""
    coarse = fx.IndexFlatIP(dim)
    lists = fx.IndexIVFPQFastScan(coarse, dim, nlist, dim // _pq_width(dim), 4,
                                  fx.METRIC_INNER_PRODUCT)
    lists.by_residual = False
    codes = fx.IndexScalarQuantizer(dim, fx.ScalarQuantizer.QT_8bit, fx.METRIC_INNER_PRODUCT)
    graph = fx.IndexRefine(lists, codes)
    # each index owns what it was built over, so the set lives and dies as one object
    lists.own_fields = True
    coarse.this.disown()
    graph.own_fields = True
    lists.this.disown()
    codes.this.disown()
    return graph


def _pq_width(dim: int) -> int:
    """Dimensions per 4-bit product code: two (16 centroids over a pair of dimensions; four
    dimensions per code ranked too coarsely to rescore from, docs/benchmarks.md), one for an
    odd dimension."""
    return 2 if dim % 2 == 0 else 1


def _format_of(fx: Any, graph: Any) -> int | None:
    """The sidecar format of a faiss index's structure: :data:`FORMAT_VERSION` for the one
    :func:`_new_graph` makes, :data:`_LISTS_ONLY_FORMAT` for inverted lists over 8-bit vectors
    (the previous version), None for anything else."""
    if (isinstance(graph, fx.IndexRefine)
            and isinstance(fx.downcast_index(graph.base_index), fx.IndexIVFPQFastScan)
            and isinstance(fx.downcast_index(graph.refine_index), fx.IndexScalarQuantizer)):
        return FORMAT_VERSION
    if isinstance(graph, fx.IndexIVFScalarQuantizer):
        return _LISTS_ONLY_FORMAT
    return None


def _nlist(fx: Any, graph: Any) -> int:
    """The inverted lists of a graph :func:`_new_graph` made, or of one of the previous
    version."""
    lists = graph if isinstance(graph, fx.IndexIVF) else fx.downcast_index(graph.base_index)
    return int(lists.nlist)


def _trained(fx: Any, dim: int, vecs: npt.NDArray[np.float32]) -> tuple[Any, int]:
    """A new index trained on ``vecs`` (:func:`ivf_lists` of them lists, k-means over a random
    sample of at most :data:`_TRAIN_PER_LIST` per list, which also trains both codes) and
    ``len(vecs)``, what it was trained with.

    The 8-bit codes cover a [min, max] range per dimension learnt from the training vectors; a
    component outside that range (a later vector unlike any trained on) is clamped to the
    range's edge, and the 4-bit codebooks likewise fit the vectors trained on. Such a vector's
    quantized distances are then approximate in one more way, which can only cost it a place
    in a shortlist: every score returned is recomputed exactly from float32, so a coarse code
    never makes a score wrong. A batch of fewer than :data:`_MIN_TRAIN` vectors (too few to
    show the range, and under the 16 points each 4-bit codebook needs) also trains on jittered
    copies of its vectors and on the corners of [-1, 1] (unit vectors lie inside), coarse but
    safe, and :meth:`QuantizedIndex.needs_rebuild` asks for a retraining rebuild once four
    times as many vectors are served.
    """
    n = len(vecs)
    graph = _new_graph(fx, dim, ivf_lists(n))
    train = vecs
    per_list = _TRAIN_PER_LIST * _nlist(fx, graph)
    if n > per_list:
        rng = np.random.default_rng(n)  # reproducible for a given library size
        train = np.ascontiguousarray(vecs[np.sort(rng.choice(n, per_list, replace=False))])
    if n < _MIN_TRAIN:
        rng = np.random.default_rng(n)
        copies = vecs[rng.integers(0, n, _MIN_TRAIN - n)]
        jittered = copies + rng.standard_normal(copies.shape).astype(np.float32) / np.sqrt(dim)
        jittered /= np.linalg.norm(jittered, axis=1, keepdims=True)
        bounds = np.stack([np.ones(dim, np.float32), -np.ones(dim, np.float32)])
        train = np.concatenate([vecs, jittered, bounds]).astype(np.float32)
    graph.train(train)
    return graph, n


class _FloatFile:
    """The append-only float32 rows beside the index, read by position for rescoring.

    Rows below the count a saved sidecar records are never rewritten; appends go past the
    rows searches map. The CRC-32 of the rows written so far is kept as they are written, so
    a save records it without reading the file back.
    """

    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self._row_bytes = 4 * dim
        self._dim = dim
        self._readable = 0  # rows readers may read
        self._file: Any = None  # read handle (closed when this object goes)
        self._crc = 0  # of the first _crc_rows rows
        self._crc_rows = 0

    def attach(self, rows: int, meta: dict[str, Any]) -> None:
        """Use the existing file, which must hold at least ``rows`` rows matching the
        sidecar's checksum (a longer file has rows a crash left unsaved: they are dropped)."""
        stat = self.path.stat()
        size = rows * self._row_bytes
        if meta.get("floats_rows") != rows or stat.st_size < size:
            raise _UnusableCache("float file does not match its sidecar (size)")
        crc = meta.get("floats_crc32")
        same_file = (meta.get("floats_mtime_ns"), meta.get("floats_inode")) == (
            stat.st_mtime_ns, stat.st_ino) and stat.st_size == size
        if not same_file and crc != _prefix_crc32(self.path, size):
            raise _UnusableCache("float file does not match its sidecar (checksum)")
        if stat.st_size > size:
            with self.path.open("r+b") as f:
                f.truncate(size)
        self._crc, self._crc_rows = int(crc) if isinstance(crc, int) else 0, rows
        self.expose(rows)

    def append(self, first_row: int, vecs: npt.NDArray[np.float32]) -> None:
        """Write ``vecs`` as rows ``first_row...`` (not yet fsynced: :meth:`sync` does)."""
        if first_row != self._crc_rows:
            raise RuntimeError(f"float file at row {self._crc_rows}, asked to write {first_row}")
        data = np.ascontiguousarray(vecs, dtype=_ROW_BYTES_DTYPE).tobytes()
        self.path.parent.mkdir(parents=True, exist_ok=True)  # a new library's first photos
        mode = "r+b" if self.path.exists() else "w+b"
        with self.path.open(mode) as f:
            f.seek(first_row * self._row_bytes)
            f.write(data)
            f.truncate()
        self._crc = zlib.crc32(data, self._crc)
        self._crc_rows = first_row + len(vecs)

    def expose(self, rows: int) -> None:
        """Let readers see the first ``rows`` rows (the ones the graph holds)."""
        self._readable = rows

    def rows(self, rows: np.ndarray) -> npt.NDArray[np.float32]:
        """The float32 vectors of ``rows`` (any order), read with one positioned read per run
        of consecutive rows.

        Read, not memory-mapped: a page fault on a mapping maps the 64 KB around it (the
        kernel's fault-around, which MADV_RANDOM does not turn off), so at 100k photos 200
        queries left 149 MB of the file resident for the 1 MB they rescored, and at a million
        the whole 2 GB file would end up counted. Reads leave the pages in the shared page
        cache, where the system keeps or drops them.
        """
        out = np.empty((len(rows), self._dim), np.float32)
        if not len(rows):
            return out
        if int(np.max(rows)) >= self._readable or int(np.min(rows)) < 0:
            raise IndexError(f"row out of range (the file exposes {self._readable})")
        order = np.argsort(rows, kind="stable")
        wanted = np.asarray(rows, np.int64)[order]
        runs = np.flatnonzero(np.diff(wanted) != 1) + 1
        got = np.empty_like(out)
        fd = self._reader()
        rb = self._row_bytes
        for start, stop in zip(np.r_[0, runs].tolist(), np.r_[runs, len(wanted)].tolist(),
                               strict=True):
            size = (stop - start) * rb
            data = _pread(fd, size, int(wanted[start]) * rb)
            if len(data) != size:
                raise OSError(f"short read from {self.path}")
            got[start:stop] = np.frombuffer(data, _ROW_BYTES_DTYPE).reshape(-1, self._dim)
        out[order] = got
        return out

    def _reader(self) -> Any:
        """The read handle, opened on first use (appends later are seen through it)."""
        if self._file is None:
            self._file = self.path.open("rb", buffering=0)
        return self._file

    def sync(self, rows: int) -> dict[str, Any]:
        """fsync the file (creating an empty one for an empty index); the sidecar's fields."""
        if rows != self._crc_rows:
            raise RuntimeError(f"float file holds {self._crc_rows} rows, the index {rows}")
        with self.path.open("ab") as f:
            f.flush()
            os.fsync(f.fileno())
        fsync_dir(self.path.parent)
        stat = self.path.stat()
        return {"floats": self.path.name, "floats_rows": rows, "floats_crc32": self._crc,
                "floats_mtime_ns": stat.st_mtime_ns, "floats_inode": stat.st_ino}


def _pread(handle: Any, size: int, offset: int) -> bytes:
    """``size`` bytes at ``offset`` of an open file, safe from several threads."""
    if hasattr(os, "pread"):
        return os.pread(handle.fileno(), size, offset)
    with _SEEK_LOCK:  # pragma: no cover - Windows has no pread
        handle.seek(offset)
        return bytes(handle.read(size))


_SEEK_LOCK = threading.Lock()


def _prefix_crc32(path: Path, size: int) -> int:
    crc = 0
    with path.open("rb") as f:
        left = size
        while left:
            block = f.read(min(left, 16 * 1024 * 1024))
            if not block:
                break
            crc = zlib.crc32(block, crc)
            left -= len(block)
    return crc


def _generation_of(path: Path) -> int:
    parts = path.name.rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0


def _non_negative_int(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0

"""What the two vector index kinds share: the exact search they fall back on and are measured
against, the checks on ids and vectors they take, their reconcile report and rebuild policy, and
the crash-safe file writing both caches use (temp file in the same folder, fsync, ``os.replace``,
fsync of the folder; CRC-32 checksums that sidecars record).

The kinds: :class:`engine.store.vector_index.VectorIndex` (hnswlib HNSW over float32 vectors)
and :class:`engine.store.quantized_index.QuantizedIndex` (faiss IVF over 4-bit codes re-ranked by
8-bit ones, rescored from a float32 file on disk); :class:`AnnIndex` is the interface the
engine uses.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

IdArray = npt.NDArray[np.int64]
ScoreArray = npt.NDArray[np.float32]

CHECKSUM_BLOCK = 16 * 1024 * 1024

REBUILD_CHURN_FRACTION = 0.1
"""Rebuild the graph when its deleted slots (plus slots reused by versions before issue 15,
which reused them) pass this fraction: deleted slots cost memory and search time, and reused
ones cost recall (0.007 to 0.025 of recall@10 at 100k for 10% churn, bench/ann_recall.py).
"""

RECONCILE_REBUILD_FRACTION = 0.3
"""When reconciling would change more than this fraction of the labels, rebuild instead."""

@dataclass(frozen=True)
class ReconcileReport:
    """What :meth:`VectorIndex.reconcile` changed.

    ``added`` and ``removed`` count the labels that were missing from, or extra in, the index;
    ``rebuilt`` is the number of vectors put into a fresh graph (0 when it was updated in place).
    """

    added: int
    removed: int
    rebuilt: int


class AnnIndex(Protocol):
    """The approximate-nearest-neighbour index over one model's photo vectors, as
    :class:`engine.store.photo_vectors.PhotoVectors` and search use it (labels are photo ids,
    scores cosine similarities). Both kinds are caches of the catalog: ``open`` never raises
    for a bad file, and ``reconcile`` refills them."""

    @property
    def path(self) -> Path: ...

    @property
    def dim(self) -> int: ...

    @property
    def element_count(self) -> int: ...

    @property
    def churn_fraction(self) -> float: ...

    @property
    def deleted_fraction(self) -> float: ...

    def __len__(self) -> int: ...

    def live_ids(self) -> IdArray: ...

    def needs_rebuild(self) -> bool: ...

    def vectors(self, ids: np.ndarray) -> npt.NDArray[np.float32]: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: Iterable[int]) -> None: ...

    def rebuild(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def rebuild_concurrently(self, load: Callable[[], tuple[np.ndarray, np.ndarray]]) -> int: ...

    def reconcile(
        self, ids: np.ndarray, load_vectors: Callable[[np.ndarray], np.ndarray],
        allow_rebuild: bool = True,
    ) -> ReconcileReport: ...

    def save(self) -> None: ...

    def search(
        self, query: np.ndarray, k: int, ef: int | None = None,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[IdArray, ScoreArray]: ...


def reconcile_labels(index: AnnIndex, wanted: IdArray, live: set[int], slots: int, dead: int,
                     load_vectors: Callable[[np.ndarray], np.ndarray], allow_rebuild: bool,
                     dim: int) -> ReconcileReport:
    """The reconcile both index kinds share, run under the index's write lock: make the live
    labels equal ``wanted`` (sorted, unique) by adding the missing ones and removing the extra
    ones, or rebuild from ``load_vectors(wanted)`` when that would change more than
    :data:`RECONCILE_REBUILD_FRACTION` of the labels, leave more than
    :data:`REBUILD_CHURN_FRACTION` of ``slots`` dead (``dead`` now, plus one per removal), or
    the index needs a rebuild anyway. ``allow_rebuild`` False always updates in place."""
    wanted_set = set(wanted.tolist())
    missing = np.array(sorted(wanted_set - live), dtype=np.int64)
    extra = sorted(live - wanted_set)
    heavy = len(missing) + len(extra) > RECONCILE_REBUILD_FRACTION * max(len(live), len(wanted), 1)
    churned = dead + len(extra) > REBUILD_CHURN_FRACTION * max(slots, len(wanted), 1)
    if allow_rebuild and (heavy or churned or index.needs_rebuild()):
        index.rebuild(wanted, checked(load_vectors(wanted), len(wanted), dim))
        return ReconcileReport(len(missing), len(extra), len(wanted))
    index.remove(extra)
    if len(missing):
        index.add(missing, checked(load_vectors(missing), len(missing), dim))
    return ReconcileReport(len(missing), len(extra), 0)


def replay(index: AnnIndex, writes: list[tuple[IdArray, npt.NDArray[np.float32] | None]]
           ) -> None:
    """Apply writes recorded during a concurrent rebuild to the new index, in order:
    ``(ids, vectors)`` an add, ``(ids, None)`` a removal."""
    for ids, vectors in writes:
        if vectors is None:
            index.remove(ids)
        else:
            index.add(ids, vectors)


def exact_search(
    vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int
) -> tuple[IdArray, ScoreArray]:
    """Exact cosine top-``k`` of ``query`` against the rows of ``vectors``.

    ``vectors`` is an ``(n, dim)`` float32 matrix of L2-normalised rows and ``ids`` their photo
    ids; the query is normalised here. Returns ``(ids, scores)`` best first, at most ``k`` of
    them. This is the reference for recall and the path for small or filtered candidate sets.
    """
    matrix = np.asarray(vectors, dtype=np.float32)
    labels = np.asarray(ids, dtype=np.int64)
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    if matrix.ndim != 2 or matrix.shape[0] != len(labels):
        raise ValueError(f"vectors {matrix.shape} do not match {len(labels)} ids")
    n = matrix.shape[0]
    if k <= 0 or n == 0:
        return empty_result()
    if matrix.shape[1] != len(q):
        raise ValueError(f"query has dimension {len(q)}, vectors {matrix.shape[1]}")
    norm = float(np.linalg.norm(q))
    if norm > 0:
        q = q / norm
    scores = matrix @ q
    k = min(k, n)
    top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
    top = top[np.argsort(-scores[top], kind="stable")]
    return labels[top], scores[top].astype(np.float32)


def empty_result() -> tuple[IdArray, ScoreArray]:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)


def as_ids(ids: np.ndarray | Iterable[int]) -> IdArray:
    labels = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids))
    if labels.size == 0:
        return np.empty(0, dtype=np.int64)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("ids must be a one-dimensional array of integers")
    labels = labels.astype(np.int64)
    if (labels < 0).any():
        raise ValueError("photo ids must not be negative")
    return labels


def checked(vectors: np.ndarray, n: int, dim: int) -> npt.NDArray[np.float32]:
    vecs = np.ascontiguousarray(vectors, dtype=np.float32)
    if n == 0 and vecs.size == 0:
        return vecs.reshape(0, dim)
    if vecs.shape != (n, dim):
        raise ValueError(f"expected vectors of shape ({n}, {dim}), got {vecs.shape}")
    return vecs


def last_occurrence(
    labels: IdArray, vecs: npt.NDArray[np.float32]
) -> tuple[IdArray, npt.NDArray[np.float32]]:
    """Drop repeated labels, keeping each one's last vector."""
    _, first_in_reversed = np.unique(labels[::-1], return_index=True)
    if len(first_in_reversed) == len(labels):
        return labels, vecs
    keep = np.sort(len(labels) - 1 - first_in_reversed)
    return labels[keep], vecs[keep]


def file_crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as f:
        while block := f.read(CHECKSUM_BLOCK):
            crc = zlib.crc32(block, crc)
    return crc


def fsync_and_checksum(path: Path) -> tuple[int, int]:
    """fsync a file just written by a library; return its size and CRC-32."""
    with path.open("rb+") as f:
        crc = size = 0
        while block := f.read(CHECKSUM_BLOCK):
            crc = zlib.crc32(block, crc)
            size += len(block)
        f.flush()
        os.fsync(f.fileno())
    return size, crc


def temp_path(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    return Path(name)


def remove_stale_temps(path: Path) -> None:
    """Delete temp files that a crashed save left next to ``path``."""
    prefix = path.name + "."
    for stale in path.parent.iterdir():
        if stale.name.startswith(prefix) and stale.name.endswith(".tmp"):
            try:
                stale.unlink()
                logger.info("Removed leftover temp file %s", stale)
            except OSError as exc:
                logger.warning("Could not remove leftover temp file %s: %s", stale, exc)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = temp_path(path)
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); folders cannot be opened for fsync on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

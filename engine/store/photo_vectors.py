"""One model's photo vectors as search reads them: the HNSW index (a cache of the catalog,
reconciled with it on open and saved when it changed), the exact-search matrix of a small
library, and a random sample of the library for the relevance cut-off.

The catalog's ``embeddings`` table is the truth; everything here can be rebuilt from it.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from pathlib import Path

import numpy as np

from engine.store.catalog import Catalog
from engine.store.vector_index import VectorIndex

log = logging.getLogger(__name__)

# Catalog setting (+ model id): when the saved vector index last matched the catalog.
INDEX_SAVED = "index_saved_at:"
# Catalog setting (+ model id): "<vector_changes>:<live vectors>" recorded when the saved index
# was proven to hold exactly the catalog's searchable vectors, so that the next open can skip
# reading and comparing every searchable id (about 9 s at a million photos).
INDEX_MATCHES = "index_matches:"
BACKGROUND_SAMPLE = 512
# The vectors of the last few filters' photos stay in memory until the vectors change: a filter
# serves query after query (at a million photos, reading a folder's 5,000 vectors costs 0.2 s).
SUBSET_CACHE = 2
# Above this many photos a graph that needs rebuilding is rebuilt in the background after the
# open (at a million photos a rebuild takes a quarter of an hour); below it, on the open.
REBUILD_ON_OPEN_LIMIT = 50_000


class VectorSink(ABC):
    """Where vector changes go as photos are written (the CLIP analysis writes into it)."""

    @abstractmethod
    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors for photo ids."""

    @abstractmethod
    def remove(self, ids: list[int]) -> None:
        """Remove photo ids from the index."""


def index_path(home: Path, model_id: str, prefix: str = "") -> Path:
    """Where a model's HNSW file lives under the library folder."""
    return home / "index" / f"{prefix}{slug(model_id)}.hnsw"


def slug(model_id: str) -> str:
    """A model id as a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)[:120]


class PhotoVectors(VectorSink):
    """The vectors of one model, for searching and for the writer to keep current."""

    def __init__(self, catalog: Catalog, index: VectorIndex, model_id: str, dim: int) -> None:
        self.catalog = catalog
        self.index = index
        self.model_id = model_id
        self.dim = dim
        self.dirty = False  # changed since loaded or saved: only then is it written
        # (catalog data_version, ids, vectors) for the exact search of small libraries
        self._exact: tuple[int, np.ndarray, np.ndarray] | None = None
        self._generation = 0  # bumped by every write; a read that spans one is not kept
        self._lock = threading.Lock()
        self._sample: np.ndarray | None = None
        # ids -> (catalog data_version, ids, vectors), most recent last (see vectors_of)
        self._subsets: OrderedDict[tuple[int, ...], tuple[int, np.ndarray, np.ndarray]] = (
            OrderedDict())
        self.rebuilding: threading.Thread | None = None  # a background rebuild, if one started
        # (catalog.vector_changes(), catalog.own_vector_changes) when this index last matched
        # the catalog; this object's own writes keep it matching, anybody else's do not
        self._matched: tuple[int, int] | None = None

    @classmethod
    def open(cls, catalog: Catalog, home: Path, model_id: str, dim: int) -> PhotoVectors:
        """Load the model's index and reconcile it with the catalog (adding what is missing,
        dropping what is gone, refreshing photos changed after its last save)."""
        vindex = VectorIndex.open(index_path(home, model_id), dim)
        matched = (catalog.vector_changes(), catalog.own_vector_changes)  # before the reads
        small_file = len(vindex) <= REBUILD_ON_OPEN_LIMIT
        if _saved_match(catalog, model_id, vindex) and not (small_file and vindex.needs_rebuild()):
            vectors = cls(catalog, vindex, model_id, dim)
            vectors._matched = matched
            if vindex.needs_rebuild():
                vectors.rebuild_in_background()
            return vectors
        ids = catalog.searchable_ids(model_id)
        small = max(len(ids), len(vindex)) <= REBUILD_ON_OPEN_LIMIT
        report = vindex.reconcile(
            ids, lambda missing: catalog.vectors_for_ids(missing, model_id, dim),
            allow_rebuild=small)
        # A photo changed in place after the file's last save (and a crash before the next
        # one) has its label in the file but an old vector: refresh those.
        saved_at = catalog.get_setting(INDEX_SAVED + model_id)
        stale = (catalog.photo_ids_updated_since(saved_at)
                 if saved_at and not report.rebuilt else [])
        if stale:
            stale_ids, stale_vecs = catalog.searchable_vectors(model_id, dim, stale)
            vindex.add(stale_ids, stale_vecs)
        vectors = cls(catalog, vindex, model_id, dim)
        vectors._matched = matched
        if report.added or report.removed or report.rebuilt or stale:
            try:
                vectors.write()
            except OSError:
                log.warning("could not save the vector index", exc_info=True)
        if not small and vindex.needs_rebuild():
            vectors.rebuild_in_background()
        return vectors

    def rebuild_in_background(self) -> threading.Thread:
        """Rebuild the graph from the catalog on a daemon thread while searches and writes
        go on (:meth:`VectorIndex.rebuild_concurrently`), then save it."""

        def work() -> None:
            try:
                ids = self.catalog.searchable_ids(self.model_id)
                self.index.rebuild_concurrently(
                    ids, lambda wanted: self.catalog.vectors_for_ids(wanted, self.model_id,
                                                                     self.dim))
                self.changed()
                self.save()
            except Exception:  # the old graph stays in use; the next open tries again
                log.warning("background rebuild of the vector index failed", exc_info=True)

        thread = threading.Thread(target=work, name="vector-index-rebuild", daemon=True)
        self.rebuilding = thread
        thread.start()
        return thread

    def __len__(self) -> int:
        return len(self.index)

    # -- writes (from the CLIP analysis, after each commit) ---------------------------------

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add(ids, vectors)
        self.changed()

    def remove(self, ids: list[int]) -> None:
        self.index.remove(ids)
        self.changed()

    def changed(self) -> None:
        """Something was written: save later, drop what was derived from the old state."""
        self.dirty = True
        with self._lock:
            self._generation += 1
            self._exact = None
            self._subsets.clear()
        self._sample = None

    def write(self) -> None:
        """Save the index and remember, in the catalog, what it holds: every change committed
        before the save began (photos updated since then are refreshed on the next open)."""
        started = self.catalog.clock()
        self.index.save()
        self.catalog.set_setting(INDEX_SAVED + self.model_id, started)

    def save(self) -> None:
        """Write the index if it changed (searching never writes it)."""
        if not self.dirty:
            return
        self.dirty = False
        try:
            self.write()
        except OSError:
            self.dirty = True
            log.warning("could not save the vector index (it is rebuilt on next open)",
                        exc_info=True)

    def record_match(self) -> None:
        """Record, where it is proven, that the saved index holds exactly the catalog's
        searchable vectors, so the next open skips reading the catalog's ids.

        Call it when every write of this library has reached the index (closing, the end of
        a run). Proven means: the index file is current (nothing changed since it was saved)
        and nobody but this catalog object's transactions changed the catalog's vectors since
        the index last matched it. Otherwise any earlier record is removed.
        """
        if self.catalog.closed:  # a library closed twice
            return
        matched = self._matched
        key = INDEX_MATCHES + self.model_id
        now = self.catalog.vector_changes()
        rebuilding = self.rebuilding is not None and self.rebuilding.is_alive()
        if (not self.dirty and not rebuilding and matched is not None
                and now == matched[0] + self.catalog.own_vector_changes - matched[1]):
            self.catalog.set_setting(key, f"{now}:{len(self.index)}")
        elif self.catalog.get_setting(key) is not None:
            self.catalog.delete_setting(key)

    # -- reads --------------------------------------------------------------------------------

    def exact_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every searchable photo, cached between queries.

        This object's own writes invalidate the cache; the catalog's data_version catches
        commits of another Library or process on the same catalog.
        """
        version = self.catalog.data_version()
        cache = self._exact
        if cache is None or cache[0] != version:
            generation = self._generation
            ids, vecs = self.catalog.searchable_vectors(self.model_id, self.dim)
            cache = (version, ids, vecs)
            with self._lock:  # a write landed meanwhile: use this read once, not again
                if generation == self._generation:
                    self._exact = cache
        return cache[1], cache[2]

    def vectors_of(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of those of ``ids`` that are searchable (a filter's photos), the last
        :data:`SUBSET_CACHE` sets kept between queries like :meth:`exact_vectors`."""
        key = tuple(ids)
        version = self.catalog.data_version()
        with self._lock:
            hit = self._subsets.get(key)
            if hit is not None and hit[0] == version:
                self._subsets.move_to_end(key)
                return hit[1], hit[2]
            generation = self._generation
        found, vecs = self.catalog.searchable_vectors(self.model_id, self.dim, list(key))
        with self._lock:
            if generation == self._generation:
                self._subsets[key] = (version, found, vecs)
                while len(self._subsets) > SUBSET_CACHE:
                    self._subsets.popitem(last=False)
        return found, vecs

    def background_sample(self) -> np.ndarray:
        """Vectors of a random sample of the library (what an unrelated photo looks like to a
        query); drawing it costs a catalog read, so it is kept until the vectors change."""
        sample = self._sample
        if sample is None:
            live = self.index.live_ids()
            if len(live) == 0:
                return np.zeros((0, self.dim), np.float32)
            rng = np.random.default_rng(0)
            picked = live if len(live) <= BACKGROUND_SAMPLE else live[
                rng.choice(len(live), BACKGROUND_SAMPLE, replace=False)]
            _, sample = self.catalog.searchable_vectors(self.model_id, self.dim,
                                                        [int(i) for i in picked])
            self._sample = sample
        return sample


def _saved_match(catalog: Catalog, model_id: str, vindex: VectorIndex) -> bool:
    """Whether ``vindex``, just read from its file, is the index :meth:`PhotoVectors.
    record_match` proved equal to the catalog, with no write to the catalog's vectors since:
    the same count of vector changes, and as many live vectors (a missing, damaged or older
    file holds another number)."""
    saved = catalog.get_setting(INDEX_MATCHES + model_id)
    if not saved:
        return False
    changes, _, count = saved.partition(":")
    try:
        return int(changes) == catalog.vector_changes() and int(count) == len(vindex)
    except ValueError:
        return False


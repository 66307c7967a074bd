"""One model's photo vectors as search reads them: the HNSW index (a cache of the catalog,
reconciled with it on open and saved when it changed), the exact-search matrix of a small
library, and a random sample of the library for the relevance cut-off.

The catalog's ``embeddings`` table is the truth; everything here can be rebuilt from it.

Two index kinds (engine.store.ann_common.AnnIndex): ``hnsw`` (hnswlib, float32 vectors in the
graph: engine.store.vector_index) below :data:`QUANTIZED_THRESHOLD` searchable photos, ``sq8``
(faiss IVF over 4-bit codes re-ranked by 8-bit ones, rescored from a float32 file on disk:
engine.store.quantized_index) from it on. The environment variable ``PHOTOSEARCH_VECTOR_INDEX``
(``hnsw`` or ``sq8``) or :meth:`PhotoVectors.open`'s ``kind`` forces one (tests, benchmarks).
An index saved in the other kind is rebuilt into the wanted one like a churned graph: on the
open for small libraries, in the background for large ones (searches use the old one meanwhile).
"""

from __future__ import annotations

import logging
import os
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from pathlib import Path

import numpy as np

from engine.store import quantized_index
from engine.store.ann_common import AnnIndex
from engine.store.catalog import Catalog
from engine.store.quantized_index import QuantizedIndex
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
# From this many searchable photos the quantized index (sq8) is used, below it hnswlib (searches
# of libraries up to 20,000 photos are exact anyway: search.first_stage). Measured with
# bench/scale.py at 100k (docs/benchmarks.md, "The quantized vector index kind at 100k"): sq8
# kept 136-146 MB less resident and recall@10 0.995 after 10% churn where hnswlib kept 0.987
# to 0.988 (0.975 to 0.996 before churn, build to build), for 0.6 ms more per vector search
# (1.2 against 0.6 ms) and a float file on disk beside the graph; at a million hnswlib's graph
# is 2.3 GB and sq8's 0.75 GB. Those sq8 figures are of its first version, HNSW over 8-bit
# vectors; the inverted lists that replaced it (4-bit codes scanned, re-ranked by 8-bit ones)
# keep 0.64 GB of codes at a million and gave recall@10 1.000 at 100k (1.1 ms, before and
# after churn). Below 100k the memory saved is small, so hnswlib stays there.
# HNSW_BELOW: a library goes back to hnswlib only below 80% of the threshold, so one hovering
# around it does not rebuild back and forth.
QUANTIZED_THRESHOLD = 100_000
HNSW_BELOW = 0.8
VECTOR_INDEX_ENV = "PHOTOSEARCH_VECTOR_INDEX"
HNSW, SQ8 = "hnsw", quantized_index.KIND
KINDS = (HNSW, SQ8)


class VectorSink(ABC):
    """Where vector changes go as photos are written (the CLIP analysis writes into it)."""

    @abstractmethod
    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace vectors for photo ids."""

    @abstractmethod
    def remove(self, ids: list[int]) -> None:
        """Remove photo ids from the index."""


def index_path(home: Path, model_id: str, prefix: str = "", kind: str = HNSW) -> Path:
    """Where a model's index file of ``kind`` (``hnsw`` or ``sq8``) lives under the library
    folder (its sidecar and, for sq8, float files sit beside it)."""
    return home / "index" / f"{prefix}{slug(model_id)}.{kind}"


def kind_of(index: AnnIndex) -> str:
    """The kind of an open index."""
    return SQ8 if isinstance(index, QuantizedIndex) else HNSW


def forced_kind(kind: str | None = None) -> str | None:
    """The kind asked for by ``kind`` or, failing that, :data:`VECTOR_INDEX_ENV`; None where
    the library's size decides. sq8 without faiss falls back to hnsw, with a warning."""
    wanted = kind or os.environ.get(VECTOR_INDEX_ENV, "").strip().lower() or None
    if wanted is not None and wanted not in KINDS:
        log.warning("Ignoring %s=%r (expected one of %s)", VECTOR_INDEX_ENV, wanted, KINDS)
        return None
    if wanted == SQ8 and not quantized_index.available():
        log.warning("The sq8 vector index needs faiss-cpu, which is not installed; using hnsw")
        return HNSW
    return wanted


def wanted_kind(count: int, current: str | None) -> str:
    """The kind a library of ``count`` searchable photos should use, given the kind it has
    (see :data:`QUANTIZED_THRESHOLD`); hnsw where faiss is missing."""
    if not quantized_index.available():
        if count >= QUANTIZED_THRESHOLD:
            log.warning("faiss-cpu is not installed: a library of %d photos keeps the hnswlib "
                        "index (more memory, lower recall)", count)
        return HNSW
    if current == SQ8:
        return SQ8 if count >= HNSW_BELOW * QUANTIZED_THRESHOLD else HNSW
    return SQ8 if count >= QUANTIZED_THRESHOLD else HNSW


def open_index(home: Path, model_id: str, dim: int, kind: str) -> AnnIndex:
    """Open (or start empty) the model's index of ``kind``."""
    if kind == SQ8:
        return QuantizedIndex.open(index_path(home, model_id, kind=SQ8), dim)
    return VectorIndex.open(index_path(home, model_id), dim)


def empty_index(home: Path, model_id: str, dim: int, kind: str) -> AnnIndex:
    """An empty index of ``kind`` bound to the model's path (its save replaces any file)."""
    if kind == SQ8:
        return QuantizedIndex(index_path(home, model_id, kind=SQ8), dim)
    return VectorIndex(index_path(home, model_id), dim)


def saved_kind(home: Path, model_id: str) -> str | None:
    """The kind of the model's saved index: the one whose sidecar was written last (both
    exist only after a crash during a switch), None where neither was saved."""
    stamps = {}
    for kind in KINDS:
        path = index_path(home, model_id, kind=kind)
        sidecar = path.with_name(path.name + ".json")
        try:
            stamps[kind] = sidecar.stat().st_mtime_ns
        except OSError:
            continue
    if not stamps:
        return HNSW if index_path(home, model_id).exists() else None  # an hnsw file alone
    return max(stamps, key=lambda kind: stamps[kind])


def remove_index_files(home: Path, model_id: str, kind: str) -> None:
    """Delete the model's index files of ``kind`` (after the other kind was saved)."""
    path = index_path(home, model_id, kind=kind)
    if not path.parent.is_dir():
        return
    for item in path.parent.iterdir():
        if item.name == path.name or item.name.startswith(path.name + "."):
            try:
                item.unlink()
                log.info("Removed %s (the library now uses another index kind)", item)
            except OSError as exc:  # still mapped (Windows): the next save tries again
                log.debug("Could not remove %s: %s", item, exc)


def slug(model_id: str) -> str:
    """A model id as a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)[:120]


class PhotoVectors(VectorSink):
    """The vectors of one model, for searching and for the writer to keep current."""

    def __init__(self, catalog: Catalog, index: AnnIndex, model_id: str, dim: int,
                 home: Path | None = None) -> None:
        self.catalog = catalog
        self.index = index
        self.home = home  # where the index files live (None: not switched between kinds)
        self.forced: str | None = None  # the kind asked for (open's kind=, the environment)
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
        # writes made while the index is rebuilt into the other kind, replayed on the new one:
        # (ids, vectors) for an upsert, (ids, None) for a removal; None when no switch runs
        self._switch_pending: list[tuple[np.ndarray, np.ndarray | None]] | None = None
        self._write_lock = threading.Lock()  # orders writes against the switch's swap
        # (catalog.vector_changes(), catalog.own_vector_changes) when this index last matched
        # the catalog; this object's own writes keep it matching, anybody else's do not
        self._matched: tuple[int, int] | None = None

    @classmethod
    def open(cls, catalog: Catalog, home: Path, model_id: str, dim: int,
             kind: str | None = None) -> PhotoVectors:
        """Load the model's index and reconcile it with the catalog (adding what is missing,
        dropping what is gone, refreshing photos changed after its last save).

        ``kind`` (or :data:`VECTOR_INDEX_ENV`) forces an index kind; otherwise the library's
        size picks it (:func:`wanted_kind`). An index saved in another kind than the wanted
        one is rebuilt into it: here for small libraries, in the background for large ones.
        """
        forced = forced_kind(kind)
        vindex = open_index(home, model_id, dim, saved_kind(home, model_id) or forced or HNSW)
        matched = (catalog.vector_changes(), catalog.own_vector_changes)  # before the reads
        # the saved index is proven to hold the catalog's vectors: no need to read their ids
        ids = None if _saved_match(catalog, model_id, vindex) else catalog.searchable_ids(
            model_id)
        count = len(vindex) if ids is None else len(ids)
        want = forced or wanted_kind(count, kind_of(vindex) if len(vindex) else None)
        if want != kind_of(vindex) and (max(count, len(vindex)) <= REBUILD_ON_OPEN_LIMIT
                                        or len(vindex) == 0):
            # small, or nothing usable saved: fill the wanted kind now (the reconcile below),
            # from the catalog alone (a file of that kind left beside is obsolete)
            vindex = empty_index(home, model_id, dim, want)
            if ids is None:
                ids = catalog.searchable_ids(model_id)
        small_file = len(vindex) <= REBUILD_ON_OPEN_LIMIT
        if ids is None and not (small_file and vindex.needs_rebuild()):
            vectors = cls(catalog, vindex, model_id, dim, home)
            vectors._matched = matched
            vectors.forced = forced
            vectors._upkeep(want)
            return vectors
        if ids is None:
            ids = catalog.searchable_ids(model_id)
        small = max(len(ids), len(vindex)) <= REBUILD_ON_OPEN_LIMIT
        filled_fresh = len(vindex) == 0  # every vector comes from the catalog now
        report = vindex.reconcile(
            ids, lambda missing: catalog.vectors_for_ids(missing, model_id, dim),
            allow_rebuild=small)
        # A photo changed in place after the file's last save (and a crash before the next
        # one) has its label in the file but an old vector: refresh those.
        saved_at = catalog.get_setting(INDEX_SAVED + model_id)
        stale = (catalog.photo_ids_updated_since(saved_at)
                 if saved_at and not report.rebuilt and not filled_fresh else [])
        if stale:
            stale_ids, stale_vecs = catalog.searchable_vectors(model_id, dim, stale)
            vindex.add(stale_ids, stale_vecs)
        vectors = cls(catalog, vindex, model_id, dim, home)
        vectors._matched = matched
        vectors.forced = forced
        if report.added or report.removed or report.rebuilt or stale:
            try:
                vectors.write()
            except OSError:
                log.warning("could not save the vector index", exc_info=True)
        if not small:
            vectors._upkeep(want)
        return vectors

    def _upkeep(self, want: str) -> None:
        """After opening a large library: rebuild into the wanted kind, or rebuild a graph
        that needs it, in the background."""
        if want != kind_of(self.index):
            self.switch_in_background(want)
        elif self.index.needs_rebuild():
            self.rebuild_in_background()

    def rebuild_in_background(self) -> threading.Thread:
        """Rebuild the graph from the catalog on a daemon thread while searches and writes
        go on (:meth:`VectorIndex.rebuild_concurrently`), then save it."""

        def work() -> None:
            try:
                # ids and vectors in one read, once the index records writes: a photo deleted
                # meanwhile is a replayed removal, not a missing vector
                self.index.rebuild_concurrently(
                    lambda: self.catalog.searchable_vectors(self.model_id, self.dim))
                self.changed()
                self.save()
            except Exception:  # the old graph stays in use; the next open tries again
                log.warning("background rebuild of the vector index failed", exc_info=True)

        thread = threading.Thread(target=work, name="vector-index-rebuild", daemon=True)
        self.rebuilding = thread
        thread.start()
        return thread

    def switch_in_background(self, kind: str) -> threading.Thread:
        """Rebuild the vectors into an index of ``kind`` on a daemon thread, from the catalog,
        while searches use the current index and writes go to both (they are replayed on the
        new one), then use and save the new one; the old kind's files are deleted once the new
        one is saved. The catalog is not touched."""
        home = self.home
        if home is None:
            raise RuntimeError("this PhotoVectors was opened without its library folder")

        def work() -> None:
            try:
                with self._write_lock:
                    self._switch_pending = []
                # one read gives ids and vectors that agree (photos deleted meanwhile are
                # replayed removals); writes from here on are in _switch_pending
                ids, vecs = self.catalog.searchable_vectors(self.model_id, self.dim)
                new = empty_index(home, self.model_id, self.dim, kind)
                new.rebuild(ids, vecs)
                del vecs
                with self._write_lock:
                    for got_ids, got_vecs in self._switch_pending or []:
                        if got_vecs is None:
                            new.remove(got_ids.tolist())
                        else:
                            new.add(got_ids, got_vecs)
                    self._switch_pending = None
                    self.index = new
                log.info("Vector index of %s switched to %s (%d vectors)", self.model_id,
                         kind, len(new))
                self.changed()
                self.save()
            except Exception:  # the old index stays in use; the next open tries again
                log.warning("switching the vector index to %s failed", kind, exc_info=True)
            finally:
                with self._write_lock:
                    self._switch_pending = None

        thread = threading.Thread(target=work, name="vector-index-switch", daemon=True)
        self.rebuilding = thread
        thread.start()
        return thread

    def __len__(self) -> int:
        return len(self.index)

    # -- writes (from the CLIP analysis, after each commit) ---------------------------------

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        with self._write_lock:
            self.index.add(ids, vectors)
            if self._switch_pending is not None:
                self._switch_pending.append((np.array(ids, np.int64), np.array(vectors)))
        self.changed()

    def remove(self, ids: list[int]) -> None:
        with self._write_lock:
            self.index.remove(ids)
            if self._switch_pending is not None:
                self._switch_pending.append((np.array(ids, np.int64), None))
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
        index = self.index
        index.save()
        self.catalog.set_setting(INDEX_SAVED + self.model_id, started)
        if self.home is not None:  # the other kind's files, left by a switch, are obsolete
            for kind in KINDS:
                if kind != kind_of(index):
                    remove_index_files(self.home, self.model_id, kind)

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
            return
        # A long indexing run saves now and then: one that takes the library past the
        # threshold switches kind then, not at the next open.
        want = self.forced or wanted_kind(len(self.index), kind_of(self.index))
        busy = self.rebuilding is not None and self.rebuilding.is_alive()
        if self.home is not None and want != kind_of(self.index) and not busy:
            self.switch_in_background(want)
        elif not busy and len(self.index) > REBUILD_ON_OPEN_LIMIT and self.index.needs_rebuild():
            # and one that grows a large library rebuilds then too: the quantized kind's lists,
            # trained on its first vectors, are retrained (with more of them) each time the
            # library has grown fourfold, rather than serving a million photos from the lists
            # of a hundred thousand until the next open
            self.rebuild_in_background()

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


def _saved_match(catalog: Catalog, model_id: str, vindex: AnnIndex) -> bool:
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


"""The engine's facade: the only module the app and the CLI import (with :mod:`engine.errors`).

    lib = Library.open(model="demo")          # fast: opens SQLite; the model loads lazily
    lib.add_folder(Path("~/Pictures").expanduser())
    lib.index(on_progress=print).result()     # a background Job
    for hit in lib.search("two dogs on a beach at sunset", k=20):
        print(hit.score, hit.path)

A library is a folder (``--home``, ``$PHOTOSEARCH_HOME`` or the platform's data dir) holding the
SQLite catalog (the truth), one HNSW file per model (a rebuildable cache), settings and logs.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from engine import imaging
from engine.captions import LibraryCaptions, hybrid_order, keyword_tiers
from engine.catalog import Catalog
from engine.config import load_settings, resolve_device, resolve_model, save_settings
from engine.encoder import ClipEncoder, check_local_dir, parse_model_spec
from engine.errors import EngineError, InvalidQueryError, LibraryLockedError, PhotoReadError
from engine.indexer import DEFAULT_EXCLUDES, Indexer, VectorSink
from engine.jobs import CancelToken, Job
from engine.paths import default_home
from engine.records import (
    CaptionHit,
    FailedPhoto,
    FolderInfo,
    IndexProgress,
    IndexReport,
    LibraryStatus,
    ModelProgress,
    PhotoDetails,
    SearchFilters,
    SearchHit,
    Settings,
)
from engine.reranker import Candidate, LibraryReranker, bytes_key
from engine.search import combine, parse_query, relevance_cutoff
from engine.vectors import VectorIndex, exact_search
from engine.watcher import Watch, WatchEvent

__all__ = [
    "FailedPhoto", "FolderInfo", "IndexProgress", "IndexReport", "Job", "Library",
    "LibraryStatus", "ModelProgress", "PhotoDetails", "SearchFilters", "SearchHit", "Settings",
    "Watch",
    "WatchEvent", "load_preview", "load_thumbnail", "write_demo_photos", "DEMO_MODEL",
    "CaptionHit",
]

log = logging.getLogger(__name__)

# Catalog setting (+ model id): when the saved vector index last matched the catalog.
_INDEX_SAVED = "index_saved_at:"

# Below this many photos an exact scan is as fast as HNSW and has perfect recall.
EXACT_SEARCH_LIMIT = 20_000
BACKGROUND_SAMPLE = 512


def load_thumbnail(path: Path, size: int) -> Any:
    """An RGB PIL thumbnail (EXIF-oriented) fitting ``size`` x ``size``; raises PhotoReadError."""
    return imaging.make_thumbnail(Path(path), size)


def load_preview(path: Path, max_side: int) -> Any:
    """An RGB PIL image for a preview pane, longest side <= ``max_side``."""
    return imaging.load_preview(Path(path), max_side)


DEMO_MODEL = "demo"


def write_demo_photos(folder: Path, count: int = 200, seed: int = 1234) -> Path:
    """Write ``count`` generated demo photos (the scenes the bundled demo model knows) into
    ``folder`` with their captions in ``folder/dataset.json``; kept if already there.

    Lets a newcomer see PhotoSearch work offline, before any real model is downloaded.
    """
    from engine.demo_data import DemoSplits, write_demo_dataset

    folder = Path(folder).expanduser()
    if not (folder / "dataset.json").is_file():
        write_demo_dataset(folder, DemoSplits(train=0, val=0, test=count, compositional=0),
                           seed=seed)
    return folder


class _WriterLock:
    """One writing process per library; a second one gets a clear message."""

    def __init__(self, home: Path) -> None:
        from filelock import FileLock

        self._path = home / "writer.lock"
        self._lock = FileLock(str(self._path) + ".flock", thread_local=False)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            holder = ""
            with contextlib.suppress(OSError):  # the holder's pid is a courtesy
                holder = f" (process {self._path.read_text().strip()})"
            raise LibraryLockedError(
                f"Another PhotoSearch process{holder} is updating this library right now. "
                "Wait for it to finish (or close it), then try again."
            ) from None
        self._path.write_text(str(os.getpid()))

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()


class _LibrarySink(VectorSink):
    """Routes one indexer's vector changes into the index of the model it embeds with, and
    invalidates the exact-search cache.

    The index is fixed when the indexer is made: should the model setting change during a
    run, the run's vectors still go to its own model's index, never to the new model's.
    """

    def __init__(self, library: Library, vindex: VectorIndex) -> None:
        self.library = library
        self.vindex = vindex

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.vindex.add(ids, vectors)
        self._changed()

    def remove(self, ids: list[int]) -> None:
        self.vindex.remove(ids)
        self._changed()

    def _changed(self) -> None:
        if self.library._vindex is self.vindex:
            self.library._vindex_dirty = True
        self.library._invalidate_exact()


class Library:
    """A photo library: folders, the catalog, the model and its vector index."""

    def __init__(self, home: Path, model: str | None = None, device: str | None = None,
                 matcher: str | None = None) -> None:
        self.home = home
        self._matcher_override = matcher
        home.mkdir(parents=True, exist_ok=True)
        self._settings = load_settings(home)
        self._model_override = model
        self._device_override = device
        self.catalog = Catalog(home / "catalog.db")
        self._writer_lock = _WriterLock(home)
        self._encoder: ClipEncoder | None = None
        self._vindex: VectorIndex | None = None
        self._vindex_dirty = False  # changed since loaded or saved: only then is it written
        self._state_lock = threading.RLock()
        # (catalog data_version, ids, vectors) for the exact search of small libraries
        self._exact_cache: tuple[int, np.ndarray, np.ndarray] | None = None
        self._exact_generation = 0  # bumped by every write; a read that spans one is not kept
        self._exact_lock = threading.Lock()
        self._background_sample: np.ndarray | None = None
        self._index_job: Job[IndexReport, IndexProgress] | None = None
        self._write_mutex = threading.Lock()  # one indexing pass or watch batch at a time
        self._watch: Watch | None = None
        self._reranker = LibraryReranker(self)  # the second stage (engine.reranker)
        self._captions = LibraryCaptions(self)  # captions and keyword search (engine.captions)

    @classmethod
    def open(cls, home: Path | None = None, model: str | None = None,
             device: str | None = None, matcher: str | None = None) -> Library:
        """Open (or create) the library at ``home``; fast, the model loads on first use.

        ``model``, ``device`` and ``matcher`` (the reranking model) override the stored
        settings for this session.
        """
        home = Path(home).expanduser() if home is not None else default_home()
        lib = cls(home, model, device, matcher)
        parse_model_spec(lib.model_spec)  # fail early on a malformed spec
        return lib

    # -- settings and model -------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The stored user settings."""
        return self._settings

    def update_settings(self, **changes: Any) -> Settings:
        """Change and persist settings; a new model or device applies on the next load."""
        new = replace(self._settings, **changes)
        if "model" in changes:
            parse_model_spec(new.model)
        save_settings(self.home, new)
        with self._state_lock:
            self._settings = new
            if "model" in changes and self._model_override is None or "device" in changes:
                self._encoder = None
                self._vindex = None
                self._invalidate_exact()
        return new

    @property
    def model_spec(self) -> str:
        """The model spec in effect (argument, environment, setting or default)."""
        return resolve_model(self._model_override, self._settings)

    @property
    def device_request(self) -> str:
        """The device asked for (auto, cpu, cuda, mps)."""
        return resolve_device(self._device_override, self._settings)

    @property
    def encoder(self) -> ClipEncoder:
        """The model (not necessarily loaded yet)."""
        with self._state_lock:
            if self._encoder is None:
                spec = parse_model_spec(self.model_spec)
                self._encoder = ClipEncoder(spec, self.device_request)
            return self._encoder

    @property
    def model_ready(self) -> bool:
        """Whether the model is loaded and searches can run at once."""
        return self._encoder is not None and self._encoder.loaded and self._vindex is not None

    def load_model(self, on_progress: Callable[[ModelProgress], None] | None = None
                   ) -> Job[str, ModelProgress]:
        """Load torch, the model and its vector index in the background; the result is the
        model's description.

        Weights missing from the Hugging Face cache are downloaded first when the Hub is
        reachable: ``on_progress`` then gets "download" :class:`ModelProgress` values with
        bytes done and total, and ``cancel()`` stops the download within a chunk (the job
        ends with ``Cancelled``; the next load starts the unfinished file again). Offline,
        missing weights fail at once with a ModelUnavailableError whose ``reason`` is
        "offline".
        """

        def work(token: CancelToken, report: Callable[[ModelProgress], None]) -> str:
            report(ModelProgress("load", self.model_spec))
            self._ensure_ready(report)
            return self.encoder.description

        return Job("load-model", work, on_progress).start()

    @staticmethod
    def check_model_folder(path: Path) -> str:
        """The ``local-dir:`` model spec for ``path`` if the folder holds an open_clip model
        (config and weights); raises ModelUnavailableError saying what is missing."""
        spec = parse_model_spec(f"local-dir:{Path(path).expanduser().resolve()}")
        check_local_dir(spec)
        return spec.raw

    def _ensure_ready(self, on_progress: Callable[[ModelProgress], None] | None = None
                      ) -> ClipEncoder:
        encoder = self.encoder.load(on_progress)
        self._vector_index()
        return encoder

    def _vector_index(self) -> VectorIndex:
        with self._state_lock:
            if self._vindex is None:
                encoder = self.encoder.load()
                model_id = encoder.spec.model_id
                path = self.home / "index" / f"{_slug(model_id)}.hnsw"
                vindex = VectorIndex.open(path, encoder.dim)
                ids, _ = self.catalog.searchable_vectors(model_id, encoder.dim)
                report = vindex.reconcile(
                    ids, lambda missing: self.catalog.vectors_for_ids(missing, model_id,
                                                                      encoder.dim))
                # A photo changed in place after the file's last save (and a crash before the
                # next one) has its label in the file but an old vector: refresh those.
                saved_at = self.catalog.get_setting(_INDEX_SAVED + model_id)
                stale = (self.catalog.photo_ids_updated_since(saved_at)
                         if saved_at and not report.rebuilt else [])
                if stale:
                    stale_ids, stale_vecs = self.catalog.searchable_vectors(
                        model_id, encoder.dim, stale)
                    vindex.add(stale_ids, stale_vecs)
                if report.added or report.removed or report.rebuilt or stale:
                    try:
                        self._write_index(vindex, model_id)
                    except OSError:
                        log.warning("could not save the vector index", exc_info=True)
                self._vindex = vindex
                self.catalog.set_setting("last_model", model_id)
            return self._vindex

    def _invalidate_exact(self) -> None:
        with self._exact_lock:
            self._exact_generation += 1
            self._exact_cache = None
        self._background_sample = None

    # -- folders ------------------------------------------------------------------------------

    def add_folder(self, path: Path) -> FolderInfo:
        """Remember a folder to index (and watch); raises EngineError if it does not exist.

        A folder that holds library folders takes them over (their photos are kept).
        """
        folder = Path(path).expanduser().resolve()
        if not folder.is_dir():
            raise EngineError(f"The folder {folder} does not exist or is not a folder.")
        for existing in self.catalog.folder_ids():
            other = Path(existing)
            if folder.is_relative_to(other) and folder != other:
                raise EngineError(f"{folder} is already part of the library (inside {other}).")
        self.catalog.add_folder(folder)
        return next(f for f in self.folders() if f.path == folder)

    def remove_folder(self, path: Path) -> None:
        """Forget a folder and everything learned about its photos (files are not touched)."""
        folder = Path(path).expanduser().resolve()
        gone = [fid for p, fid in self.catalog.folder_ids().items() if Path(p) == folder]
        if not gone:
            raise EngineError(f"{folder} is not a library folder.")
        with self._write_mutex:  # not in the middle of a watch batch
            ids = self.catalog.filtered_ids(SearchFilters(folder=folder))
            self.catalog.remove_folder(folder)
        if self._vindex is not None:
            self._vindex.remove(ids)
            self._vindex_dirty = True
            self._save_index()
        self._invalidate_exact()

    def set_folder_paused(self, path: Path, paused: bool) -> None:
        """Pause or resume indexing and watching of a folder."""
        self.catalog.set_folder_flags(Path(path).expanduser().resolve(), paused=paused)

    def folders(self) -> list[FolderInfo]:
        """The library's folders with their counts."""
        return self.catalog.folders(self.encoder.spec.model_id)

    # -- indexing -----------------------------------------------------------------------------

    def index(self, on_progress: Callable[[IndexProgress], None] | None = None, *,
              retry_failed: bool = False) -> Job[IndexReport, IndexProgress]:
        """Embed new and changed photos of every unpaused folder, in the background.

        Raises LibraryLockedError if another process, or another run of this library, is
        updating it.
        """
        running = self._index_job
        if running is not None and not running.done():
            raise LibraryLockedError(
                "This library is being indexed already. Wait for that run to finish (or cancel "
                "it), then try again."
            )
        self._writer_lock.acquire()

        def work(token: CancelToken, report: Callable[[IndexProgress], None]) -> IndexReport:
            try:
                indexer = self._new_indexer()
                try:
                    with self._write_mutex:  # a running watch waits for this pass
                        result = indexer.run(token, report, retry_failed=retry_failed)
                finally:
                    self._save_index()
                report(IndexProgress("done", result.embedded + result.reused, result.embedded
                                     + result.reused, result.failed, result.reused, 0.0, 0.0))
                return result
            finally:
                self._writer_lock.release()

        job: Job[IndexReport, IndexProgress] = Job("index", work, on_progress)
        self._index_job = job
        return job.start()

    def _new_indexer(self) -> Indexer:
        with self._state_lock:  # the encoder and the index of one model
            encoder = self._ensure_ready()
            vindex = self._vector_index()
        return Indexer(self.catalog, encoder, _LibrarySink(self, vindex),
                       excludes=DEFAULT_EXCLUDES + tuple(self._settings.exclude))

    def watch(self, on_event: Callable[[WatchEvent], None] | None = None) -> Watch:
        """Keep the library current while its folders change, until ``stop()`` or close().

        Returns at once. In the background: the model loads, a catch-up pass indexes what
        changed while nothing watched (searches go on meanwhile), then new, changed, moved and
        deleted photos are handled within seconds; unplugged folders go offline and come back
        without re-embedding. ``on_event`` receives :class:`WatchEvent` s on the watch's thread.
        Raises LibraryLockedError if another process is updating this library, or it is being
        watched already.
        """
        running = self._watch
        if running is not None and running.running:
            raise LibraryLockedError("This library is being watched already.")
        self._writer_lock.acquire()
        try:
            watch = Watch(self.catalog, self._new_indexer, self._save_index, self._write_mutex,
                          self._writer_lock.release, on_event)
            self._watch = watch.start()
        except BaseException:
            self._writer_lock.release()
            raise
        return watch

    def _write_index(self, vindex: VectorIndex, model_id: str) -> None:
        """Save the index and remember, in the catalog, what it holds: every change committed
        before the save began (photos updated since then are refreshed on the next open)."""
        started = self.catalog.clock()
        vindex.save()
        self.catalog.set_setting(_INDEX_SAVED + model_id, started)

    def _save_index(self) -> None:
        """Write the vector index if this library changed it (searching never writes it)."""
        if self._vindex is not None and self._vindex_dirty:
            self._vindex_dirty = False
            try:
                self._write_index(self._vindex, self.encoder.spec.model_id)
            except OSError:
                self._vindex_dirty = True
                log.warning("could not save the vector index (it is rebuilt on next open)",
                            exc_info=True)

    # -- searching ----------------------------------------------------------------------------

    def embed_query(self, query: str) -> np.ndarray:
        """The unit vector a query stands for (text terms, image terms, weights)."""
        encoder = self._ensure_ready()
        terms = parse_query(query, is_image=imaging.is_photo_path)
        vectors: list[np.ndarray] = []
        texts = [t.text for t in terms if t.image is None]
        text_vecs = iter(encoder.encode_texts(texts)) if texts else iter(())
        for term in terms:
            if term.image is not None:
                vectors.append(self._image_vector(term.image))
            else:
                vectors.append(next(text_vecs))
        return combine(vectors, [t.weight for t in terms])

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for plain texts (no query syntax), batched."""
        encoder = self._ensure_ready()
        return np.concatenate([encoder.encode_texts(texts[s:s + 256])
                               for s in range(0, len(texts), 256)]) if texts else np.zeros(
            (0, encoder.dim), np.float32)

    def search_by_vector(self, vector: np.ndarray, k: int = 100,
                         filters: SearchFilters | None = None,
                         cut_off: bool = True) -> list[SearchHit]:
        """Photos nearest to a query vector from :meth:`embed_query` or :meth:`embed_texts`."""
        return self._search_vector(np.asarray(vector, np.float32), k, filters, cut_off)

    def search(self, query: str, k: int = 100, filters: SearchFilters | None = None,
               cut_off: bool = True, rerank: bool | None = None) -> list[SearchHit]:
        """Photos matching a text query (with + / - terms, weights and image paths), best first.

        ``cut_off`` drops the tail of results that score like unrelated photos. Photos whose
        captions or file names hold the query word for word come first (hybrid search).
        ``rerank`` (None: the ``rerank`` setting) reorders the top :attr:`rerank_k` with the
        cross-attention matcher; for results at once and reranked later, call ``search(...,
        rerank=False)`` then :meth:`rerank` on a background thread.
        """
        rerank = self._settings.rerank if rerank is None else rerank
        depth = max(k, self.rerank_k) if rerank else k
        vector = self.embed_query(query)
        hits = self._with_keywords(query, vector, self._search_vector(vector, depth, filters,
                                                                      cut_off), filters)
        if rerank:
            hits = self.rerank(query, hits)
        return hits[:k]

    def rerank(self, query: str, hits: list[SearchHit], k: int | None = None,
               cancel: CancelToken | None = None) -> list[SearchHit]:
        """The second stage: ``hits`` (from :meth:`search`) with the first ``k`` (default
        :attr:`rerank_k`) reordered by the cross-attention matcher, fused with the first stage
        so an exact hit is never buried (:func:`engine.reranker.fuse`). Reranked hits carry
        ``match_probability``. Loads the matcher on first use (ModelUnavailableError when its
        weights are missing); safe to call from a background thread. ``cancel`` stops it early
        (:class:`~engine.errors.Cancelled`; features computed so far stay cached).
        """
        return self._reranker.rerank_hits(query, hits, k, cancel)

    @property
    def matcher_ready(self) -> bool:
        """Whether the reranking model is in memory (a rerank then starts at once)."""
        return self._reranker.stage().matcher.loaded

    def load_matcher(self, on_progress: Callable[[ModelProgress], None] | None = None
                     ) -> Job[str, ModelProgress]:
        """Load (downloading on first use, with byte progress) the reranking model in the
        background, so that no caller waits for it in line with searches; the job's result is
        its description. Cancelling the job stops a download."""

        def work(token: CancelToken, report: Callable[[ModelProgress], None]) -> str:
            report(ModelProgress("load", self.matcher_spec))
            return self._reranker.matcher(on_progress=report).description

        return Job("load-matcher", work, on_progress).start()

    @property
    def rerank_k(self) -> int:
        """How many first-stage results the second stage reorders (setting, else measured
        default for the matcher's device; loads the matcher)."""
        return self._reranker.k()

    @property
    def matcher_spec(self) -> str:
        """The reranking model in effect (argument, $PHOTOSEARCH_MATCHER, setting, default)."""
        return self._reranker.spec

    @property
    def matcher_description(self) -> str:
        """E.g. ``demo on cpu (fp32)`` (loads the matcher)."""
        return self._reranker.matcher().description

    def _with_keywords(self, query: str, vector: np.ndarray, hits: list[SearchHit],
                       filters: SearchFilters | None) -> list[SearchHit]:
        """Hybrid search: add and promote photos whose captions or names hold the query."""
        terms = parse_query(query, is_image=imaging.is_photo_path)
        if len(terms) != 1 or terms[0].image is not None or terms[0].weight <= 0:
            return hits
        tiers = keyword_tiers(self.catalog, terms[0].text)
        if not tiers:
            return hits
        have = {h.photo_id for h in hits}
        extra = [pid for pid in tiers if pid not in have]
        if extra and filters is not None and not filters.is_empty():
            allowed = set(self.catalog.filtered_ids(filters))
            extra = [pid for pid in extra if pid in allowed]
        encoder = self.encoder
        ids, vecs = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim, extra)
        return hybrid_order(hits + self._hits(ids, vecs @ vector), tiers)

    # -- captions -----------------------------------------------------------------------------

    def describe(self, image: Path | bytes, k: int = 10, rerank: bool | None = None,
                 cancel: CancelToken | None = None) -> list[CaptionHit]:
        """The captions that best describe ``image`` (any file, or encoded image bytes), best
        first: the photos' own captions, the user's and the bundled vocabulary's.

        The first call for a model embeds the vocabulary (seconds; :meth:`prepare_captions`
        does it in the background). ``rerank`` (None: the setting) reorders the top
        :attr:`rerank_k` with the matcher; ``cancel`` stops that early (Cancelled).
        """
        self._ensure_ready()
        rerank = self._settings.rerank if rerank is None else rerank
        if isinstance(image, bytes | bytearray):
            data = bytes(image)
            vector = self._bytes_vector(data)
            key = bytes_key(data) if rerank else None

            def load() -> Any:
                from PIL import Image, ImageOps

                with Image.open(io.BytesIO(data)) as im:
                    im.load()
                    return imaging.to_rgb(ImageOps.exif_transpose(im))
        else:
            path = Path(image).expanduser()
            vector = self._image_vector(path)
            key = imaging.content_hash(path.resolve()) if rerank else None

            def load() -> Any:
                return imaging.decode_photo(path.resolve(),
                                            self._reranker.stage().matcher.image_size).image
        depth = max(k, self.rerank_k) if rerank else k
        hits = [CaptionHit(text, score, source, photo_id) for _, score, text, source, photo_id
                in self._captions.search(vector, depth)]
        if rerank:
            hits = self._reranker.rerank_captions(Candidate(key, load), hits, cancel=cancel)
        return hits[:k]

    def prepare_captions(self, on_progress: Callable[[str], None] | None = None
                         ) -> Job[int, str]:
        """Embed the caption vocabulary and new captions for the current model, in the
        background (so the first :meth:`describe` answers at once); returns how many."""

        def work(token: CancelToken, report: Callable[[str], None]) -> int:
            report("embedding captions")
            before = self._captions.store.missing_texts(self._ensure_ready().spec.model_id)
            self._captions.index()
            return len(before)

        return Job("prepare-captions", work, on_progress).start()

    def set_caption(self, photo: int | Path, text: str | None) -> None:
        """Set the user's caption of a library photo (by id or path); None or "" removes it.

        User captions are searchable by words at once and describe images like the others.
        """
        self._captions.set_user_caption(self._photo_id(photo), text)

    def photo_captions(self, photo: int | Path) -> list[CaptionHit]:
        """A photo's own captions (user first, then those read from the file); score 1.0."""
        photo_id = self._photo_id(photo)
        return [CaptionHit(text, 1.0, source, photo_id)
                for text, source, _ in self._captions.store.captions_of(photo_id)]

    def _photo_id(self, photo: int | Path) -> int:
        if isinstance(photo, int):
            return photo
        photo_id = self.catalog.photo_id_for_path(str(Path(photo).expanduser().resolve()))
        if photo_id is None:
            raise EngineError(f"{photo} is not a photo of this library (add its folder and "
                              "index it first).")
        return photo_id

    def similar(self, image: Path | bytes, k: int = 100, filters: SearchFilters | None = None,
                cut_off: bool = True) -> list[SearchHit]:
        """Photos that look like ``image`` (a file anywhere, or encoded image bytes)."""
        self._ensure_ready()
        if isinstance(image, bytes | bytearray):
            vector = self._bytes_vector(bytes(image))
            exclude: set[int] = set()
        else:
            path = Path(image).expanduser()
            vector = self._image_vector(path)
            own = self.catalog.photo_id_for_path(str(path.resolve()))
            exclude = {own} if own is not None else set()
        return self._search_vector(vector, k, filters, cut_off, min_keep=min(k, 3),
                                   exclude=exclude)

    def _image_vector(self, path: Path) -> np.ndarray:
        encoder = self._ensure_ready()
        resolved = path.resolve()
        own = self.catalog.photo_id_for_path(str(resolved))
        if own is not None:
            _, vecs = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim, [own])
            if len(vecs):
                return vecs[0]
        try:
            decoded = imaging.decode_photo(resolved, encoder.image_size)
        except PhotoReadError as exc:
            raise InvalidQueryError(f"Cannot use {path} as a search image: {exc.user_message}.",
                                    details=exc.details) from exc
        return encoder.encode_images([decoded.image])[0]

    def _bytes_vector(self, data: bytes) -> np.ndarray:
        import warnings

        from PIL import Image, ImageOps, UnidentifiedImageError

        too_large = (f"The dropped image is too large to search with (the limit is "
                     f"{imaging.MAX_PIXELS // 1_000_000} megapixels).")
        try:
            with warnings.catch_warnings():
                # The size is checked below, with a message for the user.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                im = Image.open(io.BytesIO(data))
            with im:
                if im.width * im.height > imaging.MAX_PIXELS:
                    raise InvalidQueryError(too_large, details=f"{im.width} x {im.height}")
                im.load()
                img = imaging.to_rgb(ImageOps.exif_transpose(im))
        except Image.DecompressionBombError as exc:
            raise InvalidQueryError(too_large, details=repr(exc)) from exc
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise InvalidQueryError("The dropped data is not an image PhotoSearch can read.",
                                    details=repr(exc)) from exc
        return self.encoder.encode_images([img])[0]

    def _search_vector(self, vector: np.ndarray, k: int, filters: SearchFilters | None,
                       cut_off: bool, min_keep: int = 1,
                       exclude: set[int] | None = None) -> list[SearchHit]:
        encoder = self._ensure_ready()
        vindex = self._vector_index()
        model_id, dim = encoder.spec.model_id, encoder.dim
        n = k + len(exclude or ())
        if filters is not None and not filters.is_empty():
            if filters.folder is not None:  # the catalog holds absolute, resolved paths
                filters = replace(filters, folder=Path(filters.folder).expanduser().resolve())
            allowed = self.catalog.filtered_ids(filters)
            if not allowed:
                return []
            ids, vecs = self.catalog.searchable_vectors(model_id, dim, allowed)
            top_ids, top_scores = exact_search(vecs, ids, vector, n)
        elif len(vindex) <= EXACT_SEARCH_LIMIT:
            ids, vecs = self._exact_vectors()
            top_ids, top_scores = exact_search(vecs, ids, vector, n)
        else:
            top_ids, top_scores = vindex.search(vector, n)
            vecs = None
        if exclude:
            # Drop excluded photos (the query photo itself) before the cut-off: its perfect
            # score must not set the bar for the others.
            keep_mask = ~np.isin(top_ids, np.fromiter(exclude, np.int64, len(exclude)))
            top_ids, top_scores = top_ids[keep_mask][:k], top_scores[keep_mask][:k]
        if cut_off and len(top_scores):
            background = self._background_scores(vector, vecs if vecs is not None else None)
            keep = relevance_cutoff(top_scores, background, min_keep=min_keep)
            top_ids, top_scores = top_ids[:keep], top_scores[:keep]
        return self._hits(top_ids, top_scores)

    def _exact_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        # This library's own writes invalidate the cache through the sink; data_version
        # catches commits of another Library or process on the same catalog.
        version = self.catalog.data_version()
        cache = self._exact_cache
        if cache is None or cache[0] != version:
            encoder = self.encoder
            generation = self._exact_generation
            ids, vecs = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim)
            cache = (version, ids, vecs)
            with self._exact_lock:  # a write landed meanwhile: use this read once, not again
                if generation == self._exact_generation:
                    self._exact_cache = cache
        return cache[1], cache[2]

    def _background_scores(self, vector: np.ndarray, vecs: np.ndarray | None) -> np.ndarray:
        """Scores of a random sample of the library: what an unrelated photo scores.

        With ``vecs`` (the candidates of an exact search) the sample comes from those; else a
        sample of the whole library is kept between queries (drawing it costs a catalog read,
        about as much as the rest of a search at 100k photos) and redrawn after changes.
        """
        rng = np.random.default_rng(0)
        if vecs is not None and len(vecs) > 0:
            if len(vecs) > BACKGROUND_SAMPLE:
                vecs = vecs[rng.choice(len(vecs), BACKGROUND_SAMPLE, replace=False)]
            return vecs @ vector
        sample = self._background_sample
        if sample is None:
            live = self._vector_index().live_ids()
            if len(live) == 0:
                return np.zeros(0, np.float32)
            picked = live if len(live) <= BACKGROUND_SAMPLE else live[
                rng.choice(len(live), BACKGROUND_SAMPLE, replace=False)]
            encoder = self.encoder
            _, sample = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim,
                                                        [int(i) for i in picked])
            self._background_sample = sample
        return sample @ vector

    def _hits(self, ids: np.ndarray, scores: np.ndarray) -> list[SearchHit]:
        rows = self.catalog.photo_rows([int(i) for i in ids])
        hits = []
        for pid, score in zip(ids, scores, strict=True):
            r = rows.get(int(pid))
            if r is None:
                continue  # deleted between search and lookup
            camera = " ".join(x for x in (r[6], r[7]) if x) or None
            hits.append(SearchHit(int(pid), Path(r[1]), float(score), r[5], r[3], r[4], camera,
                                  int(r[2]), bool(r[8])))
        return hits

    # -- inspection ---------------------------------------------------------------------------

    def photo(self, photo_id: int) -> PhotoDetails:
        """Everything known about one photo."""
        details = self.catalog.photo(photo_id)
        if details is None:
            raise EngineError(f"Photo {photo_id} is no longer in the library.")
        return details

    def cameras(self) -> list[str]:
        """Distinct camera names in the library."""
        return self.catalog.cameras()

    def failures(self) -> list[FailedPhoto]:
        """Photos that could not be indexed, with reasons."""
        return self.catalog.failures()

    def status(self) -> LibraryStatus:
        """Counts, model, device and index size."""
        spec = parse_model_spec(self.model_spec)
        counts = self.catalog.counts(spec.model_id)
        encoder = self._encoder
        device = encoder.device if encoder is not None and encoder.loaded else (
            f"{self.device_request} (model not loaded)")
        index_bytes = sum(p.stat().st_size for p in (self.home / "index").glob(
            f"{_slug(spec.model_id)}.hnsw*")) if (self.home / "index").is_dir() else 0
        return LibraryStatus(
            home=self.home, photos=counts["photos"], indexed=counts["indexed"],
            pending=counts["pending"], failed=counts["failed"], offline=counts["offline"],
            model=self.model_spec, device=device, index_bytes=index_bytes,
            folders=self.catalog.folders(spec.model_id), failures=self.catalog.failures(50),
        )

    def close(self) -> None:
        """Stop background work, save the index if it changed and close the catalog."""
        if self._watch is not None:
            self._watch.stop()
        job = self._index_job
        if job is not None and not job.done():
            job.cancel()
            with contextlib.suppress(BaseException):  # cancelled or failed: we are closing
                job.result(timeout=60)
        self._save_index()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _slug(model_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)[:120]

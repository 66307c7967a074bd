"""The engine's facade: the only module the app and the CLI import (with :mod:`engine.errors`).

    lib = Library.open(model="demo")          # fast: opens SQLite; the model loads lazily
    lib.add_folder(Path("~/Pictures").expanduser())
    lib.index(on_progress=print).result()     # a background Job
    for hit in lib.search("two dogs on a beach at sunset", k=20):
        print(hit.score, hit.path)

A library is a folder (``--home``, ``$PHOTOSEARCH_HOME`` or the platform's data dir) holding the
SQLite catalog (the truth), one HNSW file per model (a rebuildable cache), settings and logs.

The facade wires the parts together and delegates: state to :mod:`engine.store`, indexing and
watching to :mod:`engine.ingest` (which runs the analyses of :mod:`engine.analyses`), queries
to :mod:`engine.search`. It holds no pipeline logic of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.analyses.base import AnalysisContext
from engine.analyses.coverage import analysis_coverage
from engine.analyses.registry import AnalysisSet
from engine.api.archive import ArchiveFacade
from engine.api.captions import CaptionsFacade
from engine.api.facts import PhotoFactsFacade
from engine.api.folders import FoldersFacade
from engine.api.models import ModelsFacade
from engine.api.people import PeopleFacade
from engine.errors import (
    EngineError,
    ModelUnavailableError,
    message_language,
    set_message_language,
)
from engine.evaluation.demo_data import write_demo_photos
from engine.ingest.background import BackgroundPasses
from engine.ingest.cluster import ClusterOptions
from engine.ingest.indexer import Indexer
from engine.ingest.runs import LibraryRuns
from engine.ingest.scan import DEFAULT_EXCLUDES
from engine.ingest.watcher import Watch, WatchEvent
from engine.jobs import CancelToken, Job
from engine.media.imaging import load_preview
from engine.media.imaging import make_thumbnail as load_thumbnail
from engine.models.choices import SOURCE as SOURCE_OF_FIGURES
from engine.models.choices import ModelChoice, model_choice, model_choices, recommended_model
from engine.models.clip import parse_model_spec
from engine.models.hub import use_endpoint
from engine.models.language import detect_language, system_language
from engine.models.runtime import edition
from engine.models.session import ModelSession
from engine.records import (
    AnalysisCoverage,
    AnalysisReport,
    CaptionHit,
    CaptureDate,
    DuplicateGroup,
    DuplicatePhoto,
    FailedPhoto,
    FolderInfo,
    IndexProgress,
    IndexReport,
    LibraryStatus,
    ModelProgress,
    Person,
    PhotoDetails,
    PhotoFace,
    PhotoPlace,
    PhotoText,
    PhotoTextLine,
    PlaceCount,
    SearchFilters,
    SearchHit,
    Settings,
    TrashReport,
)
from engine.search.captions import CaptionSearch
from engine.search.pipeline import SearchPipeline
from engine.search.query import Query, Understood
from engine.search.rerank_prepare import PreparationRunner, RerankPreparation
from engine.search.second_stage import Reranker
from engine.store.catalog import Catalog
from engine.store.lock import WriterLock
from engine.store.milvus_vectors import PublishReport, parse_vectors_uri
from engine.store.paths import default_home
from engine.store.photo_vectors import slug
from engine.store.settings import load_settings

__all__ = [
    "AnalysisCoverage", "AnalysisReport", "CaptionHit", "DEMO_MODEL", "DuplicateGroup",
    "DuplicatePhoto", "FailedPhoto", "TrashReport",
    "FolderInfo", "IndexProgress", "IndexReport", "Job", "Library", "LibraryStatus",
    "ModelProgress", "Person", "PhotoDetails", "PhotoFace", "Query", "SearchFilters",
    "SearchHit", "Settings", "Watch", "WatchEvent", "load_preview", "load_thumbnail",
    "load_video_frame", "video_decoders", "write_demo_photos",
    "ClusterOptions", "PublishReport",
    "ModelChoice", "model_choice", "model_choices", "recommended_model",
    "detect_language", "system_language", "SOURCE_OF_FIGURES",
    "CaptureDate", "PhotoPlace", "PhotoText", "PhotoTextLine", "PlaceCount", "Understood",
    "edition", "set_message_language", "message_language",
]

log = logging.getLogger(__name__)

DEMO_MODEL = "demo"


def video_decoders() -> list[str]:
    """The video decoders FFmpeg (through PyAV) has here, of h264, hevc, vp9, av1, mpeg4
    (loading FFmpeg's libraries: the self-test proves a bundle carries them)."""
    from engine.media.video import decoders_available

    return decoders_available()


def load_video_frame(path: Path, time_s: float, size: int) -> Any:
    """A video's frame at ``time_s`` (a hit's best moment) as an RGB PIL image fitting in
    ``size`` x ``size``; raises PhotoReadError (an EngineError) for an unreadable video."""
    from engine.media.video import frame_at  # PyAV loads on the first video shown

    return frame_at(Path(path), time_s, max_side=size).image


class Library(ModelsFacade, FoldersFacade, CaptionsFacade, PhotoFactsFacade, PeopleFacade,
              ArchiveFacade):
    """A photo library: folders, the catalog, the model and its vector index.

    This module holds the core: opening, indexing, watching, searching, status. The rest is in
    the facade's other modules, mixed in here: settings and models (:mod:`engine.api.models`),
    folders and single photos (:mod:`engine.api.folders`), captions
    (:mod:`engine.api.captions`), what the analyses found (:mod:`engine.api.facts`), people
    (:mod:`engine.api.people`) and archives (:mod:`engine.api.archive`).
    """

    def __init__(self, home: Path, model: str | None = None, device: str | None = None,
                 matcher: str | None = None, vectors: str | None = None,
                 hub_endpoint: str | None = None) -> None:
        self.home = home
        self._vectors_override = vectors
        home.mkdir(parents=True, exist_ok=True)
        self._settings = load_settings(home)
        self._model_override = model
        self._device_override = device
        self._matcher_override = matcher
        self._endpoint_override = hub_endpoint
        self._language_override: str | None = None
        use_endpoint(self.hub_endpoint_request)
        self.catalog = Catalog(home / "catalog.db")
        self._model = ModelSession(self.catalog, home, lambda: self.model_spec,
                                   lambda: self.device_request, lambda: self.runtime_request,
                                   lambda: self.query_language)
        # Indexing and watching; the factories are looked up at call time (tests swap them).
        self._reranker = Reranker(self.catalog, home, lambda: self.matcher_spec,
                                  lambda: self.device_request, lambda: self._settings.rerank_k,
                                  lambda: self.encoder)
        # The matcher's features for the most recent photos, while reranking is on: after an
        # indexing run's background passes, and on a thread of its own after a watch's batches.
        self._preparation = RerankPreparation(
            self.catalog, self._reranker,
            lambda: self._settings.rerank_prepare if self._settings.rerank else 0)
        self._preparing = PreparationRunner(self._preparation)
        self._runs = LibraryRuns(self.catalog, WriterLock(home), lambda: self._new_indexer(),
                                 lambda: self._new_background(), self._save_index,
                                 self._preparation.run)
        self._captions = CaptionSearch(self.catalog, home, self._ensure_ready)
        self._search = SearchPipeline(self.catalog, self._ensure_ready, self._photo_vectors,
                                      self._reranker, self._captions,
                                      self._remote_first_stage)

    @classmethod
    def open(cls, home: Path | None = None, model: str | None = None,
             device: str | None = None, matcher: str | None = None,
             vectors: str | None = None, hub_endpoint: str | None = None) -> Library:
        """Open (or create) the library at ``home``; fast, the model loads on first use.

        ``model``, ``device``, ``matcher`` (the reranking model), ``vectors`` (where searches
        find vectors, :attr:`vectors_uri`) and ``hub_endpoint`` (where models are downloaded
        from) override the stored settings for this session.
        """
        home = Path(home).expanduser() if home is not None else default_home()
        lib = cls(home, model, device, matcher, vectors, hub_endpoint)
        parse_model_spec(lib.model_spec)  # fail early on a malformed spec
        parse_vectors_uri(lib.vectors_uri)  # and on a malformed (or credential-holding) URI
        return lib

    def _analyses(self, *, bound: bool) -> AnalysisSet:
        """The registered analyses; ``bound`` ties the CLIP analysis to the loaded model and
        its vector index (for a pass), else to the model spec alone (for status)."""
        with self._model.lock:
            services: dict[str, Any] = {"encoder": self.encoder, "vectors": None}
            if bound:
                services = {"encoder": self._ensure_ready(), "vectors": self._photo_vectors()}
        return AnalysisSet(AnalysisContext(self.catalog, self._settings, self.home, services))

    # -- indexing -----------------------------------------------------------------------------

    def index(self, on_progress: Callable[[IndexProgress], None] | None = None, *,
              retry_failed: bool = False, background: bool = True
              ) -> Job[IndexReport, IndexProgress]:
        """Index new and changed photos of every unpaused folder, in the background: first the
        meaning pass (photos become searchable), then, with ``background``, each background
        analysis's pass over the photos that lack it. Progress names its pass.

        Raises LibraryLockedError if another process, or another run of this library, is
        updating it.
        """
        return self._runs.index(on_progress, retry_failed, background)

    def _new_indexer(self) -> Indexer:
        return Indexer(self.catalog, self._analyses(bound=True).meaning,
                       excludes=DEFAULT_EXCLUDES + tuple(self._settings.exclude))

    def _new_background(self) -> BackgroundPasses:
        return BackgroundPasses(self.catalog, self._analyses(bound=True).background)

    def watch(self, on_event: Callable[[WatchEvent], None] | None = None) -> Watch:
        """Keep the library current while its folders change, until ``stop()`` or close().

        Returns at once. In the background: the model loads, a catch-up pass indexes what
        changed while nothing watched (searches go on meanwhile), then new, changed, moved and
        deleted photos are handled within seconds; unplugged folders go offline and come back
        without re-embedding; background analyses follow each batch. ``on_event`` receives
        :class:`WatchEvent` s on the watch's thread. Raises LibraryLockedError if another
        process is updating this library, or it is being watched already.
        """
        def heard(event: WatchEvent) -> None:
            if event.kind in ("reconciled", "indexed", "moved"):
                self._preparing.request()  # new photos are the most recent ones
            if on_event is not None:
                on_event(event)

        return self._runs.watch(heard)

    def prepare_reranking(self) -> None:
        """Prepare, in the background, the reranking model's image features for the
        ``rerank_prepare`` most recent photos, so that reranking them starts warm (done after
        every indexing run and watched change anyway; call it after turning reranking on).
        Nothing happens while reranking is off, or before the matcher is on this computer."""
        self._preparing.request()

    def reranking_prepared(self) -> tuple[int, int] | None:
        """(prepared, wanted): of the most recent photos :meth:`prepare_reranking` wants, how
        many have their reranking features ready; None while reranking is off or set to
        prepare none. Cheap (an indexed query and a file check per photo); loads no model."""
        try:
            return self._preparation.coverage()
        except EngineError:  # a malformed matcher spec: searching with rerank says why
            return None

    def _save_index(self) -> None:
        """Write the vector index if this library changed it (searching never writes it)."""
        self._model.save()

    # -- searching ----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load now what the first typed search would otherwise wait for: the date parser's
        languages (about 0.7 s). Thread-safe; the app calls it off the GUI thread at start."""
        from engine.search.understand_dates import warm_up

        warm_up()

    def parse(self, query: str, literal: bool = False, keep: tuple[str, ...] = (),
              people: tuple[str, ...] = ()) -> Query:
        """The query value a search would use: dates, places, people and a quoted phrase
        understood (``Query.understood``), unless ``literal``; ``keep``: the ``source`` words of
        chips the user removed, searched as words; ``people``: person filters (names or ids:
        photos of them together)."""
        return self._search.parse(query, literal, keep, people)

    def embed_query(self, query: str | Query) -> np.ndarray:
        """The unit vector a query stands for (text terms, image terms, weights)."""
        self._ensure_ready()
        return self._search.embed(self._search.parse(query))

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
        self._ensure_ready()
        return self._search.first_stage().search(np.asarray(vector, np.float32), k, filters,
                                                 cut_off)

    def search(self, query: str | Query, k: int = 100, filters: SearchFilters | None = None,
               cut_off: bool = True, rerank: bool | None = None) -> list[SearchHit]:
        """Photos matching a text query (with + / - terms, weights and image paths), best first.

        ``cut_off`` drops the tail of results that score like unrelated photos. Photos whose
        captions or file names hold the query word for word come first (hybrid search).
        ``rerank`` (None: the ``rerank`` setting) reorders the top :attr:`rerank_k` with the
        cross-attention matcher; for results at once and reranked later, call ``search(...,
        rerank=False)`` then :meth:`rerank` on a background thread.
        """
        parsed = self._search.parse(query)
        self._ensure_ready()
        return self._search.search(parsed, k, filters, cut_off,
                                   self._settings.rerank if rerank is None else rerank)

    def rerank(self, query: str | Query, hits: list[SearchHit], k: int | None = None,
               cancel: CancelToken | None = None) -> list[SearchHit]:
        """The second stage: ``hits`` (from :meth:`search`) with the first ``k`` (default
        :attr:`rerank_k`) reordered by the cross-attention matcher, fused with the first stage
        so an exact hit is never buried (:func:`engine.search.second_stage.fuse`). Reranked
        hits carry ``match_probability``. Loads the matcher on first use
        (ModelUnavailableError when its weights are missing); safe to call from a background
        thread. ``cancel`` stops it early (:class:`~engine.errors.Cancelled`; features
        computed so far stay cached).
        """
        return self._search.rerank(self._search.parse(query), hits, k, cancel)

    def similar(self, image: Path | bytes, k: int = 100, filters: SearchFilters | None = None,
                cut_off: bool = True, time_s: float | None = None) -> list[SearchHit]:
        """Photos (and videos) that look like ``image`` (a file anywhere, or encoded image
        bytes); for a video, like its frame at ``time_s`` (a hit's best moment)."""
        self._ensure_ready()
        return self._search.similar(image, k, filters, cut_off, time_s)

    def status(self) -> LibraryStatus:
        """Counts, model, device, index size and each analysis's coverage (the catalog's
        figures are cached until the next write: the app asks on every refresh)."""
        try:
            spec = self.encoder.spec  # not parsed again: a local model's id hashes its files
            analyses: AnalysisSet | None = self._analyses(bound=False)
        except ModelUnavailableError:
            # The runtime or device asked for cannot run here (PyTorch in the lean edition):
            # loading says why; the status still gives the counts and names the runtime.
            spec, analyses = parse_model_spec(self.model_spec), None
        counts = self.catalog.counts(spec.model_id)
        encoder = self._model.loaded_encoder
        device = encoder.device if encoder is not None and encoder.loaded else (
            f"{self.device_request} (model not loaded)")
        index_dir = self.home / "index"
        index_bytes = sum(p.stat().st_size for kind in ("hnsw", "sq8") for p in index_dir.glob(
            f"{slug(spec.model_id)}.{kind}*")) if index_dir.is_dir() else 0
        runtime, fidelity = self._runtime_status(encoder)
        if tower := self._reranker.image_tower():
            fidelity["matcher_image"] = tower  # the reranker's image tower, once it is loaded
        return LibraryStatus(
            home=self.home, photos=counts["photos"], indexed=counts["indexed"],
            pending=counts["pending"], failed=counts["failed"], offline=counts["offline"],
            model=self.model_spec, device=device, index_bytes=index_bytes,
            folders=self.catalog.folders(spec.model_id), failures=self.catalog.failures(50),
            analyses=[analysis_coverage(self.catalog, a, a in analyses.enabled())
                      for a in analyses] if analyses is not None else [],
            runtime=runtime, fidelity=fidelity, videos=counts["videos"],
        )

    def close(self) -> None:
        """Stop background work, save the index if it changed and close the catalog."""
        self._preparing.stop()
        self._runs.stop()
        self._save_index()
        self._close_store()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


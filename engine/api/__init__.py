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

Why one module past 500 lines: this is the ``Library`` core that every part's mixin
(captions, facts, people, archive in this package) relies on: opening, settings and the model
session they share, and the search and index entry points. What could stand alone already
does; the next candidate to move out is the settings-and-model section (``update_settings``,
the runtime and endpoint requests), once a second caller needs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.analyses.base import AnalysisContext
from engine.analyses.coverage import analysis_coverage
from engine.analyses.registry import AnalysisSet
from engine.api.archive import ArchiveFacade
from engine.api.captions import CaptionsFacade
from engine.api.facts import PhotoFactsFacade
from engine.api.people import PeopleFacade
from engine.errors import EngineError, ModelUnavailableError
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
from engine.models.clip import check_local_dir, parse_model_spec
from engine.models.hub import check_endpoint, current_endpoint, resolve_endpoint, use_endpoint
from engine.models.language import detect_language, normalise_language, system_language
from engine.models.matcher import matcher_unavailable_reason, resolve_matcher
from engine.models.runtime import edition, fidelity_summary, planned_runtime, resolve_runtime
from engine.models.session import Encoder, ModelSession
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
from engine.search.second_stage import Reranker
from engine.store.catalog import Catalog
from engine.store.lock import WriterLock
from engine.store.milvus_vectors import PublishReport, parse_vectors_uri
from engine.store.paths import default_home
from engine.store.photo_vectors import PhotoVectors, slug
from engine.store.settings import load_settings, resolve_device, resolve_model, save_settings

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
    "edition",
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


class Library(CaptionsFacade, PhotoFactsFacade, PeopleFacade, ArchiveFacade):
    """A photo library: folders, the catalog, the model and its vector index.

    What the analyses found (text, places, dates, duplicates) and people are in the facade's
    other modules (:mod:`engine.api.captions`, :mod:`engine.api.facts`,
    :mod:`engine.api.people`), mixed in here.
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
        self._runs = LibraryRuns(self.catalog, WriterLock(home), lambda: self._new_indexer(),
                                 lambda: self._new_background(), self._save_index)
        self._reranker = Reranker(self.catalog, home, lambda: self.matcher_spec,
                                  lambda: self.device_request, lambda: self._settings.rerank_k,
                                  lambda: self.encoder)
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

    # -- settings and models ------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The stored user settings."""
        return self._settings

    def update_settings(self, **changes: Any) -> Settings:
        """Change and persist settings; a new model or device applies on the next load."""
        new = replace(self._settings, **changes)
        if "model" in changes:
            parse_model_spec(new.model)
        if "vectors" in changes:  # never saves credentials: a URI holding them is refused
            parse_vectors_uri(new.vectors)
            self._close_store()
        if changes.get("hub_endpoint"):
            new = replace(new, hub_endpoint=check_endpoint(new.hub_endpoint))
        if changes.get("query_language"):
            new = replace(new, query_language=normalise_language(new.query_language))
        save_settings(self.home, new)
        if "hub_endpoint" in changes:
            use_endpoint(resolve_endpoint(self._endpoint_override, new.hub_endpoint))
        with self._model.lock:
            self._settings = new
            if ("model" in changes and self._model_override is None or "device" in changes
                    or "runtime" in changes):
                self._model.reset()
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
    def hub_endpoint_request(self) -> str | None:
        """The Hub address asked for (``--hub-endpoint``, ``$HF_ENDPOINT``, the setting), or
        None for huggingface_hub's default."""
        return resolve_endpoint(self._endpoint_override, self._settings.hub_endpoint)

    @property
    def hub_endpoint(self) -> str:
        """The Hub address every model download of this process uses now."""
        return current_endpoint()

    @property
    def query_language(self) -> str | None:
        """The language queries are in, for models that ask for it (NLLB): this session's
        choice (:meth:`set_query_language`), else the ``query_language`` setting; None: each
        query's language is detected."""
        return self._language_override or self._settings.query_language or None

    def set_query_language(self, language: str | None) -> None:
        """Fix the query language for this session (``zh``, ``es``, ``zho_Hant``...); None
        detects it again. Raises EngineError for a language PhotoSearch does not know."""
        self._language_override = normalise_language(language) if language else None

    @property
    def runtime_request(self) -> str:
        """The runtime asked for: $PHOTOSEARCH_RUNTIME, then the setting (auto, torch, onnx)."""
        return resolve_runtime(self._settings.runtime)

    @property
    def encoder(self) -> Encoder:
        """The model (not necessarily loaded yet)."""
        return self._model.encoder

    @property
    def model_ready(self) -> bool:
        """Whether the model is loaded and searches can run at once."""
        return self._model.ready

    def load_model(self, on_progress: Callable[[ModelProgress], None] | None = None
                   ) -> Job[str, ModelProgress]:
        """Load the model (ONNX Runtime on the CPU, exporting it on first use; torch on a GPU)
        and its vector index in the background; the result is the model's description.

        Weights missing from the Hugging Face cache are downloaded first when the Hub is
        reachable: ``on_progress`` then gets "download" :class:`ModelProgress` values with
        bytes done and total, and ``cancel()`` stops the download within a chunk (the job
        ends with ``Cancelled``; the next load starts the unfinished file again). Offline,
        missing weights fail at once with a ModelUnavailableError whose ``reason`` is
        "offline".
        """
        return self._model.load_job(on_progress)

    @staticmethod
    def check_model_folder(path: Path) -> str:
        """The ``local-dir:`` model spec for ``path`` if the folder holds an open_clip model
        (config and weights) or ONNX towers (our export, Immich's layout); raises
        ModelUnavailableError saying what is missing."""
        spec = parse_model_spec(f"local-dir:{Path(path).expanduser().resolve()}")
        from engine.models.onnx_clip import is_onnx_clip_folder

        if spec.local_dir is None or not is_onnx_clip_folder(spec.local_dir):  # ONNX towers
            check_local_dir(spec)
        return spec.raw

    def _ensure_ready(self, on_progress: Callable[[ModelProgress], None] | None = None
                      ) -> Encoder:
        return self._model.ensure_ready(on_progress)

    def _photo_vectors(self) -> PhotoVectors:
        return self._model.vectors()

    def _vector_index(self) -> Any:
        """The current model's HNSW index (for tests and benchmarks)."""
        return self._photo_vectors().index

    def _analyses(self, *, bound: bool) -> AnalysisSet:
        """The registered analyses; ``bound`` ties the CLIP analysis to the loaded model and
        its vector index (for a pass), else to the model spec alone (for status)."""
        with self._model.lock:
            services: dict[str, Any] = {"encoder": self.encoder, "vectors": None}
            if bound:
                services = {"encoder": self._ensure_ready(), "vectors": self._photo_vectors()}
        return AnalysisSet(AnalysisContext(self.catalog, self._settings, self.home, services))

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
        if not any(Path(p) == folder for p in self.catalog.folder_ids()):
            raise EngineError(f"{folder} is not a library folder.")
        with self._runs.write_mutex:  # not in the middle of a watch batch
            ids = self.catalog.filtered_ids(SearchFilters(folder=folder))
            self.catalog.remove_folder(folder)
        vectors = self._model.open_vectors
        if vectors is not None:
            vectors.remove(ids)
            vectors.save()

    def set_folder_paused(self, path: Path, paused: bool) -> None:
        """Pause or resume indexing and watching of a folder."""
        self.catalog.set_folder_flags(Path(path).expanduser().resolve(), paused=paused)

    def folders(self) -> list[FolderInfo]:
        """The library's folders with their counts."""
        return self.catalog.folders(self.encoder.spec.model_id)

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
        return self._runs.watch(on_event)

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

    @property
    def rerank_unavailable(self) -> str | None:
        """Why this installation cannot rerank at all (the lean edition has no PyTorch), in
        the user's words; None where it can (the matcher may still need a download)."""
        return matcher_unavailable_reason()

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
        return resolve_matcher(self._matcher_override, self._settings.matcher, self.model_spec)

    @property
    def matcher_description(self) -> str:
        """E.g. ``demo on cpu (fp32)`` (loads the matcher)."""
        return self._reranker.matcher().description

    def _photo_id(self, photo: int | Path) -> int:
        if isinstance(photo, int):
            return photo
        photo_id = self.catalog.photo_id_for_path(str(Path(photo).expanduser().resolve()))
        if photo_id is None:
            raise EngineError(f"{photo} is not a photo of this library (add its folder and "
                              "index it first).")
        return photo_id

    # -- inspection ---------------------------------------------------------------------------

    def motion_of(self, photo: int | Path) -> Path | None:
        """The motion of a Live Photo or motion photo as a playable video file (the MOV beside
        the still, or the MP4 inside it, copied out once under the library folder); None for
        other photos."""
        from engine.media.motion_photos import motion_of

        path = self.photo(self._photo_id(photo)).path
        try:
            return motion_of(path, self.home / "motion")
        except OSError as exc:
            log.info("no motion for %s: %s", path, exc)
            return None

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
        """Counts, model, device, index size and each analysis's coverage (the catalog's
        figures are cached until the next write: the app asks on every refresh)."""
        spec = self.encoder.spec  # not parsed again: a local model's id hashes its files
        counts = self.catalog.counts(spec.model_id)
        encoder = self._model.loaded_encoder
        device = encoder.device if encoder is not None and encoder.loaded else (
            f"{self.device_request} (model not loaded)")
        index_dir = self.home / "index"
        index_bytes = sum(p.stat().st_size for p in index_dir.glob(
            f"{slug(spec.model_id)}.hnsw*")) if index_dir.is_dir() else 0
        analyses = self._analyses(bound=False)
        runtime, fidelity = self._runtime_status(encoder)
        return LibraryStatus(
            home=self.home, photos=counts["photos"], indexed=counts["indexed"],
            pending=counts["pending"], failed=counts["failed"], offline=counts["offline"],
            model=self.model_spec, device=device, index_bytes=index_bytes,
            folders=self.catalog.folders(spec.model_id), failures=self.catalog.failures(50),
            analyses=[analysis_coverage(self.catalog, a, a in analyses.enabled())
                      for a in analyses],
            runtime=runtime, fidelity=fidelity,
        )

    def close(self) -> None:
        """Stop background work, save the index if it changed and close the catalog."""
        self._runs.stop()
        self._save_index()
        self._close_store()
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runtime (ONNX Runtime or PyTorch) ----------------------------------------------------

    def _runtime_status(self, encoder: Encoder | None) -> tuple[str, dict[str, Any]]:
        """The runtime in use (or planned) and the ONNX export's fidelity figures."""
        if encoder is not None and encoder.loaded:
            return encoder.runtime, dict(encoder.fidelity)
        from engine.models.export import read_manifest
        from engine.models.runtime import onnx_folder_for

        try:
            planned = planned_runtime(self.runtime_request, self.device_request)
        except ModelUnavailableError:  # e.g. runtime torch in the lean edition: loading says why
            return f"{self.runtime_request} (unavailable in the {edition()} edition)", {}
        spec = self.encoder.spec
        if planned != "onnx":
            return planned, {}
        return planned, fidelity_summary(read_manifest(onnx_folder_for(spec)))

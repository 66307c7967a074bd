"""The search pipeline: one path from a parsed query to a ranked result list, shared by the CLI,
the app and evaluation.

    Query (parsed once, dates and places understood)
                         ->  embed: text tower / image tower, weighted sum
                         ->  first stage: nearest photos, filters, relevance cut-off
                         ->  hybrid: full-text matches in captions, file names, the text in
                             photos (OCR) and their places
                         ->  second stage: the matcher reorders the top K (optional)

The facade (:class:`engine.api.Library`) builds one per library and delegates; nothing here
reaches back into it.
"""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from engine.analyses import places as place_names
from engine.analyses import text as photo_text
from engine.errors import InvalidQueryError, PhotoReadError
from engine.i18n import _
from engine.jobs import CancelToken
from engine.media import imaging
from engine.records import CaptionHit, SearchFilters, SearchHit
from engine.search.captions import CaptionSearch, caption_language
from engine.search.first_stage import FirstStage, filtered_ids, to_hits
from engine.search.hybrid import hybrid_order, keyword_tiers
from engine.search.people import PersonUnderstander, photo_ids_with
from engine.search.query import Query, QueryTerm, Understood, combine, parse_query
from engine.search.second_stage import Candidate, Reranker, bytes_key
from engine.search.understand import Understander, understand
from engine.store.catalog import Catalog
from engine.store.photo_vectors import PhotoVectors
from engine.store.video_frames import FrameVectors

log = logging.getLogger(__name__)

# Above this many photos added by their words, the best of them come from a graph search
# filtered to them rather than reading all their vectors from SQLite.
LARGE_KEYWORD_MATCH = 2000


class SearchPipeline:
    """Answers queries over one library. ``encoder`` and ``vectors`` give the loaded model and
    its photo vectors (loading them on first use); the reranker and captions are the
    library's."""

    def __init__(self, catalog: Catalog, encoder: Callable[[], Any],
                 vectors: Callable[[], PhotoVectors], reranker: Reranker,
                 captions: CaptionSearch,
                 remote: Callable[[], FirstStage | None] = lambda: None) -> None:
        self.catalog = catalog
        self._encoder = encoder
        self._vectors = vectors
        self._remote = remote  # a vector store server's first stage, when one is set
        self.reranker = reranker
        self.captions = captions
        self._schemas_ready = False
        self._frames: dict[str, FrameVectors] = {}  # model id -> its video frames, cached
        # Query understanding after dates and places, in order (engine.search.understand).
        self.understanders: list[Understander] = [PersonUnderstander(catalog)]

    def parse(self, query: str | Query, literal: bool = False, keep: tuple[str, ...] = (),
              people: Sequence[str] = ()) -> Query:
        """The query value (a string is parsed here, once, and understood unless
        ``literal``; the words of ``keep``, chips the user removed, stay words); ``people``
        adds person filters (names or ids: photos of them together)."""
        if not isinstance(query, Query):
            parsed = parse_query(query, is_image=imaging.is_photo_path)
            query = parsed if literal else self.understand(parsed, keep=keep)
        if people:
            query = replace(query, people=query.people + tuple(people))
        return query

    def understand(self, query: Query, now: datetime | None = None,
                   keep: tuple[str, ...] = ()) -> Query:
        """Fill the query's slots: a quoted query searches the text in photos only; dates
        and the library's place names in a one-term text query become filters, and only the
        rest of the words go to the text encoder. The words of ``keep`` are not understood
        (each stands in as a placeholder no rule matches while the rest is read)."""
        from engine.search.understand_dates import understand_dates
        from engine.search.understand_places import understand_places

        text = query.keyword_text
        if text is None:
            return query
        if query.raw.strip()[:1] == '"' and query.raw.strip()[-1:] == '"':
            return replace(query, quoted=(text,),
                           understood=(Understood("text", f'"{text}"', query.raw.strip()),))
        self.ensure_schemas()
        try:
            known = place_names.known_names(self.catalog)
        except sqlite3.Error:  # no places table yet
            known = {}
        masked = text
        for n, words in enumerate(w for w in keep if w):
            masked = masked.replace(words, f"\ue000{n}\ue001")
        rest, places, place_chips = understand_places(masked, known)
        rest, after, before, date_chips = understand_dates(rest, now or datetime.now())
        if places or after is not None:
            for n, words in enumerate(w for w in keep if w):
                rest = rest.replace(f"\ue000{n}\ue001", words)
            weight = query.terms[0].weight
            query = replace(query, terms=(QueryTerm(weight, rest),) if rest else (),
                            after=after, before=before, places=tuple(places),
                            understood=(*place_chips, *date_chips))
        # Then the people the library knows, in what is left ("Grace beach 2019").
        return understand(query, self.understanders)

    def ensure_schemas(self) -> None:
        """The tables of the text and places analyses (searching before any pass ran)."""
        if self._schemas_ready:
            return
        try:
            self.catalog.apply_schema("analysis:places", place_names.SCHEMA)
            self.catalog.apply_schema("analysis:text", photo_text.SCHEMA)
        except sqlite3.Error as exc:  # a read-only or busy catalog: searches skip them
            log.debug("could not create the text/places tables: %s", exc)
        self._schemas_ready = True

    # -- vectors --------------------------------------------------------------------------------

    def embed(self, query: Query) -> np.ndarray:
        """The unit vector a query stands for (text terms, image terms, weights)."""
        if not query.terms:
            raise InvalidQueryError(_("The search names only people: there is nothing else "
                                      "to look for (search it to list their photos)."))
        encoder = self._encoder()
        texts = [t.text for t in query.text_terms]
        text_vecs = iter(encoder.encode_texts(texts)) if texts else iter(())
        vectors = [self.image_vector(t.image) if t.image is not None else next(text_vecs)
                   for t in query.terms]
        return combine(vectors, [t.weight for t in query.terms])

    def image_vector(self, path: Path) -> np.ndarray:
        """The vector of an image file: the catalog's when it is a library photo, else
        computed (InvalidQueryError when it cannot be read)."""
        encoder = self._encoder()
        resolved = Path(path).expanduser().resolve()
        own = self.catalog.photo_id_for_path(str(resolved))
        if own is not None:
            _ids, vecs = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim, [own])
            if len(vecs):
                return vecs[0]
        try:
            decoded = imaging.decode_photo(resolved, encoder.image_size)
        except PhotoReadError as exc:
            raise InvalidQueryError(_("Cannot use {path} as a search image: {reason}.").format(
                path=path, reason=exc.user_message),
                                    details=exc.details) from exc
        return encoder.encode_images([decoded.image])[0]

    def frame_vector(self, path: Path, time_s: float) -> np.ndarray:
        """The vector of a video's frame at ``time_s`` (InvalidQueryError when unreadable)."""
        from engine.media.video import frame_at

        encoder = self._encoder()
        try:
            frame = frame_at(Path(path).resolve(), time_s, min_short=encoder.image_size)
        except PhotoReadError as exc:
            raise InvalidQueryError(_("Cannot use {path} as a search image: {reason}.").format(
                path=path, reason=exc.user_message),
                                    details=exc.details) from exc
        return encoder.encode_images([frame.image])[0]

    def bytes_vector(self, data: bytes) -> np.ndarray:
        """The vector of encoded image bytes (a drop or a paste)."""
        return self._encoder().encode_images([decode_image_bytes(data)])[0]

    # -- searching ------------------------------------------------------------------------------

    def first_stage(self) -> FirstStage:
        """The first stage over the current model's vectors (on a server when one is set; a
        server holds photos' vectors only, so videos' frames join on the local stage)."""
        remote = self._remote()
        if remote is not None:
            return remote
        vectors = self._vectors()
        frames = self._frames.get(vectors.model_id)
        if frames is None:
            frames = FrameVectors(self.catalog, vectors.model_id, vectors.dim)
            self._frames = {vectors.model_id: frames}  # the current model's only
        return FirstStage(self.catalog, vectors, frames)

    def search(self, query: Query, k: int, filters: SearchFilters | None, cut_off: bool,
               rerank: bool) -> list[SearchHit]:
        """The whole pipeline for a typed query."""
        filters = with_query_slots(filters, query)
        only = photo_ids_with(self.catalog, query.people) if query.people else None
        if query.quoted:
            return self.quoted(query, k, filters, only)
        if not query.terms:  # only people, a date or a place: the newest photos that match
            return self.listed(only, filters, k) if only is not None else self.listing(
                k, filters)
        depth = max(k, self.reranker.k()) if rerank else k
        vector = self.embed(query)
        hits = self.hybrid(query, vector, self.first_stage().search(
            vector, depth, filters, cut_off, only=only), filters, only, limit=depth)
        if rerank:
            hits = self.rerank(query, hits)
        return hits[:k]

    def similar(self, image: Path | bytes, k: int, filters: SearchFilters | None,
                cut_off: bool, time_s: float | None = None) -> list[SearchHit]:
        """Photos that look like an image file or encoded image bytes (never the image
        itself); for a video, ``time_s`` picks the frame to look like (default: its
        poster)."""
        if isinstance(image, bytes | bytearray):
            vector, exclude = self.bytes_vector(bytes(image)), set()
        else:
            path = Path(image).expanduser()
            vector = (self.frame_vector(path, time_s) if time_s is not None
                      and imaging.is_video_path(path) else self.image_vector(path))
            own = self.catalog.photo_id_for_path(str(path.resolve()))
            exclude = {own} if own is not None else set()
        return self.first_stage().search(vector, k, filters, cut_off, min_keep=min(k, 3),
                                         exclude=exclude)

    def quoted(self, query: Query, k: int, filters: SearchFilters | None,
               only: list[int] | None = None) -> list[SearchHit]:
        """A quoted query: photos whose text (OCR) holds every quoted phrase, best first."""
        self.ensure_schemas()
        ids: list[int] | None = None
        for phrase in query.quoted:
            found = self.text_ids(phrase, True)
            ids = found if ids is None else [i for i in ids if i in set(found)]
        ids = ids or []
        if only is not None:
            ids = [i for i in ids if i in set(only)]
        if filters is not None and not filters.is_empty():
            allowed = set(self.filtered_ids(filters))
            ids = [i for i in ids if i in allowed]
        ids = ids[:k]
        return [replace(h, keyword_match=True, text_match=True)
                for h in to_hits(self.catalog, np.asarray(ids, np.int64),
                                 np.ones(len(ids), np.float32))]

    def listing(self, k: int, filters: SearchFilters | None) -> list[SearchHit]:
        """The newest photos that pass ``filters`` (a query that was all date or place)."""
        ids = np.asarray(self.filtered_ids(filters or SearchFilters()), np.int64)
        order = self.catalog.newest_first()  # cached: not a sort of every passing photo
        newest = order[np.isin(order, ids)][:k]
        return to_hits(self.catalog, newest, np.zeros(len(newest), np.float32))

    def filtered_ids(self, filters: SearchFilters) -> list[int]:
        """Ids of photos passing ``filters``, the place filter included."""
        return filtered_ids(self.catalog, filters)

    def text_ids(self, text: str, phrase: bool) -> list[int]:
        """Photos whose text in the photo holds ``text`` ([] before the text pass ran)."""
        try:
            return photo_text.text_match_ids(self.catalog, text, phrase)
        except sqlite3.Error as exc:
            log.debug("text search for %r failed: %s", text, exc)
            return []

    def listed(self, ids: list[int], filters: SearchFilters | None, k: int
               ) -> list[SearchHit]:
        """Photos among ``ids`` passing ``filters``, newest first (a query of filters only)."""
        if filters is not None and not filters.is_empty():
            allowed = set(self.filtered_ids(filters))
            ids = [i for i in ids if i in allowed]
        hidden = self.catalog.hidden_ids()
        shown = np.asarray([i for i in ids if i not in hidden], np.int64)
        hits = to_hits(self.catalog, shown, np.ones(len(shown), np.float32))
        return sorted(hits, key=lambda h: (h.taken_at or "", h.photo_id), reverse=True)[:k]

    def hybrid(self, query: Query, vector: np.ndarray, hits: list[SearchHit],
               filters: SearchFilters | None,
               only: list[int] | None = None, limit: int | None = None) -> list[SearchHit]:
        """Hybrid search: add and promote photos whose captions, names, text in the photo or
        place hold the query; of the photos it adds, only the ``limit`` that would rank first
        (a common word can match tens of thousands of captions in a large library)."""
        text = query.keyword_text
        if text is None:
            return hits
        self.ensure_schemas()
        tiers = keyword_tiers(self.catalog, text)
        in_text: set[int] = set()
        for tier, phrase in ((2, True), (1, False)):
            for pid in self.text_ids(text, phrase):
                in_text.add(pid)
                tiers[pid] = max(tiers.get(pid, 0), tier)
        try:
            for pid in place_names.name_matches(self.catalog, text):
                tiers.setdefault(pid, 1)
        except sqlite3.Error as exc:
            log.debug("place search for %r failed: %s", text, exc)
        if not tiers:
            return hits
        have = {h.photo_id for h in hits}
        extra = [pid for pid in tiers if pid not in have]
        if extra and filters is not None and not filters.is_empty():
            allowed = set(self.filtered_ids(filters))
            extra = [pid for pid in extra if pid in allowed]
        if only is not None:
            extra = [pid for pid in extra if pid in set(only)]
        vectors = self._vectors()
        if limit is not None and len(extra) > max(limit, LARGE_KEYWORD_MATCH):
            # a common word: the nearest of its photos, each tier apart (phrase matches rank
            # before word matches, hybrid_order below), found inside the graph search
            found = [vectors.index.search(vector, limit, allowed=_mask(
                [p for p in extra if tiers.get(p) == tier])) for tier in (2, 1)]
            ids = np.concatenate([f[0] for f in found])
            scores = np.concatenate([f[1] for f in found])
        else:
            ids, vecs = self.catalog.searchable_vectors(vectors.model_id, vectors.dim, extra)
            scores = vecs @ vector
        ordered = hybrid_order(hits + to_hits(self.catalog, ids, scores), tiers)
        return [replace(h, text_match=True) if h.photo_id in in_text else h for h in ordered]

    def rerank(self, query: Query, hits: list[SearchHit], k: int | None = None,
               cancel: CancelToken | None = None) -> list[SearchHit]:
        """The second stage over ``hits``."""
        return self.reranker.rerank_hits(query, hits, k, cancel)

    # -- captions for an image ------------------------------------------------------------------

    def describe(self, image: Path | bytes, k: int, rerank: bool,
                 cancel: CancelToken | None = None, lang: str | None = None
                 ) -> list[CaptionHit]:
        """The captions that best describe an image, best first; vocabulary captions in
        ``lang`` (None: English). The matchers read English only, so other languages are
        ranked by the dual encoder alone."""
        rerank = rerank and caption_language(lang) == "en"
        if isinstance(image, bytes | bytearray):
            data = bytes(image)
            vector = self.bytes_vector(data)
            key = bytes_key(data) if rerank else None

            def load() -> Any:
                return decode_image_bytes(data)
        else:
            path = Path(image).expanduser()
            vector = self.image_vector(path)
            key = imaging.content_hash(path.resolve()) if rerank else None

            def load() -> Any:
                return imaging.decode_photo(path.resolve(),
                                            self.reranker.stage().matcher.image_size).image
        depth = max(k, self.reranker.k()) if rerank else k
        hits = [CaptionHit(text, score, source, photo_id) for _, score, text, source, photo_id
                in self.captions.search(vector, depth, lang)]
        if rerank:
            hits = self.reranker.rerank_captions(Candidate(key, load), hits, cancel=cancel)
        return hits[:k]


def with_query_slots(filters: SearchFilters | None, query: Query) -> SearchFilters | None:
    """``filters`` narrowed by what the query was understood to say (dates, places)."""
    if query.after is None and query.before is None and not query.places:
        return filters
    base = filters or SearchFilters()
    after = max((d for d in (base.after, query.after) if d is not None), default=None)
    before = min((d for d in (base.before, query.before) if d is not None), default=None)
    return replace(base, after=after, before=before,
                   places=tuple(dict.fromkeys((*base.places, *query.places))))


def decode_image_bytes(data: bytes) -> Any:
    """An RGB PIL image from encoded bytes (EXIF-oriented); InvalidQueryError when they are no
    image or one too large to search with."""
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    too_large = _("The dropped image is too large to search with (the limit is {limit} "
                  "megapixels).").format(limit=imaging.MAX_PIXELS // 1_000_000)
    try:
        with warnings.catch_warnings():
            # The size is checked below, with a message for the user.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
        with im:
            if im.width * im.height > imaging.MAX_PIXELS:
                raise InvalidQueryError(too_large, details=f"{im.width} x {im.height}")
            im.load()
            return imaging.to_rgb(ImageOps.exif_transpose(im))
    except Image.DecompressionBombError as exc:
        raise InvalidQueryError(too_large, details=repr(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InvalidQueryError(_("The dropped data is not an image PhotoSearch can read."),
                                details=repr(exc)) from exc


def _mask(ids: list[int]) -> np.ndarray:
    """A boolean mask indexed by photo id, True for ``ids``."""
    mask = np.zeros(max(ids, default=-1) + 1, bool)
    mask[ids] = True
    return mask

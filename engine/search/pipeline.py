"""The search pipeline: one path from a parsed query to a ranked result list, shared by the CLI,
the app and evaluation.

    Query (parsed once)  ->  embed: text tower / image tower, weighted sum
                         ->  first stage: nearest photos, filters, relevance cut-off
                         ->  hybrid: full-text matches in captions and file names
                         ->  second stage: the matcher reorders the top K (optional)

The facade (:class:`engine.api.Library`) builds one per library and delegates; nothing here
reaches back into it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InvalidQueryError, PhotoReadError
from engine.jobs import CancelToken
from engine.media import imaging
from engine.records import CaptionHit, SearchFilters, SearchHit
from engine.search.captions import CaptionSearch
from engine.search.first_stage import FirstStage, to_hits
from engine.search.hybrid import hybrid_order, keyword_tiers
from engine.search.people import PersonUnderstander, photo_ids_with
from engine.search.query import Query, combine, parse_query
from engine.search.second_stage import Candidate, Reranker, bytes_key
from engine.search.understand import Understander, understand
from engine.store.catalog import Catalog
from engine.store.photo_vectors import PhotoVectors


class SearchPipeline:
    """Answers queries over one library. ``encoder`` and ``vectors`` give the loaded model and
    its photo vectors (loading them on first use); the reranker and captions are the
    library's."""

    def __init__(self, catalog: Catalog, encoder: Callable[[], Any],
                 vectors: Callable[[], PhotoVectors], reranker: Reranker,
                 captions: CaptionSearch) -> None:
        self.catalog = catalog
        self._encoder = encoder
        self._vectors = vectors
        self.reranker = reranker
        self.captions = captions
        # Query understanding, in order; other capabilities (places, dates) append theirs.
        self.understanders: list[Understander] = [PersonUnderstander(catalog)]

    def parse(self, query: str | Query, *, literal: bool = False,
              people: Sequence[str] = ()) -> Query:
        """The query value (a string is parsed here, once, then understood unless
        ``literal``: :mod:`engine.search.understand`); ``people`` adds person filters."""
        if not isinstance(query, Query):
            query = understand(parse_query(query, is_image=imaging.is_photo_path),
                               self.understanders, literal=literal)
        if people:
            query = replace(query, people=query.people + tuple(people))
        return query

    # -- vectors --------------------------------------------------------------------------------

    def embed(self, query: Query) -> np.ndarray:
        """The unit vector a query stands for (text terms, image terms, weights)."""
        if not query.terms:
            raise InvalidQueryError("The search names only people: there is nothing else to "
                                    "look for (search it to list their photos).")
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
            _, vecs = self.catalog.searchable_vectors(encoder.spec.model_id, encoder.dim, [own])
            if len(vecs):
                return vecs[0]
        try:
            decoded = imaging.decode_photo(resolved, encoder.image_size)
        except PhotoReadError as exc:
            raise InvalidQueryError(f"Cannot use {path} as a search image: {exc.user_message}.",
                                    details=exc.details) from exc
        return encoder.encode_images([decoded.image])[0]

    def bytes_vector(self, data: bytes) -> np.ndarray:
        """The vector of encoded image bytes (a drop or a paste)."""
        return self._encoder().encode_images([decode_image_bytes(data)])[0]

    # -- searching ------------------------------------------------------------------------------

    def first_stage(self) -> FirstStage:
        """The first stage over the current model's vectors."""
        return FirstStage(self.catalog, self._vectors())

    def search(self, query: Query, k: int, filters: SearchFilters | None, cut_off: bool,
               rerank: bool) -> list[SearchHit]:
        """The whole pipeline for a typed query."""
        only = photo_ids_with(self.catalog, query.people) if query.people else None
        if only is not None and not query.terms:  # just people: their photos, newest first
            return self.listed(only, filters, k)
        depth = max(k, self.reranker.k()) if rerank else k
        vector = self.embed(query)
        hits = self.hybrid(query, vector, self.first_stage().search(
            vector, depth, filters, cut_off, only=only), filters, only)
        if rerank:
            hits = self.rerank(query, hits)
        return hits[:k]

    def similar(self, image: Path | bytes, k: int, filters: SearchFilters | None,
                cut_off: bool) -> list[SearchHit]:
        """Photos that look like an image file or encoded image bytes (never the image
        itself)."""
        if isinstance(image, bytes | bytearray):
            vector, exclude = self.bytes_vector(bytes(image)), set()
        else:
            path = Path(image).expanduser()
            vector = self.image_vector(path)
            own = self.catalog.photo_id_for_path(str(path.resolve()))
            exclude = {own} if own is not None else set()
        return self.first_stage().search(vector, k, filters, cut_off, min_keep=min(k, 3),
                                         exclude=exclude)

    def listed(self, ids: list[int], filters: SearchFilters | None, k: int
               ) -> list[SearchHit]:
        """Photos among ``ids`` passing ``filters``, newest first (a query of filters only)."""
        if filters is not None and not filters.is_empty():
            allowed = set(self.catalog.filtered_ids(filters))
            ids = [i for i in ids if i in allowed]
        hidden = self.catalog.hidden_ids()
        shown = np.asarray([i for i in ids if i not in hidden], np.int64)
        hits = to_hits(self.catalog, shown, np.ones(len(shown), np.float32))
        return sorted(hits, key=lambda h: (h.taken_at or "", h.photo_id), reverse=True)[:k]

    def hybrid(self, query: Query, vector: np.ndarray, hits: list[SearchHit],
               filters: SearchFilters | None,
               only: list[int] | None = None) -> list[SearchHit]:
        """Hybrid search: add and promote photos whose captions or names hold the query."""
        text = query.keyword_text
        if text is None:
            return hits
        tiers = keyword_tiers(self.catalog, text)
        if not tiers:
            return hits
        have = {h.photo_id for h in hits}
        extra = [pid for pid in tiers if pid not in have]
        if extra and filters is not None and not filters.is_empty():
            allowed = set(self.catalog.filtered_ids(filters))
            extra = [pid for pid in extra if pid in allowed]
        if only is not None:
            extra = [pid for pid in extra if pid in set(only)]
        vectors = self._vectors()
        ids, vecs = self.catalog.searchable_vectors(vectors.model_id, vectors.dim, extra)
        return hybrid_order(hits + to_hits(self.catalog, ids, vecs @ vector), tiers)

    def rerank(self, query: Query, hits: list[SearchHit], k: int | None = None,
               cancel: CancelToken | None = None) -> list[SearchHit]:
        """The second stage over ``hits``."""
        return self.reranker.rerank_hits(query, hits, k, cancel)

    # -- captions for an image ------------------------------------------------------------------

    def describe(self, image: Path | bytes, k: int, rerank: bool,
                 cancel: CancelToken | None = None) -> list[CaptionHit]:
        """The captions that best describe an image, best first."""
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
                in self.captions.search(vector, depth)]
        if rerank:
            hits = self.reranker.rerank_captions(Candidate(key, load), hits, cancel=cancel)
        return hits[:k]


def decode_image_bytes(data: bytes) -> Any:
    """An RGB PIL image from encoded bytes (EXIF-oriented); InvalidQueryError when they are no
    image or one too large to search with."""
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
            return imaging.to_rgb(ImageOps.exif_transpose(im))
    except Image.DecompressionBombError as exc:
        raise InvalidQueryError(too_large, details=repr(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InvalidQueryError("The dropped data is not an image PhotoSearch can read.",
                                details=repr(exc)) from exc

"""The first stage: nearest photos to a query vector, with filters and the relevance cut-off.

Small libraries (and filtered searches) are scanned exactly, which is as fast as HNSW there and
has perfect recall; large ones go through the HNSW index. The cut-off compares each hit with
what a random sample of the library scores for the same query (:mod:`engine.search.cutoff`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.analyses.places import place_ids
from engine.media.formats import poster_time
from engine.records import SearchFilters, SearchHit
from engine.search.cutoff import relevance_cutoff
from engine.store.catalog import Catalog
from engine.store.photo_vectors import BACKGROUND_SAMPLE, PhotoVectors
from engine.store.vector_index import exact_search
from engine.store.video_frames import FrameVectors, durations

# Below this many photos an exact scan is as fast as HNSW and has perfect recall.
EXACT_SEARCH_LIMIT = 20_000
# A filter that keeps at most this many photos is scanned exactly over their vectors (read
# from SQLite once, then kept while the filter serves query after query: PhotoVectors.
# vectors_of); one that keeps more is applied inside the graph search, which then only returns
# photos that pass. The graph search slows as the share it may return shrinks: a folder of
# about 5,000 photos of a million took 0.75-1.7 s per query there (bench/scale.py), against
# 0.2 s to read its vectors once; 8,000 vectors take 1.7 s from hnswlib's get_items.
FILTER_EXACT_LIMIT = 10_000


class FirstStage:
    """Vector search over one model's photo vectors and its video frames: a video that
    matches by a frame comes once, with the score and time of its best frame."""

    def __init__(self, catalog: Catalog, vectors: PhotoVectors,
                 frames: FrameVectors | None = None) -> None:
        self.catalog = catalog
        self.vectors = vectors
        self.frames = frames

    def search(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None,
               cut_off: bool = True, min_keep: int = 1,
               exclude: set[int] | None = None,
               only: list[int] | None = None) -> list[SearchHit]:
        """The ``k`` photos nearest ``vector`` that pass ``filters``, among ``only`` when
        given (a person filter), minus ``exclude``, without the irrelevant tail when
        ``cut_off``."""
        vectors = self.vectors
        n = k + len(exclude or ())
        vecs: np.ndarray | None
        allowed_set: set[int] | None = None
        if only is not None or (filters is not None and not filters.is_empty()):
            allowed = list(only) if only is not None else []
            if filters is not None and not filters.is_empty():
                if filters.folder is not None:  # the catalog holds absolute, resolved paths
                    filters = replace(filters,
                                      folder=Path(filters.folder).expanduser().resolve())
                passing = filtered_ids(self.catalog, filters)
                allowed = passing if only is None else sorted(set(passing) & set(only))
            if not allowed:
                return []
            allowed_set = set(allowed)
            if len(vectors) <= EXACT_SEARCH_LIMIT or len(allowed) <= FILTER_EXACT_LIMIT:
                ids, vecs = vectors.vectors_of(allowed)
                top_ids, top_scores = exact_search(vecs, ids, vector, n)
            else:
                allowed_ids = np.asarray(allowed, np.int64)
                mask = np.zeros(int(allowed_ids.max()) + 1, bool)
                mask[allowed_ids] = True
                top_ids, top_scores = vectors.index.search(vector, n, allowed=mask)
                vecs = None
        elif len(vectors) <= EXACT_SEARCH_LIMIT:
            ids, vecs = vectors.exact_vectors()
            top_ids, top_scores = exact_search(vecs, ids, vector, n)
        else:
            top_ids, top_scores = vectors.index.search(vector, n)
            vecs = None
        moments: dict[int, float] = {}
        if self.frames is not None:
            top_ids, top_scores, moments = self._with_moments(vector, top_ids, top_scores, n,
                                                              allowed_set)
        if exclude:
            # Drop excluded photos (the query photo itself) before the cut-off: its perfect
            # score must not set the bar for the others.
            keep_mask = ~np.isin(top_ids, np.fromiter(exclude, np.int64, len(exclude)))
            top_ids, top_scores = top_ids[keep_mask][:k], top_scores[keep_mask][:k]
        if cut_off and len(top_scores):
            keep = relevance_cutoff(top_scores, self.background_scores(vector, vecs),
                                    min_keep=min_keep)
            top_ids, top_scores = top_ids[:keep], top_scores[:keep]
        return to_hits(self.catalog, top_ids, top_scores, moments)

    def _with_moments(self, vector: np.ndarray, ids: np.ndarray, scores: np.ndarray, n: int,
                      allowed: set[int] | None
                      ) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
        """Merge the videos' best frames into the photo results: a video scores its best of
        poster and frames, once; returns the ``n`` best and the moment (time) of each video
        whose frame won."""
        assert self.frames is not None
        found = self.frames.best_moments(vector, allowed)
        if not found:
            return ids, scores, {}
        merged = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
        moments: dict[int, float] = {}
        for pid, moment in found.items():
            if moment.score > merged.get(pid, -np.inf):
                merged[pid] = moment.score
                moments[pid] = moment.time_s
        order = sorted(merged.items(), key=lambda item: -item[1])[:n]
        return (np.asarray([i for i, _ in order], np.int64),
                np.asarray([s for _, s in order], np.float32), moments)

    def background_scores(self, vector: np.ndarray, vecs: np.ndarray | None) -> np.ndarray:
        """Scores of a random sample of the library: what an unrelated photo scores.

        With ``vecs`` (the candidates of an exact search) the sample comes from those; else
        from the library-wide sample the vectors keep between queries.
        """
        if vecs is not None and len(vecs) > 0:
            if len(vecs) > BACKGROUND_SAMPLE:
                rng = np.random.default_rng(0)
                vecs = vecs[rng.choice(len(vecs), BACKGROUND_SAMPLE, replace=False)]
            return vecs @ vector
        sample = self.vectors.background_sample()
        return sample @ vector if len(sample) else np.zeros(0, np.float32)


def filtered_ids(catalog: Catalog, filters: SearchFilters) -> list[int]:
    """Ids of photos passing ``filters``: the catalog's conditions, then the places (any of
    them)."""
    ids = catalog.filtered_ids(replace(filters, places=()))
    if not filters.places:
        return ids
    try:
        inside = place_ids(catalog, filters.places)
    except sqlite3.Error:  # no places table: nothing is placed yet
        return []
    return [i for i in ids if i in inside]



def to_hits(catalog: Catalog, ids: np.ndarray, scores: np.ndarray,
            moments: dict[int, float] | None = None) -> list[SearchHit]:
    """Search hits for photo ids with their scores, in the given order (photos deleted since
    the search are skipped). Videos say so, with ``moments`` (photo id -> best time) or their
    poster frame's time."""
    rows = catalog.photo_rows([int(i) for i in ids])
    videos = durations(catalog, [int(i) for i in ids])
    hits = []
    for pid, score in zip(ids, scores, strict=True):
        r = rows.get(int(pid))
        if r is None:
            continue
        camera = " ".join(x for x in (r[6], r[7]) if x) or None
        hit = SearchHit(int(pid), Path(r[1]), float(score), r[5], r[3], r[4], camera,
                        int(r[2]), bool(r[8]))
        duration = videos.get(int(pid))
        if duration is not None:
            time_s = (moments or {}).get(int(pid), poster_time(duration))
            hit = replace(hit, kind="video", time_s=round(time_s, 3), duration_s=duration)
        hits.append(hit)
    return hits

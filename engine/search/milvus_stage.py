"""The first stage over a Milvus server: the nearest published photos, filtered inside the
server (folder, dates, camera, places), then the same exclusions and relevance cut-off as the
local first stage (:mod:`engine.search.first_stage`). The catalog turns ids into hits, so a
photo published but since removed from the catalog never shows.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.records import SearchFilters, SearchHit
from engine.search.cutoff import relevance_cutoff
from engine.search.first_stage import FirstStage, to_hits
from engine.store.catalog import Catalog
from engine.store.milvus_vectors import MilvusVectors, filter_expression
from engine.store.photo_vectors import BACKGROUND_SAMPLE


class MilvusFirstStage(FirstStage):
    """Vector search on a Milvus collection; needs no local vector index."""

    def __init__(self, catalog: Catalog, store: MilvusVectors) -> None:
        self.catalog = catalog
        self.store = store

    def search(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None,
               cut_off: bool = True, min_keep: int = 1,
               exclude: set[int] | None = None,
               only: list[int] | None = None) -> list[SearchHit]:
        """As :meth:`FirstStage.search`, with the filters run by the server."""
        n = k + len(exclude or ())
        cameras = None
        if filters is not None and filters.folder is not None:
            filters = replace(filters, folder=Path(filters.folder).expanduser().resolve())
        if filters is not None and filters.camera:
            cameras = camera_names(self.catalog, filters.camera)
        if filter_expression(filters, only, cameras) is None:
            return []
        top_ids, top_scores = self.store.search(vector, n, filters, only, cameras)
        if exclude:
            keep_mask = ~np.isin(top_ids, np.fromiter(exclude, np.int64, len(exclude)))
            top_ids, top_scores = top_ids[keep_mask][:k], top_scores[keep_mask][:k]
        if cut_off and len(top_scores):
            keep = relevance_cutoff(top_scores, self.background_scores(vector, None),
                                    min_keep=min_keep)
            top_ids, top_scores = top_ids[:keep], top_scores[:keep]
        return to_hits(self.catalog, top_ids, top_scores)

    def background_scores(self, vector: np.ndarray, vecs: np.ndarray | None) -> np.ndarray:
        """Scores of a random sample of the published photos (kept by the store)."""
        sample = self.store.background_sample(lambda: sample_ids(self.catalog))
        return sample @ vector if len(sample) else np.zeros(0, np.float32)


def camera_names(catalog: Catalog, camera: str) -> list[str]:
    """The catalog's lower-case "make model" names that the camera filter matches, by the
    catalog's own rule (:meth:`Catalog.filtered_ids`), so both backends agree exactly."""
    rows = catalog._query(
        "SELECT DISTINCT LOWER(COALESCE(camera_make,'') || ' ' || COALESCE(camera_model,'')) "
        "AS c FROM photos WHERE c LIKE ?", (f"%{camera.lower()}%",))
    return sorted(str(r[0]) for r in rows)


def sample_ids(catalog: Catalog, size: int = BACKGROUND_SAMPLE) -> list[int]:
    """A random sample of photo ids (drawn from the id range: no full scan at any size)."""
    low, high = catalog._query("SELECT MIN(id), MAX(id) FROM photos")[0]
    if low is None:
        return []
    rng = np.random.default_rng(0)
    if high - low + 1 <= size * 2:
        return list(range(int(low), int(high) + 1))
    return sorted({int(i) for i in rng.integers(int(low), int(high) + 1, size * 2)})

"""The meaning analysis: each photo's CLIP vector, the heart of search by meaning.

The dual encoder (:class:`engine.models.clip.ClipEncoder`) turns the decoded photo into one
unit vector. Vectors are stored per (content hash, model id) in the catalog's ``embeddings``
table, which is also this analysis's state: its version is the model id, so switching models
makes every photo pending for the new model while the old model's vectors stay (switching back
is instant). After each commit the vectors go to the current model's vector index (a
rebuildable cache, :mod:`engine.store.photo_vectors`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.analyses.base import Analysis, AnalysisContext, Needs, PhotoInput, Written
from engine.analyses.registry import register


@register
class ClipAnalysis(Analysis):
    """Embeds photos with the library's CLIP model."""

    name = "clip"
    title = "meaning"
    stage = "meaning"
    batch_size = 1 << 16  # the pass's batch: the model is fastest on whole batches
    can_disable = False

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        # Bound now: a run's vectors go to the model and index it started with.
        self.encoder = context.service("encoder")
        self.vectors = context.service("vectors")

    @property
    def version(self) -> str:
        return str(self.encoder.spec.model_id)

    def needs(self) -> Needs:
        return Needs(image_side=int(self.encoder.image_size))

    def load(self) -> None:
        self.encoder.load()

    def prepare(self, photo: PhotoInput) -> Any:
        return self.encoder.preprocess(photo.image)

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        if isinstance(prepared[0], np.ndarray):  # the ONNX Runtime encoder's preprocessing
            return list(self.encoder.encode_pixel_batch(np.stack(list(prepared))))
        import torch

        vectors = self.encoder.encode_pixel_batch(torch.stack(list(prepared)))
        return list(vectors)

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        self.catalog.put_embeddings([(content_hash, result)], self.version, conn)

    def record_state(self, conn: sqlite3.Connection, content_hash: str,
                     error: str | None) -> None:
        """The embeddings table is the state (one row per model)."""

    def covered_sql(self) -> tuple[str, list[Any]]:
        return ("SELECT content_hash FROM embeddings INDEXED BY embeddings_present "
                "WHERE model_id = ?"), [self.version]

    def failed_sql(self) -> tuple[str, list[Any]]:
        # A photo this model cannot embed fails as a file (photos.error), not here.
        return "SELECT NULL AS content_hash, NULL AS error WHERE 0", []

    def written(self, photos: Sequence[Written]) -> None:
        known = {w.photo_id: w.result for w in photos if w.result is not None}
        reused = [w.photo_id for w in photos if w.result is None]
        if reused:
            ids = np.asarray(reused, np.int64)
            vecs = self.catalog.vectors_for_ids(ids, self.version, 0)
            known.update(zip(reused, vecs, strict=True))
        if known:
            ids = np.asarray(list(known), np.int64)
            self.vectors.upsert(ids, np.stack([known[int(i)] for i in ids]))

    def removed(self, photo_ids: Sequence[int]) -> None:
        if photo_ids:
            self.vectors.remove(list(photo_ids))

    def restored(self, photo_ids: Sequence[int]) -> None:
        found, vecs = self.catalog.searchable_vectors(self.version, int(self.encoder.dim),
                                                      list(photo_ids))
        if len(found):
            self.vectors.upsert(found, vecs)

    def forget_orphans(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM embeddings WHERE content_hash NOT IN "
                     "(SELECT content_hash FROM photos WHERE content_hash IS NOT NULL)")

    def clear_results(self, conn: sqlite3.Connection) -> None:
        """Vectors are never cleared wholesale: they are the library's meaning."""

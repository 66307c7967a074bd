"""Each photo's nearest neighbours by meaning, stored once so duplicates group in seconds.

Finding near-duplicates and similar shots needs the photos close to each photo by CLIP. Asking
the vector index for every photo's neighbours when the user opens the duplicates view costs
~0.3-0.8 ms a query: 30-80 s for 100k photos on a laptop CPU (bench/duplicates.py). Asked once
per photo, after its vector is computed, the same query is lost next to decoding and embedding
it, and :mod:`engine.search.duplicates` then only reads the stored pairs.

Rows are pairs of *contents* (``content_hash`` -> ``neighbour_hash``) with their cosine, per
model, and only the close ones (cos >= :data:`STORE_MIN_COS`): a pair is stored from the side
of whichever photo came later, which found the earlier one in the index, so together the rows
cover both directions. Rows of a content that left the library go with it
(:meth:`forget_orphans`); rows pointing at a neighbour that left are ignored when read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.analyses.base import Analysis, AnalysisContext, AnalysisFailed, PhotoInput
from engine.analyses.registry import register

K = 16  # neighbours asked for per photo (exact copies of one content take several slots)
STORE_MIN_COS = 0.80  # looser than every duplicates threshold; far pairs are never read

SCHEMA = """
CREATE TABLE photo_neighbours (
    content_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    neighbour_hash TEXT NOT NULL,
    cos REAL NOT NULL,
    PRIMARY KEY (content_hash, model_id, neighbour_hash)
) WITHOUT ROWID;
CREATE INDEX photo_neighbours_model ON photo_neighbours(model_id);
"""


@register
class NeighboursAnalysis(Analysis):
    """Stores each photo's close neighbours in the current model's vector index."""

    name = "neighbours"
    title = "similar photos"
    stage = "background"
    batch_size = 256

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        # Bound now, as the CLIP analysis is: a pass queries the index it started with.
        self.encoder = context.service("encoder")
        self.vectors = context.service("vectors")

    @property
    def version(self) -> str:
        return f"{self.encoder.spec.model_id}#k{K}"

    @property
    def model_id(self) -> str:
        return str(self.encoder.spec.model_id)

    def schema(self) -> list[str]:
        return [SCHEMA]

    def result_tables(self) -> list[str]:
        return ["photo_neighbours"]

    def prepare(self, photo: PhotoInput) -> Any:
        return photo.photo_id, photo.content_hash

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        ids = [int(pid) for pid, _ in prepared]
        dim = int(self.encoder.dim)
        found, vecs = self.catalog.searchable_vectors(self.model_id, dim, ids)
        by_id = {int(i): v for i, v in zip(found, vecs, strict=True)}
        hits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for photo_id in ids:
            vector = by_id.get(photo_id)
            if vector is not None:
                hits[photo_id] = self.vectors.index.search(vector, K + 1)
        hashes = self._hashes(sorted({int(x) for labels, _ in hits.values() for x in labels}))
        out: list[Any] = []
        for photo_id, own_hash in prepared:
            hit = hits.get(int(photo_id))
            if hit is None:
                out.append(AnalysisFailed("its meaning vector is not computed yet"))
                continue
            near: dict[str, float] = {}
            for label, score in zip(*hit, strict=True):
                other = hashes.get(int(label))
                if other is None or other == own_hash or score < STORE_MIN_COS:
                    continue
                near[other] = max(near.get(other, -1.0), float(score))
            out.append(near)
        return out

    def _hashes(self, ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.catalog._query(
                f"SELECT id, content_hash FROM photos WHERE id IN ({','.join('?' * len(chunk))})"
                " AND content_hash IS NOT NULL", chunk)
            out.update({int(r[0]): str(r[1]) for r in rows})
        return out

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        conn.execute("DELETE FROM photo_neighbours WHERE content_hash = ? AND model_id = ?",
                     (content_hash, self.model_id))
        conn.executemany(
            "INSERT INTO photo_neighbours (content_hash, model_id, neighbour_hash, cos) "
            "VALUES (?, ?, ?, ?)",
            [(content_hash, self.model_id, other, cos) for other, cos in result.items()])

"""Image -> captions: every caption's text vector in an HNSW index per model, and the facade's
captions (user captions, describing an image)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.store.captions import CaptionStore
from engine.store.catalog import Catalog
from engine.store.photo_vectors import index_path
from engine.store.vector_index import VectorIndex

log = logging.getLogger(__name__)

EMBED_BATCH = 256


# ---------------------------------------------------------------------------------------------
# The caption vector index


class CaptionIndex:
    """One model's caption vectors in HNSW (labels = caption ids), a cache of the catalog's."""

    def __init__(self, store: CaptionStore, path: Path, model_id: str, dim: int) -> None:
        self.store = store
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.Lock()
        self.index: VectorIndex = VectorIndex.open(path, dim)
        self._synced = False

    def sync(self, embed: Callable[[list[str]], np.ndarray], *, force: bool = False) -> int:
        """Load the vocabulary, embed captions that lack a vector, bring the index in step.

        Returns how many texts were embedded. Cheap when nothing changed.
        """
        with self._lock:
            changed = self.store.sync_vocabulary()
            missing = self.store.missing_texts(self.model_id)
            for start in range(0, len(missing), EMBED_BATCH):
                chunk = missing[start:start + EMBED_BATCH]
                vecs = embed([t for _, t in chunk])
                self.store.put_vectors([(h, v) for (h, _), v in zip(chunk, vecs, strict=True)],
                                       self.model_id)
            ids = self.store.ids_with_vectors(self.model_id)
            in_step = np.array_equal(np.sort(self.index.live_ids()), ids)
            if changed or missing or force or not self._synced or not in_step:
                report = self.index.reconcile(ids, self._vectors_for)
                if report.added or report.removed or report.rebuilt:
                    try:
                        self.index.save()
                    except OSError:
                        log.warning("could not save the caption index", exc_info=True)
                self._synced = True
            return len(missing)

    def _vectors_for(self, ids: np.ndarray) -> np.ndarray:
        got, vecs = self.store.vectors(self.model_id, self.dim, [int(i) for i in ids])
        order = {int(i): n for n, i in enumerate(got)}
        return np.stack([vecs[order[int(i)]] for i in ids]) if len(ids) else vecs

    def mark_stale(self) -> None:
        """Captions changed: the next :meth:`sync` reconciles the index."""
        self._synced = False

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(caption ids, cosine scores), best first."""
        return self.index.search(np.asarray(vector, np.float32), k)



# ---------------------------------------------------------------------------------------------
# The facade's captions


class CaptionSearch:
    """Captions as the library uses them: image -> captions over the current model's caption
    index (built and topped up on first use), and user captions."""

    def __init__(self, catalog: Catalog, home: Path, encoder: Callable[[], Any]) -> None:
        self.store = CaptionStore(catalog)
        self.home = home
        self._encoder = encoder  # the loaded encoder of the current model
        self._index: CaptionIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> CaptionIndex:
        """The current model's caption index, brought up to date (embeds what is missing)."""
        encoder = self._encoder()
        model_id = encoder.spec.model_id
        with self._lock:
            if self._index is None or self._index.model_id != model_id:
                path = index_path(self.home, model_id, prefix="captions-")
                self._index = CaptionIndex(self.store, path, model_id, encoder.dim)
            index = self._index
        index.sync(lambda texts: encoder.encode_texts(texts))
        return index

    def set_user_caption(self, photo_id: int, text: str | None) -> None:
        """Set or clear a photo's user caption."""
        self.store.set_user_caption(photo_id, text)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float, str, str,
                                                                int | None]]:
        """(caption id, score, text, source, photo id) nearest to an image vector, best first,
        one per distinct text (the best-scoring copy)."""
        index = self.index()
        ids, scores = index.search(vector, k)
        rows = self.store.rows(ids)
        out, seen = [], set()
        for cid, score in zip(ids, scores, strict=True):
            row = rows.get(int(cid))
            if row is None:
                continue  # removed since the index was reconciled
            key = row[0].casefold()
            if key in seen:
                continue
            seen.add(key)
            out.append((int(cid), float(score), row[0], row[1], row[2]))
        return out

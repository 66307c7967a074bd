"""Image -> captions: every caption's text vector in an HNSW index per model and vocabulary, and
the facade's captions (user captions, describing an image in the user's language).

Which vocabulary describes an image (:func:`vocabulary_key`): the product vocabulary in the
asked language, except with a bundled demo model, which knows only the demo scenes' shapes,
colours and places: it gets the demo vocabulary in that language (it cannot judge "a tropical
island in the fog", and would put such captions on every demo photo)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import EngineError
from engine.i18n import _
from engine.models.clip import is_demo_model
from engine.store.captions import CAPTION_LANGUAGES, CaptionStore
from engine.store.catalog import Catalog
from engine.store.photo_vectors import index_path
from engine.store.vector_index import VectorIndex

log = logging.getLogger(__name__)

EMBED_BATCH = 256


def caption_language(lang: str | None) -> str:
    """``lang`` as one of :data:`CAPTION_LANGUAGES`: None is English, a locale name counts by
    its language (``zh_CN``, ``zh-Hant``, ``es-MX``, ``ja_JP.UTF-8``); EngineError otherwise."""
    if not lang:
        return "en"
    base = lang.strip().replace("_", "-").split("-")[0].split(".")[0].lower()
    if base not in CAPTION_LANGUAGES:
        raise EngineError(_("There are no captions in '{lang}'. Captions come in "
                            "{languages}; pick one of those.").format(
                              lang=lang, languages=', '.join(CAPTION_LANGUAGES)))
    return base


def vocabulary_key(model_spec: str, lang: str | None) -> str:
    """The vocabulary that describes images for ``model_spec`` in ``lang``: ``demo-<lang>``
    for a demo model, else the product vocabulary ``<lang>``."""
    lang = caption_language(lang)
    return f"demo-{lang}" if is_demo_model(model_spec) else lang


# ---------------------------------------------------------------------------------------------
# The caption vector index


class CaptionIndex:
    """One model's caption vectors in HNSW (labels = caption ids), a cache of the catalog's:
    photo and user captions and one vocabulary's (``key``)."""

    def __init__(self, store: CaptionStore, path: Path, model_id: str, dim: int,
                 key: str = "en") -> None:
        self.store = store
        self.model_id = model_id
        self.key = key
        self.dim = dim
        self._lock = threading.Lock()
        self.index: VectorIndex = VectorIndex.open(path, dim)
        self._synced = False

    def sync(self, embed: Callable[[list[str]], np.ndarray], *, force: bool = False) -> int:
        """Load the vocabulary, embed captions that lack a vector, bring the index in step.

        Returns how many texts were embedded. Cheap when nothing changed.
        """
        with self._lock:
            changed = self.store.sync_vocabulary(key=self.key)
            missing = self.store.missing_texts(self.model_id, self.key)
            for start in range(0, len(missing), EMBED_BATCH):
                chunk = missing[start:start + EMBED_BATCH]
                vecs = embed([t for _, t in chunk])
                self.store.put_vectors([(h, v) for (h, _), v in zip(chunk, vecs, strict=True)],
                                       self.model_id)
            ids = self.store.ids_with_vectors(self.model_id, self.key)
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
        self._indexes: dict[str, CaptionIndex] = {}  # by vocabulary key, current model only
        self._lock = threading.Lock()

    def index(self, lang: str | None = None) -> CaptionIndex:
        """The current model's caption index for ``lang`` (None: English), brought up to date
        (embeds what is missing)."""
        encoder = self._encoder()
        model_id = encoder.spec.model_id
        key = vocabulary_key(encoder.spec.raw, lang)
        with self._lock:
            index = self._indexes.get(key)
            if index is None or index.model_id != model_id:
                if any(i.model_id != model_id for i in self._indexes.values()):
                    self._indexes.clear()
                prefix = "captions-" if key == "en" else f"captions-{key}-"
                path = index_path(self.home, model_id, prefix=prefix)
                index = self._indexes[key] = CaptionIndex(self.store, path, model_id,
                                                          encoder.dim, key)
        index.sync(lambda texts: encoder.encode_texts(texts))
        return index

    def mark_stale(self) -> None:
        """Photo or user captions changed: every index reconciles on its next use."""
        with self._lock:
            for index in self._indexes.values():
                index.mark_stale()

    def set_user_caption(self, photo_id: int, text: str | None) -> None:
        """Set or clear a photo's user caption."""
        self.store.set_user_caption(photo_id, text)

    def search(self, vector: np.ndarray, k: int, lang: str | None = None
               ) -> list[tuple[int, float, str, str, int | None]]:
        """(caption id, score, text, source, photo id) nearest to an image vector, best first,
        one per distinct text (the best-scoring copy); vocabulary captions in ``lang``."""
        index = self.index(lang)
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

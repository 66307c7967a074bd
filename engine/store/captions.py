"""The caption corpus: photo captions, user captions and the bundled vocabulary.

Captions live in the catalog (``captions``: photo id or NULL, text, source, origin) with a
full-text index (``caption_fts``, FTS5, photo captions only) next to one over file names
(``photo_name_fts``); both are kept in step by triggers (catalog migration 2).

* ``photo`` captions come from the files (:mod:`engine.media.caption_sources`), written by the
  indexer's single writer (:func:`store_photo_captions`) whenever a photo is (re)indexed;
* ``user`` captions are typed by the user (``photosearch caption``, :meth:`CaptionStore.
  set_user_caption`); they survive re-indexing and follow a moved file;
* ``vocabulary`` captions are the lines of a bundled vocabulary, loaded on first use and
  reloaded when the file changes. Each vocabulary has a key (:data:`VOCABULARIES`): the product
  vocabulary per language (``en`` is ``resources/captions/vocabulary.txt``; ``zh``, ``es`` and
  ``ja`` are ``vocabulary.<lang>.txt``) and the demo vocabulary of shapes, colours and places per
  language (``demo-en`` ... ``demo-ja``, ``demo-vocabulary.<lang>.txt``), which is all the
  bundled demo models can judge. A vocabulary's rows carry its key in ``origin``
  (``vocabulary`` for ``en``, as before, ``vocabulary:<key>`` for the others).

Image -> captions: every caption's text is embedded by the dual encoder (vectors stored in
``caption_embeddings`` by (text hash, model id), so a rebuild never re-embeds) and searched in
its own HNSW index per model (:class:`engine.search.captions.CaptionIndex`, whose labels are
caption ids). Text -> photos over the full-text indexes is :mod:`engine.search.hybrid`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.errors import EngineError
from engine.i18n import _
from engine.media.caption_sources import PhotoCaption, clean_caption
from engine.store.catalog import chunks, vectors_from_rows
from engine.store.paths import resources_dir

if TYPE_CHECKING:
    import sqlite3

    from engine.store.catalog import Catalog

log = logging.getLogger(__name__)

SOURCES = ("photo", "user", "vocabulary")
VOCABULARY_SETTING = "caption_vocabulary_hash"
CAPTION_LANGUAGES = ("en", "zh", "es", "ja")
VOCABULARIES = (*CAPTION_LANGUAGES, *(f"demo-{lang}" for lang in CAPTION_LANGUAGES))


def vocabulary_path(key: str = "en") -> Path:
    """The bundled vocabulary file of ``key`` (see :data:`VOCABULARIES`)."""
    folder = resources_dir() / "captions"
    if key == "en":
        return folder / "vocabulary.txt"
    if key.startswith("demo-"):
        return folder / f"demo-vocabulary.{key[len('demo-'):]}.txt"
    return folder / f"vocabulary.{key}.txt"


def vocabulary_origin(key: str) -> str:
    """The ``origin`` of a vocabulary's caption rows."""
    return "vocabulary" if key == "en" else f"vocabulary:{key}"


def _hash_setting(key: str) -> str:
    return VOCABULARY_SETTING if key == "en" else f"{VOCABULARY_SETTING}:{key}"


# Rows a caption index of vocabulary ``?`` holds: every photo and user caption, and that
# vocabulary's lines (never another language's).
_IN_SET = "(c.source != 'vocabulary' OR c.origin = ?)"


def load_vocabulary(path: Path | None = None) -> list[str]:
    """The vocabulary's captions (one per line; blank lines and ``#`` comments skipped)."""
    path = path or vocabulary_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("the caption vocabulary %s is missing", path)
        return []
    out, seen = [], set()
    for line in lines:
        text = clean_caption(line)
        if text and not line.lstrip().startswith("#") and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def text_hash(text: str) -> str:
    """The key of a caption's vector: identical texts share one."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Writing


def store_photo_captions(conn: sqlite3.Connection, photo_id: int,
                         captions: Sequence[PhotoCaption]) -> None:
    """Replace a photo's ``photo`` captions (inside the writer's transaction); user captions
    stay."""
    conn.execute("DELETE FROM captions WHERE photo_id = ? AND source = 'photo'", (photo_id,))
    now = _now()
    conn.executemany(
        "INSERT INTO captions(photo_id, text, text_hash, source, origin, created_at) "
        "VALUES (?, ?, ?, 'photo', ?, ?)",
        [(photo_id, c.text, text_hash(c.text), c.origin, now) for c in captions])


class CaptionStore:
    """Caption rows, their vectors and the keyword index, over one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- writes -------------------------------------------------------------------------------

    def set_user_caption(self, photo_id: int, text: str | None) -> None:
        """Set (or with None / "" remove) the user's caption of a photo."""
        cleaned = clean_caption(text) if text else None
        if text and not cleaned:
            raise EngineError(_("The caption is empty or not readable text."))
        with self.catalog.transaction() as c:
            if c.execute("SELECT 1 FROM photos WHERE id = ?", (photo_id,)).fetchone() is None:
                raise EngineError(_("Photo {photo_id} is no longer in the library.").format(
                                      photo_id=photo_id))
            c.execute("DELETE FROM captions WHERE photo_id = ? AND source = 'user'", (photo_id,))
            if cleaned:
                c.execute("INSERT INTO captions(photo_id, text, text_hash, source, origin, "
                          "created_at) VALUES (?, ?, ?, 'user', 'user', ?)",
                          (photo_id, cleaned, text_hash(cleaned), _now()))

    def replace_photo_captions(self, photo_id: int, captions: Sequence[PhotoCaption]) -> None:
        """Replace a photo's ``photo`` captions in a transaction of its own."""
        with self.catalog.transaction() as c:
            store_photo_captions(c, photo_id, captions)

    def sync_vocabulary(self, lines: list[str] | None = None, key: str = "en") -> bool:
        """Load the bundled vocabulary ``key`` if it changed since last time; True if it did.
        Other vocabularies' rows stay."""
        lines = load_vocabulary(vocabulary_path(key)) if lines is None else lines
        digest = hashlib.blake2b("\n".join(lines).encode("utf-8"), digest_size=12).hexdigest()
        setting = _hash_setting(key)
        if self.catalog.get_setting(setting) == digest:
            return False
        now = _now()
        origin = vocabulary_origin(key)
        with self.catalog.transaction() as c:
            c.execute("DELETE FROM captions WHERE source = 'vocabulary' AND origin = ?",
                      (origin,))
            c.executemany(
                "INSERT INTO captions(photo_id, text, text_hash, source, origin, created_at) "
                "VALUES (NULL, ?, ?, 'vocabulary', ?, ?)",
                [(t, text_hash(t), origin, now) for t in lines])
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                      "UPDATE SET value = excluded.value", (setting, digest))
        log.info("loaded %d vocabulary captions (%s)", len(lines), key)
        return True

    # -- reads --------------------------------------------------------------------------------

    def captions_of(self, photo_id: int) -> list[tuple[str, str, str | None]]:
        """(text, source, origin) of a photo's captions, user captions first."""
        rows = self.catalog._query(
            "SELECT text, source, origin FROM captions WHERE photo_id = ? "
            "ORDER BY source = 'photo', id", (photo_id,))
        return [(r[0], r[1], r[2]) for r in rows]

    def rows(self, ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
        """caption id -> (text, source, photo id)."""
        out: dict[int, tuple[str, str, int | None]] = {}
        ids = [int(i) for i in ids]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in self.catalog._query(
                    f"SELECT id, text, source, photo_id FROM captions WHERE id IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                out[int(r[0])] = (r[1], r[2], r[3])
        return out

    def count(self) -> dict[str, int]:
        """Captions per source."""
        rows = self.catalog._query("SELECT source, COUNT(*) FROM captions GROUP BY source")
        return {s: 0 for s in SOURCES} | {r[0]: int(r[1]) for r in rows}

    def missing_texts(self, model_id: str, key: str = "en") -> list[tuple[str, str]]:
        """(text hash, text) of captions without a vector from ``model_id`` (photo and user
        captions, and vocabulary ``key``'s)."""
        rows = self.catalog._query(
            "SELECT c.text_hash, MIN(c.text) FROM captions c LEFT JOIN caption_embeddings e "
            f"ON e.text_hash = c.text_hash AND e.model_id = ? WHERE e.text_hash IS NULL "
            f"AND {_IN_SET} GROUP BY c.text_hash", (model_id, vocabulary_origin(key)))
        return [(r[0], r[1]) for r in rows]

    def put_vectors(self, items: Sequence[tuple[str, np.ndarray]], model_id: str) -> None:
        """Store caption vectors by text hash."""
        with self.catalog.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO caption_embeddings(text_hash, model_id, vector) "
                "VALUES (?, ?, ?)",
                [(h, model_id, np.asarray(v, np.float32).tobytes()) for h, v in items])

    def vectors(self, model_id: str, dim: int,
                ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(caption ids, vectors) of captions that have a ``model_id`` vector."""
        base = ("SELECT c.id, e.vector FROM captions c JOIN caption_embeddings e "
                "ON e.text_hash = c.text_hash AND e.model_id = ?")
        rows = []
        if ids is None:
            rows = self.catalog._query(base + " ORDER BY c.id", (model_id,))
        else:
            for chunk in chunks([int(i) for i in ids], 500):
                rows.extend(self.catalog._query(
                    base + f" WHERE c.id IN ({','.join('?' * len(chunk))})", [model_id, *chunk]))
        return vectors_from_rows(rows, dim)

    def ids_with_vectors(self, model_id: str, key: str = "en") -> np.ndarray:
        """Ids of captions that have a ``model_id`` vector (photo and user captions, and
        vocabulary ``key``'s)."""
        rows = self.catalog._query(
            "SELECT c.id FROM captions c JOIN caption_embeddings e ON e.text_hash = c.text_hash "
            f"AND e.model_id = ? WHERE {_IN_SET} ORDER BY c.id",
            (model_id, vocabulary_origin(key)))
        return np.fromiter((r[0] for r in rows), np.int64, len(rows))

    def drop_orphan_vectors(self) -> None:
        """Forget vectors of texts no caption has any more."""
        with self.catalog.transaction() as c:
            c.execute("DELETE FROM caption_embeddings WHERE text_hash NOT IN "
                      "(SELECT text_hash FROM captions)")

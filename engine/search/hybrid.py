"""Hybrid search: the full-text half (SQLite FTS5 over captions and file names) and how its
matches combine with the semantic ranking.

:func:`keyword_tiers` finds photos whose captions or file names contain the query word for word
(a phrase match, tier 2) or contain all its words (tier 1); :func:`hybrid_order` puts tier-2
photos first and gives tier-1 photos a small bonus.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.records import SearchHit
    from engine.store.catalog import Catalog

log = logging.getLogger(__name__)

KEYWORD_LIMIT = 200
WORD_BONUS = 0.05  # cosine units added to photos whose captions hold every query word
_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words of a query as the FTS5 ``unicode61`` tokenizer sees them (lower case)."""
    return [w.lower() for w in _WORD.findall(text)]


def keyword_tiers(catalog: Catalog, text: str, limit: int = KEYWORD_LIMIT) -> dict[int, int]:
    """photo id -> 2 (a caption or the file name holds the query word for word) or 1 (holds
    all its words, not in that order)."""
    words = query_words(text)
    if not words:
        return {}
    phrase = '"' + " ".join(words) + '"'
    every = " AND ".join(f'"{w}"' for w in words)
    tiers: dict[int, int] = {}
    for tier, expr in ((2, phrase), (1, every)):
        try:
            rows = catalog._query(
                "SELECT photo_id FROM captions WHERE id IN (SELECT rowid FROM caption_fts "
                "WHERE caption_fts MATCH ? LIMIT ?) AND photo_id IS NOT NULL "
                "UNION SELECT rowid FROM photo_name_fts WHERE photo_name_fts MATCH ? LIMIT ?",
                (expr, limit, expr, limit))
        except Exception as exc:  # an FTS syntax corner case must not break a search
            log.debug("keyword search for %r failed: %s", text, exc)
            continue
        for r in rows:
            tiers.setdefault(int(r[0]), tier)
    return tiers


def hybrid_order(hits: Sequence[SearchHit], tiers: dict[int, int],
                 bonus: float = WORD_BONUS) -> list[SearchHit]:
    """Phrase matches first (by semantic score), then everything else by semantic score, with
    ``bonus`` for photos whose captions hold every query word. Phrase matches are flagged
    ``keyword_match`` (the reranker keeps them in front)."""
    phrase = sorted((h for h in hits if tiers.get(h.photo_id) == 2), key=lambda h: -h.score)
    rest = sorted((h for h in hits if tiers.get(h.photo_id) != 2),
                  key=lambda h: -(h.score + (bonus if tiers.get(h.photo_id) == 1 else 0.0)))
    return [replace(h, keyword_match=True) for h in phrase] + list(rest)



"""The query value: a search parsed once into weighted terms and what was understood of it.

A query is a sum of weighted terms::

    beach + sunset - people          # add two concepts, subtract one
    2:beach + 0.5:sunset             # weights
    ~/Downloads/that.jpg + snow      # an image file as a term, mixed with text

Each term is embedded (text tower or image tower), weighted, summed and normalised; the result
is one vector searched like any other. `` + `` and `` - `` separate terms only when surrounded by
spaces, so "t-shirt" and "rock+roll" stay single terms.

:func:`parse_query` makes a :class:`Query` once, at the facade; everything downstream (the
first stage, hybrid full-text, the second stage, evaluation) reads that value and never parses
the text again. Its slots for dates, places, people and quoted text are where query
understanding puts what it recognised (and ``understood`` lists it for the user to see).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from engine.errors import InvalidQueryError
from engine.i18n import _

_SPLIT = re.compile(r"\s+([+-])\s+")
_WEIGHT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*:\s*(.+)$")
_QUOTED_START = re.compile(r"\s*(?:-?\d+(?:\.\d+)?\s*:\s*)?(['\"])")


@dataclass(frozen=True)
class QueryTerm:
    """One term of a query: text, or the path of an image file."""

    weight: float
    text: str
    image: Path | None = None


@dataclass(frozen=True)
class Understood:
    """One thing query understanding recognised, shown to the user as a removable chip."""

    kind: str  # "date", "place", "person", "text"
    label: str  # as shown: "2019", "Lisbon"
    source: str = ""  # the words of the query it came from


@dataclass(frozen=True)
class Query:
    """A search, parsed once."""

    raw: str
    terms: tuple[QueryTerm, ...]
    # Slots filled by query understanding (dates, places, people, quoted text-only phrases).
    after: date | None = None
    before: date | None = None
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    quoted: tuple[str, ...] = ()
    understood: tuple[Understood, ...] = ()

    @property
    def text_terms(self) -> list[QueryTerm]:
        """The terms the text tower reads."""
        return [t for t in self.terms if t.image is None]

    @property
    def keyword_text(self) -> str | None:
        """The text full-text search looks for: a query of one positive text term (hybrid
        search has nothing to match in image terms or sums of concepts)."""
        if len(self.terms) != 1 or self.terms[0].image is not None or self.terms[0].weight <= 0:
            return None
        return self.terms[0].text

    @property
    def rerank_text(self) -> str | None:
        """What a matcher reads: the positive text terms (image terms and subtracted terms
        have no words to match); None when there are none."""
        words = [t.text for t in self.terms if t.image is None and t.weight > 0]
        return ", ".join(words) if words else None


def parse_query(query: str, *, is_image: Callable[[Path], bool] | None = None) -> Query:
    """Parse a search once into a :class:`Query`; raise InvalidQueryError on nonsense."""
    return Query(query, tuple(parse_terms(query, is_image=is_image)))


def parse_terms(query: str, *, is_image: Callable[[Path], bool] | None = None
                ) -> list[QueryTerm]:
    """Split a query into weighted terms; raise InvalidQueryError on nonsense."""
    query = query.strip()
    if not query:
        raise InvalidQueryError(_("The search is empty. Type what you are looking for."))
    sign = 1.0
    if query.startswith("- "):
        sign, query = -1.0, query[2:]
    elif query.startswith("+ "):
        query = query[2:]
    terms: list[QueryTerm] = []
    for piece_sign, raw in _split_terms(query, sign):
        raw = raw.strip()
        weight = 1.0
        match = _WEIGHT.match(raw)
        if match and not _looks_like_path(raw):
            weight = float(match.group(1))
            raw = match.group(2).strip()
            if not math.isfinite(weight):
                raise InvalidQueryError(_("'{weight}' is not a usable weight.").format(
                                            weight=match.group(1)))
        raw = _unquote(raw)
        if not raw:
            raise InvalidQueryError(_("A term of the search is empty (look for a stray + "
                                      "or -)."))
        image = _as_image_path(raw, is_image)
        terms.append(QueryTerm(piece_sign * weight, raw, image))
    if not any(t.weight > 0 for t in terms):
        raise InvalidQueryError(
            _("The search has no positive term: add something to look for, e.g. 'beach - "
              "people'.")
        )
    return terms


def _split_terms(query: str, first_sign: float) -> list[tuple[float, str]]:
    """(sign, text) pieces: spaced + and - separate terms, except inside a term that starts
    with a quote (optionally after its weight), so a quoted "Trip - Day 1/a.jpg" stays whole."""
    pieces: list[tuple[float, str]] = []
    sign, pos = first_sign, 0
    while True:
        search_from = pos
        quoted = _QUOTED_START.match(query, pos)
        if quoted:
            close = query.find(quoted.group(1), quoted.end())
            if close != -1:
                search_from = close + 1
        sep = _SPLIT.search(query, search_from)
        if sep is None:
            pieces.append((sign, query[pos:]))
            return pieces
        pieces.append((sign, query[pos:sep.start()]))
        sign, pos = (1.0 if sep.group(1) == "+" else -1.0), sep.end()


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1].strip()
    return raw


def _looks_like_path(raw: str) -> bool:
    return raw.startswith(("/", "~", "./", "../")) or bool(re.match(r"^[A-Za-z]:[\\/]", raw))


def _as_image_path(raw: str, is_image: Callable[[Path], bool] | None) -> Path | None:
    candidate = raw.strip("'\"")
    if not (_looks_like_path(candidate) or "." in Path(candidate).name):
        return None
    path = Path(candidate).expanduser()
    if is_image is not None and is_image(path) and path.is_file():
        return path
    if _looks_like_path(candidate) and is_image is not None and is_image(path):
        raise InvalidQueryError(_("The image {path} in the search does not exist.").format(
                                    path=path))
    return None


def combine(vectors: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """The normalised weighted sum of unit vectors."""
    total = np.zeros_like(vectors[0], dtype=np.float32)
    for vec, w in zip(vectors, weights, strict=True):
        total += np.float32(w) * vec
    norm = float(np.linalg.norm(total))
    if norm < 1e-6:
        raise InvalidQueryError(_("The terms of the search cancel each other out."))
    return total / norm

"""Query understanding: pull what the typed text names (a person, and later a place or a date)
out of it and into the :class:`~engine.search.query.Query`'s slots.

The mechanism is a list of *understanders*. Each takes the text that is still left and returns
``(chips, remaining text, slot values)``: the chips (:class:`Understood`) it recognised, the
text without their words, and values for the query's slots (``{"people": ("Grace",)}``; a tuple
slot is appended to, any other slot is set). They run in order, each on what the one before
left, so "Grace beach" becomes person Grace + "beach" and the meaning search embeds "beach".

Understanding reads only a query of one positive text term that is not quoted (quotes, ``+``,
``-``, weights and image terms mean the user wrote the query literally); ``literal=True``
switches it off altogether (the CLI's ``--literal``). When nothing of the text is left (the
query was just "Grace"), the query has no terms: the search lists the slots' photos.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from engine.search.query import Query, QueryTerm, Understood

Understanding = tuple[list[Understood], str, dict[str, Any]]
Understander = Callable[[str], Understanding]

# Words left dangling at either end once a name is taken out ("Grace and Alan at the beach").
_CONNECTORS = {"and", "with", "&", ",", "+", "at", "in", "of", "on", "the", "together"}


def understand(query: Query, understanders: Sequence[Understander], *,
               literal: bool = False) -> Query:
    """``query`` with what the understanders recognised moved into its slots."""
    if literal or not understanders or not _plain_text(query):
        return query
    text = query.terms[0].text
    chips: list[Understood] = []
    slots: dict[str, Any] = {}
    for understander in understanders:
        found, text, values = understander(text)
        chips += found
        for key, value in values.items():
            slots[key] = (tuple(slots.get(key, getattr(query, key))) + tuple(value)
                          if isinstance(value, tuple) else value)
    if not chips:
        return query
    text = tidy(text)
    terms = (QueryTerm(query.terms[0].weight, text),) if text else ()
    return replace(query, terms=terms, understood=query.understood + tuple(chips), **slots)


def _plain_text(query: Query) -> bool:
    raw = query.raw.strip()
    return (query.keyword_text is not None and query.terms[0].weight == 1.0
            and not raw.startswith(("'", '"')) and not re.match(r"^-?\d+(\.\d+)?\s*:", raw))


def take_words(text: str, phrase: str) -> tuple[str, str] | None:
    """``text`` without the first whole-word, case-insensitive occurrence of ``phrase`` (an
    English possessive "'s" goes with it), and the words as typed; None when absent."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?:['’]s)?(?!\w)", re.IGNORECASE)
    match = pattern.search(text)
    if match is None:
        return None
    return text[:match.start()] + " " + text[match.end():], match.group(0)


def tidy(text: str) -> str:
    """Spaces collapsed and connectors left dangling at either end removed."""
    words = text.split()
    while words and words[0].lower() in _CONNECTORS:
        words.pop(0)
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    return " ".join(words)


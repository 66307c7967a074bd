"""Known names in a typed query: "beach Lisbon" -> place Lisbon (a filter) and "beach".

``understand_places(text, known_place_names)`` -> (remaining text, places, chips). The names
are those of the library's own photos (:func:`engine.analyses.places.known_names`), matched
case- and accent-insensitively ("sao paulo" -> São Paulo), as whole words for Latin-script
names ("Lisbon" never inside "Lisbonne"), anywhere for CJK names ("东京" in "在东京的寺庙"),
longest first ("New York" before "York"). Names that are everyday words ("Nice", "Reading",
"Bath"; :data:`COMMON_WORDS`) count only when capitalised: "nice sunset" stays words.
:class:`NameVocabulary` knows nothing of places and can match people's names too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from engine.search.query import Understood
from engine.search.understand_dates import cut_spans

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def understand_places(text: str, known_place_names: Mapping[str, str] | Iterable[str]
                      ) -> tuple[str, list[str], list[Understood]]:
    """Split ``text`` into the words left and the known place names it holds. A mapping
    gives each name the place it stands for ("里斯本" -> "Lisbon"): the chip shows the name as
    typed, the filter uses the place."""
    names = (dict(known_place_names) if isinstance(known_place_names, Mapping)
             else {n: n for n in known_place_names})
    if not names:
        return text, [], []
    found = NameVocabulary("place", names).find(text)
    if not found:
        return text, [], []
    places = list(dict.fromkeys(value for _, _, _, value in found))
    chips = [Understood("place", label, text[s:e]) for s, e, label, _ in found]
    return cut_spans(text, [(s, e) for s, e, _, _ in found]), places, chips


class NameVocabulary:
    """Finds known names (places now, people later) in a query: case- and accent-insensitive,
    whole words only, longest name first ("New York" before "York"), never inside a word.

    ``names`` maps each name as shown to its value. Names that are also common words ("Nice",
    "Bath", "Reading", "Mobile"; see :data:`COMMON_WORDS`, or pass ``common_words``) match only
    when the query capitalises them as the name is written.
    """

    def __init__(self, kind: str, names: Mapping[str, Any],
                 common_words: Iterable[str] | None = None) -> None:
        self.kind = kind
        common = {_fold(w) for w in (COMMON_WORDS if common_words is None else common_words)}
        entries = []
        for name, value in names.items():
            folded = _fold(name).strip()
            if len(folded) < 2 or folded.isdigit():
                continue
            entries.append((folded, name, value, folded in common))
        entries.sort(key=lambda e: -len(e[0]))
        self._pattern: re.Pattern[str] | None
        latin = "|".join(re.escape(e[0]) for e in entries if not _CJK.search(e[0]))
        cjk = "|".join(re.escape(e[0]) for e in entries if _CJK.search(e[0]))
        # Latin-script names need word boundaries ("Lisbon" not in "Lisbonne"); CJK text has no
        # spaces, so a CJK name matches anywhere ("东京" in "在东京的").
        alternatives = ([rf"(?<!\w)(?:{latin})(?!\w)"] if latin else []) + (
            [rf"(?:{cjk})"] if cjk else [])
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        self._by_folded = {e[0]: e for e in entries}

    def find(self, query: str) -> list[tuple[int, int, str, Any]]:
        """(start, end, chip) for every name in ``query``, left to right, not overlapping."""
        if self._pattern is None:
            return []
        folded = _fold(query)
        if len(folded) != len(query):  # folding changed the length: match on the original
            folded = query.casefold()
        found = []
        for match in self._pattern.finditer(folded):
            entry = self._by_folded.get(match.group(0))
            if entry is None:
                continue
            _, name, value, common = entry
            written = query[match.start():match.end()]
            if common and not written[:1].isupper():
                continue
            found.append((match.start(), match.end(), name, value))
        return found


# Place names that are also everyday words in English and the languages of LANGUAGES: taken as
# a place only when written with a capital. Short on purpose; the matcher only knows the places
# of the user's own photos, so the list only has to cover names people are likely to have.
COMMON_WORDS = frozenset([
    "nice", "bath", "reading", "mobile", "split", "florence", "victoria", "orange",
    "independence", "paradise", "eagle", "hope", "sale", "ely", "deal", "wells", "march",
    "may", "august", "jersey", "china", "turkey", "chile", "jordan", "georgia", "bergen",
    "bay", "beach", "park", "lake", "rock", "spring", "summer", "winter", "fall", "liberty",
    "union",
])




def _fold(text: str) -> str:
    """Case- and accent-insensitive form of equal length where possible ("São" -> "sao")."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)

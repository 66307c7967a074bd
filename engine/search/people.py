"""People in searches: the person filter and the understander that finds names in a query.

``--person Grace`` (several: photos showing them together) and a known name typed in the
query ("Grace beach") both end in the :class:`~engine.search.query.Query`'s ``people`` slot;
:func:`photo_ids_with` turns it into the photos a search is restricted to.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import InvalidQueryError
from engine.i18n import _
from engine.search.query import Understood
from engine.search.understand import Understanding, take_words
from engine.store.catalog import Catalog


def _has_people(catalog: Catalog) -> bool:
    """Whether the people tables exist (a search never creates them: it only reads)."""
    return bool(catalog._query(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'face_people'"))


def known_names(catalog: Catalog) -> list[str]:
    """Names of the people the user named and did not hide."""
    if not _has_people(catalog):
        return []
    rows = catalog._query("SELECT DISTINCT name FROM people WHERE name IS NOT NULL AND "
                          "TRIM(name) != '' AND hidden = 0")
    return [str(r[0]) for r in rows]


class PersonUnderstander:
    """Finds the names of known people in a query's text (longest names first, so "Grace
    Hopper" wins over "Grace")."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __call__(self, text: str) -> Understanding:
        chips: list[Understood] = []
        found: list[str] = []
        for name in sorted(known_names(self.catalog), key=lambda n: (-len(n), n.lower())):
            taken = take_words(text, name)
            if taken is None:
                continue
            text, source = taken
            chips.append(Understood("person", name, source))
            found.append(name)
        return chips, text, ({"people": tuple(found)} if found else {})


def person_ids(catalog: Catalog, names: Sequence[str]) -> list[int]:
    """The person each name (or id, as digits) stands for; InvalidQueryError for one unknown."""
    ids: list[int] = []
    known = _has_people(catalog)
    for name in names:
        rows = catalog._query("SELECT id FROM people WHERE LOWER(TRIM(name)) = "
                              "LOWER(TRIM(?))", (name,)) if known else []
        if not rows and name.strip().isdigit() and known:
            rows = catalog._query("SELECT id FROM people WHERE id = ?", (int(name),))
        if not rows:
            raise InvalidQueryError(_("No person is called '{name}'. 'photosearch people' "
                                      "lists them; name one with 'photosearch people name "
                                      "ID NAME'.").format(name=name))
        ids += [int(r[0]) for r in rows]
    return ids


def photo_ids_with(catalog: Catalog, names: Sequence[str]) -> list[int]:
    """Photos showing every named person (together, when several); two people of one name
    count as that name."""
    groups = [person_ids(catalog, [name]) for name in names]
    hashes: set[str] | None = None
    for ids in groups:
        marks = ",".join("?" * len(ids))
        found = {r[0] for r in catalog._query(
            f"SELECT DISTINCT content_hash FROM face_people WHERE face_index IS NOT NULL AND "
            f"person_id IN ({marks})", ids)}
        hashes = found if hashes is None else hashes & found
    return _photo_ids(catalog, hashes or set())


def person_photo_ids(catalog: Catalog, person_id: int) -> list[int]:
    """Photos showing one person (by id)."""
    if not _has_people(catalog):
        return []
    return _photo_ids(catalog, {r[0] for r in catalog._query(
        "SELECT DISTINCT content_hash FROM face_people WHERE face_index IS NOT NULL AND "
        "person_id = ?", (person_id,))})


def _photo_ids(catalog: Catalog, hashes: set[str]) -> list[int]:
    out: list[int] = []
    chunk_list = sorted(hashes)
    for start in range(0, len(chunk_list), 500):
        chunk = chunk_list[start:start + 500]
        out += [int(r[0]) for r in catalog._query(
            f"SELECT id FROM photos WHERE content_hash IN ({','.join('?' * len(chunk))})",
            chunk)]
    return sorted(out)

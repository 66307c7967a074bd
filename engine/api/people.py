"""The facade's part for people: faces grouped into people, named and corrected by the user
(:mod:`engine.analyses.faces`, :mod:`engine.analyses.people`)."""

from __future__ import annotations

from pathlib import Path

from engine.analyses.people import PeopleBook
from engine.api.part import _FacadePart
from engine.records import Person, PhotoFace, SearchHit
from engine.search.people import person_photo_ids


class PeopleFacade(_FacadePart):
    """Mixed into :class:`engine.api.Library`."""

    # -- people (faces grouped into people: engine.analyses.faces, engine.analyses.people) ---

    @property
    def _people(self) -> PeopleBook:
        if not hasattr(self, "_people_book"):
            self._people_book = PeopleBook(self.catalog)
        return self._people_book

    def people(self, include_hidden: bool = False, min_faces: int = 2) -> list[Person]:
        """People with at least ``min_faces`` faces (named ones always), most faces first."""
        return self._people.listed(include_hidden, min_faces)

    def faces(self, photo: int | Path) -> list[PhotoFace]:
        """The faces found in a library photo, by index, with their person."""
        return self._people.faces(self._photo_id(photo))

    def name_person(self, person_id: int, name: str | None) -> None:
        """Name a person (None or "" unnames); kept through re-indexing and model changes."""
        self._people.name(person_id, name)

    def merge_people(self, keep_id: int, gone_id: int) -> None:
        """Merge two people into ``keep_id`` for good."""
        self._people.merge(keep_id, gone_id)

    def hide_person(self, person_id: int, hidden: bool = True) -> None:
        """Hide a person from the people list and name understanding (or show them again)."""
        self._people.hide(person_id, hidden)

    def remove_face(self, photo: int | Path, face_index: int) -> int | None:
        """"Not this person": face ``face_index`` of ``photo`` leaves its person for good;
        returns the person it joined instead."""
        return self._people.remove_face(self._photo_id(photo), face_index)

    def person_photos(self, person_id: int, k: int = 10_000) -> list[SearchHit]:
        """A person's photos, newest first."""
        return self._search.listed(person_photo_ids(self.catalog, person_id), None, k)

    def person_cover(self, person_id: int) -> tuple[int, tuple[float, ...]] | None:
        """(photo id, face box in 0..1) of the face that stands for a person."""
        return self._people.cover(person_id)

    def regroup_people(self) -> dict[str, int]:
        """Re-cluster all faces now (the faces pass also does so as faces arrive)."""
        return self._people.regroup()

    def delete_face_data(self, switch_off: bool = True) -> None:
        """Privacy: delete every face, descriptor, person, name and correction (names are
        not kept; freed pages are zeroed) and, with ``switch_off``, switch faces off."""
        if switch_off and "faces" not in self._settings.disabled_analyses:
            self.update_settings(disabled_analyses=(*self._settings.disabled_analyses, "faces"))
        with self._runs.write_mutex:
            self._people.delete_all()

"""The facade's part for what the analyses found: text in photos, places, capture dates,
duplicates, and moving copies to the trash."""

from __future__ import annotations

from pathlib import Path

from engine.api.part import _FacadePart
from engine.records import (
    CaptureDate,
    DuplicateGroup,
    PhotoPlace,
    PhotoText,
    PlaceCount,
    TrashReport,
)
from engine.search import photo_facts
from engine.search.duplicates import find_duplicates
from engine.store.trash import trash_photos


class PhotoFactsFacade(_FacadePart):
    """Mixed into :class:`engine.api.Library`."""

    # -- text in photos, places, dates ---------------------------------------------------------

    def photo_text(self, photo: Path, read_now: bool = True) -> PhotoText:
        """What a photo says (lines, boxes, confidences): the catalog's for a library photo
        the text pass has read, else read now (``read_now`` False: nothing, at no cost)."""
        return photo_facts.photo_text(self.catalog, photo, read_now=read_now)

    def places(self) -> list[PlaceCount]:
        """The cities of the library's photos with their photo counts (the Places filter)."""
        self._search.ensure_schemas()
        return photo_facts.library_places(self.catalog)

    def photo_place(self, photo: int | Path) -> PhotoPlace | None:
        """Where a photo was taken (None: not looked up yet)."""
        return photo_facts.photo_place(self.catalog, self._photo_id(photo))

    def capture_date(self, photo: int | Path) -> CaptureDate | None:
        """When a photo was taken and the source of that date ("file" for a file date)."""
        return photo_facts.capture_date(self.catalog, self._photo_id(photo))

    # -- duplicates ---------------------------------------------------------------------------

    def duplicates(self, similar: bool = False) -> list[DuplicateGroup]:
        """Groups of copies (exact, then near-duplicates; with ``similar``, also similar shots),
        each with the copy we suggest keeping first. Photos join once their background passes
        (perceptual hash, neighbours) have run; no model is loaded."""
        self._analyses(bound=False)  # their tables exist even before the first pass
        return find_duplicates(self.catalog, self.encoder.spec.model_id, similar)

    def trash(self, paths: list[Path]) -> TrashReport:
        """Move photos to the system trash (never a permanent delete; undo from the trash) and
        drop them from the results at once. A restored file is indexed as a new photo."""
        with self._runs.write_mutex:  # not in the middle of a pass or a watch batch
            report, ids = trash_photos(self.catalog, paths)
        vectors = self._model.open_vectors
        if ids and vectors is not None:
            vectors.remove(ids)
            vectors.save()
        return report

"""The facade's part for folders and single photos: which folders the library holds (added,
removed, paused, with their counts) and what is known about one photo."""

from __future__ import annotations

import logging
from pathlib import Path

from engine.api.part import _FacadePart
from engine.errors import EngineError
from engine.i18n import _
from engine.records import FailedPhoto, FolderInfo, PhotoDetails, SearchFilters

log = logging.getLogger("engine.api")


class FoldersFacade(_FacadePart):
    """Mixed into :class:`engine.api.Library`."""

    # -- folders ------------------------------------------------------------------------------

    def add_folder(self, path: Path) -> FolderInfo:
        """Remember a folder to index (and watch); raises EngineError if it does not exist.

        A folder that holds library folders takes them over (their photos are kept).
        """
        folder = Path(path).expanduser().resolve()
        if not folder.is_dir():
            raise EngineError(_("The folder {folder} does not exist or is not a folder.").format(
                                  folder=folder))
        for existing in self.catalog.folder_ids():
            other = Path(existing)
            if folder.is_relative_to(other) and folder != other:
                raise EngineError(_("{folder} is already part of the library (inside "
                                    "{other}).").format(folder=folder, other=other))
        self.catalog.add_folder(folder)
        return next(f for f in self.folders() if f.path == folder)

    def remove_folder(self, path: Path) -> None:
        """Forget a folder and everything learned about its photos (files are not touched)."""
        folder = Path(path).expanduser().resolve()
        if not any(Path(p) == folder for p in self.catalog.folder_ids()):
            raise EngineError(_("{folder} is not a library folder.").format(folder=folder))
        with self._runs.write_mutex:  # not in the middle of a watch batch
            ids = self.catalog.filtered_ids(SearchFilters(folder=folder))
            self.catalog.remove_folder(folder)
        vectors = self._model.open_vectors
        if vectors is not None:
            vectors.remove(ids)
            vectors.save()

    def set_folder_paused(self, path: Path, paused: bool) -> None:
        """Pause or resume indexing and watching of a folder."""
        self.catalog.set_folder_flags(Path(path).expanduser().resolve(), paused=paused)

    def folders(self) -> list[FolderInfo]:
        """The library's folders with their counts."""
        return self.catalog.folders(self.encoder.spec.model_id)

    def _photo_id(self, photo: int | Path) -> int:
        if isinstance(photo, int):
            return photo
        photo_id = self.catalog.photo_id_for_path(str(Path(photo).expanduser().resolve()))
        if photo_id is None:
            raise EngineError(_("{photo} is not a photo of this library (add its folder "
                                "and index it first).").format(photo=photo))
        return photo_id

    # -- inspection ---------------------------------------------------------------------------

    def motion_of(self, photo: int | Path) -> Path | None:
        """The motion of a Live Photo or motion photo as a playable video file (the MOV beside
        the still, or the MP4 inside it, copied out once under the library folder); None for
        other photos."""
        from engine.media.motion_photos import motion_of

        path = self.photo(self._photo_id(photo)).path
        try:
            return motion_of(path, self.home / "motion")
        except OSError as exc:
            log.info("no motion for %s: %s", path, exc)
            return None

    def photo(self, photo_id: int) -> PhotoDetails:
        """Everything known about one photo."""
        details = self.catalog.photo(photo_id)
        if details is None:
            raise EngineError(_("Photo {photo_id} is no longer in the library.").format(
                                  photo_id=photo_id))
        return details

    def cameras(self) -> list[str]:
        """Distinct camera names in the library."""
        return self.catalog.cameras()

    def failures(self) -> list[FailedPhoto]:
        """Photos that could not be indexed, with reasons."""
        return self.catalog.failures()

"""The library's folders, status, cameras and failed files, kept fresh for the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.bridge import EngineBridge
from app.presenters.index_presenter import IndexPresenter


class LibraryPresenter(QObject):
    """Folder management (add, remove, pause watching) and library facts.

    ``folders`` is None until the first refresh answers; an empty list means first run.
    Adding a folder starts indexing it.
    """

    folders_changed = Signal(list)  # list[FolderInfo]
    status_changed = Signal(object)  # LibraryStatus
    cameras_changed = Signal(list)  # list[str]
    places_changed = Signal(list)  # list[PlaceCount]
    failures_changed = Signal(list)  # list[FailedPhoto]
    error = Signal(object)

    def __init__(
        self, bridge: EngineBridge, indexer: IndexPresenter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._indexer = indexer
        self.folders: list[Any] | None = None
        self.status: Any = None
        self.cameras: list[str] = []
        self.failures: list[Any] = []

    @property
    def first_run(self) -> bool:
        """Whether the library is known to have no folders yet."""
        return self.folders == []

    def refresh(self) -> None:
        """Ask the engine for folders, status and cameras (answers arrive as signals)."""
        lib = self._bridge.library
        self._bridge.call(lib.folders, self._set_folders, self.error.emit)
        self._bridge.call(lib.status, self._set_status, self.error.emit)
        self._bridge.call(lib.cameras, self._set_cameras, self.error.emit)
        if hasattr(lib, "places"):
            self._bridge.call(lib.places, self.places_changed.emit, self.error.emit)

    def refresh_status(self) -> None:
        """Ask for the library's status alone (``status_changed`` carries it)."""
        lib = self._bridge.library
        self._bridge.call(lib.status, self._set_status, self.error.emit)

    def refresh_failures(self) -> None:
        """Ask for the list of files that could not be indexed."""
        self._bridge.call(self._bridge.library.failures, self._set_failures, self.error.emit)

    def add_folder(self, path: Path) -> None:
        """Add a folder to the library and index it."""
        lib = self._bridge.library

        def added(_info: Any) -> None:
            self.refresh()
            self._indexer.start()

        self._bridge.call(lambda: lib.add_folder(path), added, self.error.emit)

    def remove_folder(self, path: Path) -> None:
        """Remove a folder (its photos leave the library; the files are not touched)."""
        lib = self._bridge.library
        self._bridge.call(
            lambda: lib.remove_folder(path), lambda _: self.refresh(), self.error.emit
        )

    def set_folder_paused(self, path: Path, paused: bool) -> None:
        """Stop or restart watching and indexing a folder."""
        lib = self._bridge.library
        self._bridge.call(
            lambda: lib.set_folder_paused(path, paused), lambda _: self.refresh(), self.error.emit
        )

    def _set_folders(self, folders: list[Any]) -> None:
        self.folders = list(folders)
        self.folders_changed.emit(self.folders)

    def _set_status(self, status: Any) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _set_cameras(self, cameras: list[str]) -> None:
        self.cameras = list(cameras)
        self.cameras_changed.emit(self.cameras)

    def _set_failures(self, failures: list[Any]) -> None:
        self.failures = list(failures)
        self.failures_changed.emit(self.failures)

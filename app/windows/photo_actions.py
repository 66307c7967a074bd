"""What can be done with a photo, shared by the grid's context menu, keys and the preview pane."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStatusBar

from app import desktop
from app.bridge import EngineBridge
from app.engine_access import load_preview
from app.i18n import translate
from app.qt_images import pil_to_qimage

if TYPE_CHECKING:
    from engine.api import SearchHit

log = logging.getLogger(__name__)

COPY_IMAGE_SIDE = 4096


class PhotoActions(QObject):
    """Open, reveal, copy path, copy image; each reports what it did in the status bar."""

    def __init__(
        self,
        bridge: EngineBridge,
        status_bar: QStatusBar,
        report_error: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._status = status_bar
        self._report_error = report_error
        # Replaceable so tests (and the screenshot script) do not launch other programs.
        self.open_file: Callable[[Path], Any] = desktop.open_file
        self.reveal: Callable[[Path], Any] = desktop.reveal_in_file_manager
        self.play_video: Callable[[Path, float], Any] = desktop.play_video

    def open(self, hit: SearchHit) -> None:
        """Open the photo in the default viewer."""
        if not self.open_file(hit.path):
            self._status.showMessage(translate(
                "PhotoActions", "No application could open %1").replace("%1", hit.path.name), 5000)

    def play(self, path: Path, time_s: float) -> None:
        """Play a video (or a Live Photo's motion) from ``time_s`` in a player."""
        if not self.play_video(path, time_s):
            self._status.showMessage(translate(
                "PhotoActions", "No video player could open %1").replace("%1", path.name), 5000)

    def reveal_in_file_manager(self, hit: SearchHit) -> None:
        """Show the photo in the file manager."""
        self.reveal(hit.path)

    def copy_paths(self, hits: list[SearchHit]) -> None:
        """Copy the photos' paths (text and file URLs)."""
        if not hits:
            return
        desktop.copy_paths([h.path for h in hits])
        if len(hits) == 1:
            text = translate("PhotoActions", "Copied %1").replace("%1", str(hits[0].path))
        else:
            text = translate("PhotoActions", "Copied %Ln path(s)", "", len(hits))
        self._status.showMessage(text, 4000)

    def copy_image(self, hit: SearchHit) -> None:
        """Decode the photo in the background and put the image on the clipboard."""
        path = hit.path

        def copied(image: QImage) -> None:
            desktop.copy_image(image)
            self._status.showMessage(translate(
                "PhotoActions", "Copied the image %1").replace("%1", path.name), 4000)

        self._status.showMessage(translate("PhotoActions", "Copying %1…").replace(
            "%1", path.name))
        self._bridge.call(
            lambda: pil_to_qimage(load_preview(path, COPY_IMAGE_SIDE)),
            copied,
            self._report_error,
            lane="images",
        )

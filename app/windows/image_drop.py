"""Drops and pastes onto the main window: images and image files start a similar search."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication

from app import desktop
from app.i18n import translate


class ImageDropTarget:
    """Mixin for the main window: accept image files, browser images and clipboard images.

    The window provides ``find_similar(image, label)``, ``search_bar``, ``focus_search()`` and
    ``statusBar()``, and calls ``setAcceptDrops(True)``.
    """

    def paste(self) -> None:
        """Ctrl+V: find photos like the image (or image file) on the clipboard."""
        mime = QGuiApplication.clipboard().mimeData()
        source = desktop.image_source_from_mime(mime) if mime is not None else None
        if source is not None:
            self.find_similar(*source)
        elif mime is not None and mime.hasText():
            self.search_bar.search_box.insert(mime.text().strip())
            self.focus_search()

    def _accepts(self, mime: QMimeData | None) -> bool:
        return mime is not None and desktop.can_accept(mime)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._accepts(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)  # never move the user's photo
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._accepts(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        source = desktop.image_source_from_mime(event.mimeData())
        if source is None:
            self.statusBar().showMessage(translate(
                "MainWindow", "Drop an image file or an image from a browser."), 5000)
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.find_similar(*source)

"""Bars above the results: a model problem with its next step, and the "similar to" source."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import theme


class ModelBanner(QFrame):
    """Explains why the model is unavailable; the rest of the app stays usable."""

    settings_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.message = ""
        self.details = ""
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.settings_button = QPushButton("Settings…")
        self.retry_button = QPushButton("Try again")
        self.copy_button = QPushButton(theme.icon("copy"), "Copy details")
        self.settings_button.clicked.connect(self.settings_requested)
        self.retry_button.clicked.connect(self.retry_requested)
        self.copy_button.clicked.connect(self.copy_details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.settings_button)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.copy_button)
        self.refresh_icons()

    def show_problem(self, message: str, details: str) -> None:
        """Show the engine's ``user_message`` (it names the exact next step)."""
        self.text.setText(f"<b>Search is unavailable.</b> {html.escape(message)}")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.message = message
        self.details = details
        self.setVisible(True)

    def copy_details(self) -> None:
        """Put the message and technical details on the clipboard."""
        QGuiApplication.clipboard().setText(f"{self.message}\n\n{self.details}".strip())

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.icon.setPixmap(theme.icon("alert", theme.status_colour("error")).pixmap(22, 22))
        self.copy_button.setIcon(theme.icon("copy"))


class SimilarBar(QFrame):
    """ "Photos similar to <image>" with the source image and a button to go back."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("similarBar")
        self.thumb = QLabel()
        self.thumb.setFixedSize(48, 48)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.captions = QLabel()  # what the image looks like, in words (Library.describe)
        self.captions.setWordWrap(True)
        self.captions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.captions.setVisible(False)
        self.close_button = QToolButton()
        self.close_button.setIcon(theme.icon("close"))
        self.close_button.setToolTip("Back to text search (Esc)")
        self.close_button.clicked.connect(self.closed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.text)
        words.addWidget(self.captions)
        layout.addWidget(self.thumb)
        layout.addLayout(words, 1)
        layout.addWidget(self.close_button)

    def show_source(self, label: str, image: QImage | None) -> None:
        """Show what the similar search started from."""
        if self.text.text() != f"Photos similar to <b>{html.escape(label)}</b>":
            self.captions.setVisible(False)  # a new source: its captions are on their way
        self.text.setText(f"Photos similar to <b>{html.escape(label)}</b>")
        if image is not None and not image.isNull():
            self.thumb.setPixmap(
                QPixmap.fromImage(image).scaled(
                    48,
                    48,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.thumb.setPixmap(theme.icon("image").pixmap(32, 32))
        self.setVisible(True)

    def show_captions(self, captions: list[str]) -> None:
        """The captions that describe the source image, best first."""
        self.captions.setText("Looks like: " + " · ".join(f"“{c}”" for c in captions))
        self.captions.setToolTip("The captions that describe this image best, from your "
                                 "photos' captions, yours and the bundled vocabulary")
        self.captions.setVisible(bool(captions))

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.close_button.setIcon(theme.icon("close"))

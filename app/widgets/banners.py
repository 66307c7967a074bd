"""The bar above the results that shows the "similar to" source (the model's bar is in
model_banner.py)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app import theme
from app.i18n import translate


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
        self.close_button.setToolTip(translate("SimilarBar", "Back to text search (Esc)"))
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
        text = translate("SimilarBar", "Photos similar to %1").replace(
            "%1", f"<b>{html.escape(label)}</b>")
        if self.text.text() != text:
            self.captions.setVisible(False)  # a new source: its captions are on their way
        self.text.setText(text)
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
        self.captions.setText(translate("SimilarBar", "Looks like: %1").replace(
            "%1", " · ".join(f"“{c}”" for c in captions)))
        self.captions.setToolTip(translate(
            "SimilarBar", "The captions that describe this image best, from your "
                                 "photos' captions, yours and the bundled vocabulary"))
        self.captions.setVisible(bool(captions))

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.close_button.setIcon(theme.icon("close"))


class NoticeBar(QFrame):
    """A lasting notice above the results, e.g. why the demo model is shown and what to do
    next; the user can close it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.icon = QLabel()
        self.icon.setFixedSize(24, 24)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setIcon(theme.icon("close"))
        self.close_button.setToolTip(translate("NoticeBar", "Close this notice"))
        self.close_button.clicked.connect(lambda: self.setVisible(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.refresh_icons()

    def show_notice(self, text: str) -> None:
        """Show ``text`` (plain) until the user closes it."""
        self.text.setText(text)
        self.setVisible(True)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.icon.setPixmap(theme.icon("alert").pixmap(20, 20))
        self.close_button.setIcon(theme.icon("close"))
